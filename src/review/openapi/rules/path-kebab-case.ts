import { isParameterSegment, isVersionSegment, routeSegments, words } from '../helpers.js';
import { defineRule } from '../rule.js';

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*(\.(json|yaml|yml|xml|txt|html))?$/;

export default defineRule({
  id: 'architect/path-kebab-case',
  severity: 'warn',
  group: 'naming',
  summary: 'Static path segments are lower-case kebab-case',
  meaning:
    'URLs are case-sensitive after the host, so `/purchaseOrders` and `/purchaseorders` are different resources and one of them is a typo a client will make. Lower-case kebab-case (`/purchase-orders`) is the common convention (Zalando 129, Google AIP-122) and reads well in logs.',
  help: 'Rename the segment to lower-case words joined by hyphens.',
  check({ api, report }) {
    for (const route of new Set(api.operations.map((operation) => operation.route))) {
      for (const segment of routeSegments(route)) {
        if (isParameterSegment(segment) || isVersionSegment(segment) || segment === '.well-known') continue;
        if (KEBAB.test(segment)) continue;
        const suggestion = words(segment).join('-');
        report({
          path: ['paths', route],
          message: `Path segment "${segment}" in ${route} is not kebab-case`,
          fix: { description: `rename the segment to "${suggestion}"`, replacement: suggestion },
        });
        break;
      }
    }
  },
});
