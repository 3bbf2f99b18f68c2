import { label } from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/no-request-body-on-get',
  severity: 'warn',
  group: 'status-codes',
  summary: 'GET, HEAD and DELETE take no request body',
  meaning:
    'RFC 9110 gives a body on GET, HEAD and DELETE no defined meaning; proxies, caches and many HTTP clients drop it or reject the request. Search with a large query belongs in a POST to a search resource (or the new QUERY method), delete criteria in the URL.',
  help: 'Move the input to query parameters, or make the operation a POST on a dedicated resource.',
  check({ api, report }) {
    for (const operation of api.operations) {
      if (!['get', 'head', 'delete'].includes(operation.method) || !operation.requestBody) continue;
      report({ path: operation.requestBody.path, message: `${label(operation)} declares a request body` });
    }
  },
});
