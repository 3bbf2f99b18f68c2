import { label } from '../helpers.js';
import { defineRule } from '../rule.js';
import { toPointer } from '../source.js';

const CREDENTIAL_NAMES =
  /^(api[-_]?key|apikey|access[-_]?token|auth[-_]?token|token|password|passwd|secret|client[-_]?secret|session([-_]?id)?|authorization|jwt|id[-_]?token|refresh[-_]?token|private[-_]?key)$/i;

export default defineRule({
  id: 'architect/no-credentials-in-query',
  severity: 'error',
  group: 'security',
  summary: 'No credentials in query strings (API keys, tokens, passwords)',
  meaning:
    'URLs end up in access logs, proxy logs, browser history, `Referer` headers and analytics, so a credential in the query string leaks to everyone who can read any of them (OWASP API2). Credentials travel in the `Authorization` header (or a cookie).',
  help: 'Move the credential to a header (`Authorization: Bearer ...` or an `in: header` API key).',
  check({ api, report }) {
    for (const [name, scheme] of api.securitySchemes) {
      if (scheme.value.type === 'apiKey' && scheme.value.in === 'query') {
        report({
          path: scheme.path,
          message: `Security scheme "${name}" sends the API key in the query string`,
        });
      }
    }
    const seen = new Set<string>();
    for (const operation of api.operations) {
      for (const parameter of operation.parameters) {
        if ((parameter.in !== 'query' && parameter.in !== 'path') || !CREDENTIAL_NAMES.test(parameter.name))
          continue;
        const pointer = toPointer(parameter.path);
        if (seen.has(pointer)) continue;
        seen.add(pointer);
        report({
          path: parameter.path,
          message: `${label(operation)} takes the credential "${parameter.name}" in the ${parameter.in}`,
        });
      }
    }
  },
});
