import { hasResponse, isCreateOperation, label } from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/create-returns-201',
  severity: 'warn',
  group: 'status-codes',
  summary: 'A POST that creates a collection member answers 201 Created (or 202 Accepted)',
  meaning:
    'RFC 9110 gives creation its own status: 201 Created, with `Location` naming the new resource. Answering 200 hides whether anything was created, so clients cannot tell a create from a replayed or merged request. Asynchronous creation answers 202. The rule considers a POST to a static route that can also be listed (has a GET) to be a create; POSTs to action sub-resources are not creates.',
  help: 'Declare a 201 response (with a `Location` header) for the create, or 202 if creation happens later.',
  check({ api, report }) {
    for (const operation of api.operations) {
      if (!isCreateOperation(operation)) continue;
      if (hasResponse(operation, '201') || hasResponse(operation, '202')) continue;
      report({
        path: [...operation.path, 'responses'],
        message: `${label(operation)} creates a resource but declares no 201 response`,
      });
    }
  },
});
