import { label } from '../helpers.js';
import { LIMIT_NAMES } from '../pagination-names.js';
import { defineRule } from '../rule.js';
import { toPointer } from '../source.js';

export default defineRule({
  id: 'architect/limit-bounded',
  severity: 'warn',
  group: 'pagination',
  summary: 'Page-size parameters are integers with a maximum',
  meaning:
    'An unbounded `limit` is pagination in name only: `?limit=1000000` fetches the whole table. A declared `maximum` (and `minimum: 1`) documents the cap the server enforces, so clients request pages it will honour.',
  help: 'Give the parameter `type: integer`, `minimum: 1` and a `maximum` (for example 100 or 500).',
  check({ api, report }) {
    const seen = new Set<string>();
    for (const operation of api.operations) {
      for (const parameter of operation.parameters) {
        const type = parameter.schema?.type;
        // Page sizes are numbers on reads; `size=true` or a file size on a PUT are something else.
        if (
          operation.method !== 'get' ||
          parameter.in !== 'query' ||
          !LIMIT_NAMES.test(parameter.name) ||
          parameter.name.toLowerCase() === 'count' ||
          (type !== undefined && type !== 'integer' && type !== 'number')
        )
          continue;
        const pointer = toPointer(parameter.path);
        if (seen.has(pointer)) continue;
        seen.add(pointer);
        const schema = parameter.schema ?? {};
        if (typeof schema.maximum === 'number' || Array.isArray(schema.enum)) continue;
        report({
          path: parameter.path,
          message: `Page size "${parameter.name}" of ${label(operation)} has no maximum`,
        });
      }
    }
  },
});
