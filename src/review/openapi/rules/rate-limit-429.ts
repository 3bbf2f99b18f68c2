import { hasResponse, label } from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/rate-limit-429',
  severity: 'warn',
  group: 'status-codes',
  summary: 'If some operations declare 429, all of them do',
  meaning:
    'Rate limits apply per client, not per endpoint that happened to be documented: an API that declares 429 on some operations enforces limits everywhere, and clients that read the document as the contract will not back off on the others. The rule only fires when the document shows rate limiting somewhere, and skips operations that declare no 4xx response at all (health and readiness probes, which are usually exempt from limits).',
  help: 'Declare 429 (with `Retry-After`) on every operation, for example through a shared `components.responses` entry.',
  check({ api, report }) {
    if (!api.operations.some((operation) => hasResponse(operation, '429'))) return;
    for (const operation of api.operations) {
      if (hasResponse(operation, '429')) continue;
      // An operation that rejects no client at all (a health probe) is not expected to declare 429.
      if (!operation.responses.some((response) => /^4/.test(response.status))) continue;
      report({
        path: [...operation.path, 'responses'],
        message: `${label(operation)} declares no 429 though the API is rate limited`,
      });
    }
  },
});
