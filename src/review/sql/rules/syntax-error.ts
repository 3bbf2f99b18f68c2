import type { RuleDefinition } from '../../sql-parse/rule.js';

export const syntaxErrorRule: RuleDefinition = {
  id: 'sql/syntax-error',
  severity: 'error',
  group: 'syntax',
  summary: 'The statement is not valid PostgreSQL',
  meaning:
    "PostgreSQL's own parser rejected the statement, so it would fail when run. The review goes on with the other statements. psql meta-commands (lines starting with a backslash, as in pg_dump output) are skipped, not reported.",
};
