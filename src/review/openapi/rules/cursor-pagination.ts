import { isCollectionGet, label } from '../helpers.js';
import { CURSOR_NAMES, OFFSET_NAMES } from '../pagination-names.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/cursor-pagination',
  severity: 'info',
  group: 'pagination',
  summary: 'Collections paginate with a cursor rather than an offset',
  meaning:
    'Offset pagination makes the database skip `offset` rows on every page (slow deep pages) and skips or repeats rows when items are inserted or deleted between requests. A cursor (keyset) page starts after the last row seen: constant cost, stable under writes. Offset is fine for small, static lists, so this is informational.',
  help: 'Offer an opaque `cursor` parameter and return `nextCursor` with each page.',
  check({ api, report }) {
    const deref = (value: unknown) => api.deref(value, []).value;
    for (const operation of api.operations) {
      if (!isCollectionGet(operation, deref)) continue;
      const query = operation.parameters.filter((parameter) => parameter.in === 'query');
      if (query.some((parameter) => CURSOR_NAMES.test(parameter.name))) continue;
      const offset = query.find((parameter) => OFFSET_NAMES.test(parameter.name));
      if (!offset) continue;
      report({
        path: offset.path,
        message: `${label(operation)} paginates by "${offset.name}" instead of a cursor`,
      });
    }
  },
});
