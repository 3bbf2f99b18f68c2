import { hasResponse, isCreateOperation, label } from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/write-conflict-409',
  severity: 'info',
  group: 'status-codes',
  summary: 'Creates and replaces declare 409 Conflict',
  meaning:
    'A create or a PUT can collide with the current state: a unique value already taken, a referenced resource that does not exist, a state that forbids the change. 409 tells the client the request was well formed but conflicts, which is different from invalid (422). Informational, because the document cannot show whether the resource has unique fields.',
  help: 'Declare a 409 response with the error schema where a conflict is possible.',
  check({ api, report }) {
    for (const operation of api.operations) {
      if (!(isCreateOperation(operation) || operation.method === 'put') || hasResponse(operation, '409'))
        continue;
      report({
        path: [...operation.path, 'responses'],
        message: `${label(operation)} declares no 409 for conflicting writes`,
      });
    }
  },
});
