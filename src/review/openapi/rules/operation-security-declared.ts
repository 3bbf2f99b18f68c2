import { label } from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/operation-security-declared',
  severity: 'warn',
  group: 'security',
  summary: 'Every operation declares its security, or `security: []` when it is public on purpose',
  meaning:
    "An operation with no security requirement, neither its own nor the document's, is public, and nothing tells a reviewer whether that was intended (OWASP API2, broken authentication). Spectral checks that declared schemes exist; this rule checks that there is a declaration at all. A deliberately public endpoint says so with `security: []`.",
  help: 'Add a root `security` requirement, or `security` on the operation; use `security: []` for intentionally public operations.',
  check({ api, report }) {
    for (const operation of api.operations) {
      if (operation.security !== undefined) continue;
      report({ path: operation.path, message: `${label(operation)} declares no security requirement` });
    }
  },
});
