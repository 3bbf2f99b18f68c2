import { hasResponse, label } from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/request-body-422',
  severity: 'warn',
  group: 'status-codes',
  summary: 'Operations with a request body declare 400 or 422',
  meaning:
    'Every body can be malformed or invalid, and clients need the status and the error shape that come back, with details per field, to show the user what to fix. 400 is for a request that cannot be parsed, 422 for one that parses but fails validation.',
  help: 'Declare 422 (validation failed) and/or 400 (malformed) with the error schema.',
  check({ api, report }) {
    for (const operation of api.operations) {
      if (!operation.requestBody || hasResponse(operation, '400') || hasResponse(operation, '422')) continue;
      report({
        path: [...operation.path, 'responses'],
        message: `${label(operation)} takes a body but declares neither 400 nor 422`,
      });
    }
  },
});
