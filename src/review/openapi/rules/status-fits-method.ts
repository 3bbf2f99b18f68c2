import type { HttpMethod } from '../api-view.js';
import { label } from '../helpers.js';
import { defineRule } from '../rule.js';

/** Success statuses each method can mean (RFC 9110 sections 9.3 and 15). */
const ALLOWED: Record<HttpMethod, RegExp> = {
  get: /^(200|203|204|206|3\d\d|2XX)$/i,
  head: /^(200|203|204|206|3\d\d|2XX)$/i,
  post: /^(2\d\d|3\d\d|2XX)$/i,
  put: /^(200|201|202|204|207|3\d\d|2XX)$/i,
  patch: /^(200|201|202|204|207|3\d\d|2XX)$/i,
  delete: /^(200|202|204|207|3\d\d|2XX)$/i,
  options: /^(200|204|2XX)$/i,
  trace: /^(200|2XX)$/i,
};

export default defineRule({
  id: 'architect/status-fits-method',
  severity: 'warn',
  group: 'status-codes',
  summary: 'Success statuses fit the method (no 201 on GET or DELETE, no 205 outside forms)',
  meaning:
    "Each method has a defined set of successful outcomes: a GET does not create anything, so 201 on a GET is wrong; a DELETE does not create, a PATCH updates (or, per RFC 5789, creates: 201). Clients and generated SDKs branch on the status, so a status outside the method's meaning sends them down the wrong branch.",
  help: 'Use 200 (with a body) or 204 (without) for reads, updates and deletes; 201 only where something is created.',
  check({ api, report }) {
    for (const operation of api.operations) {
      for (const response of operation.responses) {
        if (!/^[23]/.test(response.status) || ALLOWED[operation.method].test(response.status)) continue;
        report({ path: response.path, message: `${response.status} does not fit ${label(operation)}` });
      }
    }
  },
});
