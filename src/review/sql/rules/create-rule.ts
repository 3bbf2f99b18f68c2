import type { SchemaRule } from '../context.js';

export const rule: SchemaRule = {
  id: 'sql/create-rule',
  severity: 'warn',
  group: 'integrity',
  summary: 'Use triggers, not rules',
  meaning:
    'A rule rewrites the query instead of acting on each row, so volatile functions run more often than expected, RETURNING and ON CONFLICT behave differently, and multi-row statements surprise. The PostgreSQL wiki lists rules under "Don\'t Do This"; triggers (or views with INSTEAD OF triggers) do the same jobs predictably.',
  *check(context) {
    for (const rule of context.catalog.rules) {
      yield {
        message: `Rule ${rule.name} on ${context.name(rule.table)}`,
        span: rule.origin.span,
        pointer: rule.table,
        help: 'Replace the rule with a trigger (BEFORE/AFTER ... FOR EACH ROW), or an INSTEAD OF trigger on a view.',
      };
    }
  },
};
