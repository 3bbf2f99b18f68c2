import { schemaType } from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/string-bounded',
  severity: 'info',
  group: 'schemas',
  profile: 'rest-strict',
  summary: 'Request strings are bounded (`maxLength`, `format`, `pattern` or `enum`)',
  meaning:
    'With the `rest-strict` profile every string a client sends has a bound, so the server never stores (or validates with a backtracking pattern) a megabyte where a name was expected (OWASP API4). Informational because a sensible server-side limit may exist without being documented.',
  help: 'Add `maxLength` (or a `format`, `pattern` or `enum`).',
  check({ api, report }) {
    for (const schema of api.schemas) {
      if (schemaType(schema.value) !== 'string' || !api.isRequestSchema(schema.path)) continue;
      const value = schema.value;
      if (
        value.maxLength !== undefined ||
        value.format !== undefined ||
        value.pattern !== undefined ||
        value.enum !== undefined ||
        value.const !== undefined
      )
        continue;
      report({
        path: schema.path,
        message: `Request string${schema.propertyName ? ` "${schema.propertyName}"` : ''} has no maxLength, format, pattern or enum`,
      });
    }
  },
});
