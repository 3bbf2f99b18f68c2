import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/request-array-max-items',
  severity: 'warn',
  group: 'pagination',
  summary: 'Arrays a client sends (bodies and parameters) declare `maxItems`',
  meaning:
    'An unbounded input array lets one request carry a million items: memory, transaction size and lock time grow without limit (OWASP API4, unrestricted resource consumption). `maxItems` documents the limit the server enforces so clients split large batches themselves.',
  help: 'Add `maxItems` to the array schema (and enforce it).',
  check({ api, report }) {
    for (const schema of api.schemas) {
      // Only schemas that say `type: array`: `if`/`then` refinements repeat `items` without a type.
      const type = schema.value.type;
      const isArray = type === 'array' || (Array.isArray(type) && type.includes('array'));
      if (!isArray || typeof schema.value.maxItems === 'number') continue;
      if (!api.isRequestSchema(schema.path)) continue;
      const name = schema.propertyName ? `"${schema.propertyName}"` : 'array';
      report({ path: schema.path, message: `Request ${name} has no maxItems` });
    }
  },
});
