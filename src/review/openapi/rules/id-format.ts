import { label, schemaType } from '../helpers.js';
import { defineRule } from '../rule.js';
import { toPointer } from '../source.js';

const ID_NAME = /^(id|uuid|guid)$|(Id|ID|_id|Uuid|_uuid)$/;
/** Trace and correlation ids are opaque tokens minted by proxies and clients, not resource ids. */
const TRACE_NAME = /^(x-)?(request|trace|correlation|span|idempotency)[-_]?id$/i;

function lacksFormat(schema: Record<string, unknown>): string | undefined {
  const type = schemaType(schema);
  if (
    type === 'string' &&
    schema.format === undefined &&
    schema.pattern === undefined &&
    schema.enum === undefined &&
    schema.const === undefined
  ) {
    return 'string';
  }
  if (type === 'integer' && schema.format === undefined) return 'integer';
  return undefined;
}

export default defineRule({
  id: 'architect/id-format',
  severity: 'warn',
  group: 'schemas',
  summary: 'Identifiers declare a format (`uuid`, `int64`) or a pattern',
  meaning:
    'An id typed only as `string` or `integer` tells clients nothing they can validate or store: is it a UUID (store as `uuid`, 16 bytes), a 64-bit integer (JavaScript loses precision beyond 2^53, so it must stay a string there), or free text? `format: uuid`, `format: int64` or a `pattern` answers that, and lets generated clients pick the right type. Request, trace and correlation ids (`requestId`, `traceId`) are opaque tokens and exempt.',
  help: 'Add `format: uuid` (or `int64`, or a `pattern`) to the identifier.',
  check({ api, report }) {
    for (const schema of api.schemas) {
      if (
        schema.propertyName === undefined ||
        !ID_NAME.test(schema.propertyName) ||
        TRACE_NAME.test(schema.propertyName)
      )
        continue;
      const kind = lacksFormat(schema.value);
      if (kind)
        report({
          path: schema.path,
          message: `Identifier "${schema.propertyName}" is a bare ${kind} without format or pattern`,
        });
    }
    const seen = new Set<string>();
    for (const operation of api.operations) {
      for (const parameter of operation.parameters) {
        if (parameter.in !== 'path' || !ID_NAME.test(parameter.name) || !parameter.schema) continue;
        const pointer = toPointer(parameter.path);
        if (seen.has(pointer)) continue;
        seen.add(pointer);
        const kind = lacksFormat(parameter.schema);
        if (kind)
          report({
            path: parameter.path,
            message: `Path parameter "${parameter.name}" of ${label(operation)} is a bare ${kind} without format or pattern`,
          });
      }
    }
  },
});
