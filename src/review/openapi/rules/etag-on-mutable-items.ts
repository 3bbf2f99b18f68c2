import { isItemRoute, label } from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/etag-on-mutable-items',
  severity: 'warn',
  group: 'concurrency',
  summary: 'GET on an item that can be changed returns an `ETag`',
  meaning:
    "Two clients that read, edit and write the same item overwrite each other's changes unless the write can say which version it was based on. The `ETag` on the read is that version; it also lets clients revalidate caches with `If-None-Match`. The rule applies to item routes that also accept PUT, PATCH or DELETE.",
  help: 'Return an `ETag` header (for example the row version) from the item GET.',
  check({ api, report }) {
    for (const operation of api.operations) {
      if (operation.method !== 'get' || !isItemRoute(operation.route)) continue;
      if (!operation.siblingMethods.some((method) => ['put', 'patch', 'delete'].includes(method))) continue;
      const success = operation.responses.find((response) => response.status === '200');
      if (!success || success.headers.has('etag')) continue;
      report({
        path: success.path,
        message: `${label(operation)} returns a mutable item without an ETag header`,
      });
    }
  },
});
