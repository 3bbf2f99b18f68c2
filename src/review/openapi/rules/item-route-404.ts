import { hasResponse, isParameterSegment, isVersionSegment, label, routeSegments } from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/item-route-404',
  severity: 'warn',
  group: 'status-codes',
  summary: 'Operations addressed by a path parameter declare 404',
  meaning:
    'When a route names a resource by id (`/orders/{id}`, `/orders/{orderId}/lines`) the id may not exist, or the caller may not be allowed to see it. Clients need to know the API answers 404 then, so they can tell "gone" from a broken request.',
  help: 'Declare a 404 response with the error schema.',
  check({ api, report }) {
    for (const operation of api.operations) {
      const identifies = routeSegments(operation.route).some(
        (segment) => isParameterSegment(segment) && !isVersionSegment(segment),
      );
      if (!identifies || hasResponse(operation, '404')) continue;
      report({
        path: [...operation.path, 'responses'],
        message: `${label(operation)} names a resource by path parameter but declares no 404`,
      });
    }
  },
});
