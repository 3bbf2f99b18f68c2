import { label } from '../helpers.js';
import { defineRule } from '../rule.js';

const BODYLESS = new Set(['204', '205', '304']);

export default defineRule({
  id: 'architect/no-content-without-body',
  severity: 'error',
  group: 'status-codes',
  summary: '204, 205 and 304 responses declare no body',
  meaning:
    'RFC 9110 forbids content in 204 No Content, 205 Reset Content and 304 Not Modified responses; HTTP clients and proxies drop whatever follows the headers. A body declared for them is documentation of data no client will ever receive.',
  help: 'Remove the content from the response, or answer 200 if there is something to return.',
  check({ api, report }) {
    for (const operation of api.operations) {
      for (const response of operation.responses) {
        if (!BODYLESS.has(response.status) || response.content.length === 0) continue;
        report({
          path: response.path,
          message: `${response.status} response of ${label(operation)} declares a body`,
        });
      }
    }
  },
});
