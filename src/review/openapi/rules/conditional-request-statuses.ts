import { hasResponse, headerParameter, label } from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/conditional-request-statuses',
  severity: 'warn',
  group: 'status-codes',
  summary: 'Operations reading If-Match declare 412; GETs reading If-None-Match declare 304',
  meaning:
    "Conditional requests are only useful if the client knows the answer to a failed condition: 412 Precondition Failed when `If-Match` (or `If-Unmodified-Since`) no longer matches, so it can refetch and retry instead of overwriting someone else's change, and 304 Not Modified when `If-None-Match` matches, so it can use its cache.",
  help: 'Declare 412 for If-Match / If-Unmodified-Since, 304 (without body) for If-None-Match on GET.',
  check({ api, report }) {
    for (const operation of api.operations) {
      const precondition =
        headerParameter(operation, 'if-match') ?? headerParameter(operation, 'if-unmodified-since');
      if (precondition && !hasResponse(operation, '412')) {
        report({
          path: [...operation.path, 'responses'],
          message: `${label(operation)} reads ${precondition.name} but declares no 412`,
        });
      }
      const cacheCheck =
        headerParameter(operation, 'if-none-match') ?? headerParameter(operation, 'if-modified-since');
      if (cacheCheck && ['get', 'head'].includes(operation.method) && !hasResponse(operation, '304')) {
        report({
          path: [...operation.path, 'responses'],
          message: `${label(operation)} reads ${cacheCheck.name} but declares no 304`,
        });
      }
    }
  },
});
