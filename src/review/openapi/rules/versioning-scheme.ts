import { isObject } from '../api-view.js';
import { isVersionSegment, routeSegments } from '../helpers.js';
import { defineRule } from '../rule.js';

/** A `v1`-style segment in a server path or in every route, a versioned media type, or a version header. */
export default defineRule({
  id: 'architect/versioning-scheme',
  severity: 'warn',
  group: 'versioning',
  summary: 'The API declares how it is versioned',
  meaning:
    'Clients need to know how a breaking change will reach them. An API with no versioning scheme has no way to ship one without breaking every client at once. Any scheme will do (a `/v1` segment in the server URL or in the resource paths, a versioned media type such as `application/vnd.acme.v1+json`, an `Api-Version` header, or `x-api-versioning` naming the policy); choose one per style guide with the `url-versioning` or `media-type-versioning` profile.',
  help: 'Add a major version to the server URL (`https://api.example.com/v1`), version the media types, accept an `Api-Version` header, or state the policy under `x-api-versioning` at the root.',
  check({ api, report }) {
    if (
      api.data['x-api-versioning'] !== undefined ||
      (isObject(api.data.info) && api.data.info['x-api-versioning'] !== undefined)
    )
      return;
    if (api.serverPaths.some((path) => routeSegments(path).some(isVersionSegment))) return;
    if (api.operations.length === 0) return;
    // Operational routes (/health, /metrics) are often unversioned; one versioned route shows the scheme.
    if (api.operations.some((operation) => routeSegments(operation.route).some(isVersionSegment))) return;
    const versionedMedia = (type: string) => /[.;]\s*v(ersion=)?\d/i.test(type);
    for (const operation of api.operations) {
      if (
        operation.parameters.some((parameter) => parameter.in === 'header' && /version/i.test(parameter.name))
      )
        return;
      if (
        operation.responses.some((response) => response.content.some((media) => versionedMedia(media.type)))
      )
        return;
      if (operation.requestBody?.content.some((media) => versionedMedia(media.type))) return;
    }
    report({
      path: isObject(api.data.info) ? ['info'] : [],
      message:
        'No versioning scheme: no version in the server URL or the paths, no versioned media type, no version header',
    });
  },
});
