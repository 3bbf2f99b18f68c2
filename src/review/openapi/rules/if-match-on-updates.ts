import { headerParameter, isItemRoute, label } from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/if-match-on-updates',
  severity: 'warn',
  group: 'concurrency',
  summary: 'PUT and PATCH on items accept `If-Match`',
  meaning:
    'Without a precondition the last writer wins silently: a client that edited an old copy erases a change made in between (the lost update). `If-Match: "<etag>"` makes the server refuse a write based on a stale version with 412, and the client merges and retries (RFC 9110 section 13.1.1).',
  help: 'Accept an `If-Match` header on the update and answer 412 when it does not match the current ETag.',
  check({ api, report }) {
    for (const operation of api.operations) {
      if (!['put', 'patch'].includes(operation.method) || !isItemRoute(operation.route)) continue;
      if (headerParameter(operation, 'if-match') || headerParameter(operation, 'if-unmodified-since'))
        continue;
      report({
        path: operation.path,
        message: `${label(operation)} updates an item without accepting If-Match`,
      });
    }
  },
});
