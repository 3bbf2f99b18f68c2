import { headerParameter, isCreateOperation, label } from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/idempotency-key-on-create',
  severity: 'warn',
  group: 'concurrency',
  summary: 'Creates accept an `Idempotency-Key` header',
  meaning:
    'POST is not idempotent: when a create times out the client cannot know whether it happened, and a retry creates a duplicate order or a second payment. An `Idempotency-Key` header (IETF draft `httpapi-idempotency-key-header`, as Stripe and others use it) lets the server recognise the retry and return the first result.',
  help: 'Accept an optional `Idempotency-Key` header on the create and replay the stored response for a repeated key.',
  check({ api, report }) {
    for (const operation of api.operations) {
      if (!isCreateOperation(operation)) continue;
      if (headerParameter(operation, 'idempotency-key') || headerParameter(operation, 'x-idempotency-key'))
        continue;
      report({
        path: operation.path,
        message: `${label(operation)} creates a resource without an Idempotency-Key header`,
      });
    }
  },
});
