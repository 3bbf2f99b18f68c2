import type { RuleDefinition } from '../../sql-parse/rule.js';

export const syntaxErrorRule: RuleDefinition = {
  id: 'migration/syntax-error',
  severity: 'error',
  group: 'syntax',
  summary: 'The statement is not valid PostgreSQL',
  meaning:
    "PostgreSQL's own parser rejected the statement, so the migration would fail when run (and, outside a transaction, stop half-applied). The review goes on with the other statements.",
};
