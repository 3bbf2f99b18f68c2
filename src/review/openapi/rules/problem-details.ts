import { label } from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/problem-details',
  severity: 'warn',
  group: 'errors',
  profile: 'problem-details',
  summary: 'Error responses use `application/problem+json` (RFC 9457)',
  meaning:
    'With the `problem-details` profile, errors follow RFC 9457 (formerly 7807): media type `application/problem+json` with `type`, `title`, `status`, `detail` and `instance`, which generic clients, gateways and monitoring understand without reading the API\'s documentation. Projects with their own error envelope (as this toolkit\'s `{ "error": { code, message } }`) leave the profile off; `architect/error-schema-consistent` still keeps their errors uniform.',
  help: 'Serve errors as `application/problem+json` with the RFC 9457 members.',
  check({ api, report }) {
    for (const operation of api.operations) {
      for (const response of operation.responses) {
        if (!/^[45]/.test(response.status) || response.content.length === 0) continue;
        if (response.content.some((media) => /^application\/problem\+(json|xml)/i.test(media.type))) continue;
        report({
          path: response.path,
          message: `${response.status} response of ${label(operation)} is not application/problem+json`,
        });
      }
    }
  },
});
