import { label } from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/error-response-body',
  severity: 'warn',
  group: 'errors',
  summary: '4xx and 5xx responses declare a body schema',
  meaning:
    'An error status alone does not say what went wrong: which field failed validation, which state forbade the transition, which request id to quote to support. Declaring the error body makes it part of the contract, so clients can rely on it. Responses to HEAD are exempt (they have no body).',
  help: 'Give the response `content` with the shared error schema.',
  check({ api, report }) {
    for (const operation of api.operations) {
      if (operation.method === 'head') continue;
      for (const response of operation.responses) {
        if (!/^[45]/.test(response.status) || response.content.some((media) => media.schema)) continue;
        report({
          path: response.path,
          message: `${response.status} response of ${label(operation)} has no body schema`,
        });
      }
    }
  },
});
