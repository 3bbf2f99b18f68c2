import { hasResponse, label, requiresAuthentication } from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/secured-operation-401-403',
  severity: 'warn',
  group: 'status-codes',
  summary: 'Operations that require authentication declare 401, and 403 where authorization applies',
  meaning:
    'An operation behind authentication answers 401 when credentials are missing or invalid and 403 when the caller lacks the right; clients react differently (log in again versus give up). 403 is expected when the security requirement names scopes (the document then shows that authorization applies); an operation open to every authenticated caller cannot answer 403, so it is not asked to declare it. Operations whose security allows anonymous access (`{}`) are exempt.',
  help: 'Declare 401 (and 403) responses with the error schema, or reuse shared `components.responses`.',
  check({ api, report }) {
    for (const operation of api.operations) {
      if (!requiresAuthentication(operation)) continue;
      const missing: string[] = [];
      if (!hasResponse(operation, '401')) missing.push('401');
      const hasScopes = (operation.security ?? []).some((requirement) =>
        Object.values(requirement).some((scopes) => Array.isArray(scopes) && scopes.length > 0),
      );
      if (hasScopes && !hasResponse(operation, '403')) missing.push('403');
      if (missing.length === 0) continue;
      report({
        path: [...operation.path, 'responses'],
        message: `${label(operation)} requires authentication but declares no ${missing.join(' or ')}`,
      });
    }
  },
});
