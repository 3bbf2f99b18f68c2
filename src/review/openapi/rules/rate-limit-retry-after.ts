import { label } from '../helpers.js';
import { defineRule } from '../rule.js';

const WAIT_HEADERS = [
  'retry-after',
  'ratelimit-reset',
  'x-ratelimit-reset',
  'ratelimit',
  'x-rate-limit-reset',
];

export default defineRule({
  id: 'architect/rate-limit-retry-after',
  severity: 'warn',
  group: 'status-codes',
  summary: '429 responses say when to retry',
  meaning:
    'A client that is told "too many requests" without a wait time retries at once or guesses, and a thundering herd follows. `Retry-After` (RFC 6585, RFC 9110) or the RateLimit headers (`RateLimit-Reset`) tell it how long to wait. 503 responses may carry `Retry-After` too, but a 503 from a readiness probe is read by load balancers, not clients, so only 429 is checked.',
  help: 'Add a `Retry-After` header (seconds) to 429 responses.',
  check({ api, report }) {
    for (const operation of api.operations) {
      for (const response of operation.responses) {
        if (response.status !== '429') continue;
        if (WAIT_HEADERS.some((header) => response.headers.has(header))) continue;
        report({
          path: response.path,
          message: `${response.status} response of ${label(operation)} has no Retry-After header`,
        });
      }
    }
  },
});
