import { label } from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/operation-summary',
  severity: 'warn',
  group: 'documentation',
  summary: 'Every operation has a summary',
  meaning:
    'The summary is the one line that documentation sidebars, SDK method comments and API consoles show. Without it readers see only a method and a path. Spectral checks descriptions (`operation-description`); the summary is the short form people scan.',
  help: 'Add a short `summary` (a few words, imperative: "List purchase orders").',
  check({ api, report }) {
    for (const operation of api.operations) {
      const summary = operation.value.summary;
      if (typeof summary === 'string' && summary.trim() !== '') continue;
      report({ path: operation.path, message: `${label(operation)} has no summary` });
    }
  },
});
