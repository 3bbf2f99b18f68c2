import { isVersionSegment, routeSegments } from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/no-url-versioning',
  severity: 'warn',
  group: 'versioning',
  profile: 'media-type-versioning',
  summary: 'No version in URLs; the media type carries it',
  meaning:
    'With the `media-type-versioning` profile (Zalando guideline 115) a resource keeps one URL for its whole life and the representation is versioned through content negotiation (`Accept: application/vnd.acme.order.v2+json`). A `/v1` segment makes a new major version a new set of resources and breaks links.',
  help: 'Remove the version segment and version the media types instead.',
  check({ api, report }) {
    for (const server of api.serverUrls) {
      const path = server.value.replace(/^[a-z]+:\/\/[^/]*/i, '');
      if (routeSegments(path).some(isVersionSegment)) {
        report({ path: server.path, message: `Server URL ${server.value} carries a version` });
      }
    }
    for (const route of new Set(api.operations.map((operation) => operation.route))) {
      if (routeSegments(route).some(isVersionSegment)) {
        report({ path: ['paths', route], message: `${route} carries a version in the URL` });
      }
    }
  },
});
