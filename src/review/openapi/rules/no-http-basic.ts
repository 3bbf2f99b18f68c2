import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/no-http-basic',
  severity: 'warn',
  group: 'security',
  summary: 'No HTTP Basic authentication',
  meaning:
    'HTTP Basic sends the long-lived secret itself, base64-encoded, with every request: it cannot be scoped, expires only when someone rotates it, and any log or proxy that records headers keeps it (OWASP API2). Tokens (OAuth 2, short-lived bearer tokens, API keys in a header that can be scoped and revoked) limit the damage of a leak.',
  help: 'Use a bearer token (`type: http, scheme: bearer`) or OAuth 2 instead.',
  check({ api, report }) {
    for (const [name, scheme] of api.securitySchemes) {
      const isBasic =
        scheme.value.type === 'basic' ||
        (scheme.value.type === 'http' && String(scheme.value.scheme).toLowerCase() === 'basic');
      if (isBasic) report({ path: scheme.path, message: `Security scheme "${name}" is HTTP Basic` });
    }
  },
});
