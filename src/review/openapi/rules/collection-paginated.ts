import { isCollectionGet, label } from '../helpers.js';
import { CURSOR_NAMES, LIMIT_NAMES, OFFSET_NAMES } from '../pagination-names.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/collection-paginated',
  severity: 'warn',
  group: 'pagination',
  summary: 'Every collection GET is paginated (a page size and a cursor or offset)',
  meaning:
    'A list without pagination returns every row: fine with ten, a timeout and an out-of-memory with ten million, and adding pagination later changes the response for every client. A collection GET (a GET on a static route whose body is a list, or wraps one) takes a page size (`limit`) and a position (`cursor`, or `offset`/`page`, or a `Link` header).',
  help: 'Add `limit` (bounded) and `cursor` query parameters and return the next cursor with the page.',
  check({ api, report }) {
    const deref = (value: unknown) => api.deref(value, []).value;
    for (const operation of api.operations) {
      if (!isCollectionGet(operation, deref)) continue;
      const queryParameters = operation.parameters.filter((parameter) => parameter.in === 'query');
      const query = queryParameters.map((parameter) => parameter.name);
      // A page size is a number: `size=true` (Docker's "include sizes") is not one.
      const hasLimit = queryParameters.some(
        (parameter) =>
          LIMIT_NAMES.test(parameter.name) &&
          ['integer', 'number', undefined].includes(parameter.schema?.type as string | undefined),
      );
      const hasPosition =
        query.some((name) => CURSOR_NAMES.test(name) || OFFSET_NAMES.test(name)) ||
        operation.responses.some((response) => response.headers.has('link'));
      if (hasLimit && hasPosition) continue;
      const missing = [
        hasLimit ? undefined : 'a page size',
        hasPosition ? undefined : 'a cursor or offset',
      ].filter(Boolean);
      report({
        path: operation.path,
        message: `${label(operation)} returns a collection without ${missing.join(' and ')}`,
      });
    }
  },
});
