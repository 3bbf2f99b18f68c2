import { label } from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/created-has-location',
  severity: 'warn',
  group: 'status-codes',
  summary: '201 Created responses declare a `Location` header',
  meaning:
    'RFC 9110 section 15.3.2: a 201 response identifies the new resource, normally with `Location`. Clients then follow one link instead of assembling a URL from the body, and the server stays free to change its URL scheme.',
  help: 'Add `Location` (the URL of the created resource) to the 201 response headers.',
  check({ api, report }) {
    for (const operation of api.operations) {
      const created = operation.responses.find((response) => response.status === '201');
      if (!created || created.headers.has('location') || created.headers.has('content-location')) continue;
      report({ path: created.path, message: `201 response of ${label(operation)} has no Location header` });
    }
  },
});
