import { isOperationalRoute, isVersionSegment, routeSegments } from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/url-versioning',
  severity: 'warn',
  group: 'versioning',
  profile: 'url-versioning',
  summary: 'Every route carries a major version in its URL (`/v1/...`)',
  meaning:
    'With the `url-versioning` profile the major version is part of every URL, either in the server URL or in each path, so a breaking release can run side by side with the previous one and caches and logs show which version a request used. Operational routes (`/health`, `/ready`, `/live`, `/metrics`, `/openapi.json`, `/docs`, `/.well-known/...`) belong to the deployment, not to an API version, and are exempt.',
  help: 'Put `/v1` in the server URL (or at the start of every path).',
  check({ api, report }) {
    if (
      api.serverPaths.length > 0 &&
      api.serverPaths.every((path) => routeSegments(path).some(isVersionSegment))
    )
      return;
    for (const operation of api.operations) {
      if (routeSegments(operation.route).some(isVersionSegment) || isOperationalRoute(operation.route))
        continue;
      report({
        path: ['paths', operation.route],
        message: `${operation.route} has no major version in its URL (server URLs: ${api.serverPaths.join(', ') || 'none'})`,
      });
    }
  },
});
