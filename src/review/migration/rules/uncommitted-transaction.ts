import type { MigrationRule } from '../context.js';

export const rule: MigrationRule = {
  id: 'migration/uncommitted-transaction',
  severity: 'error',
  group: 'transactions',
  summary: 'Every BEGIN has a COMMIT in the same file',
  meaning:
    'A transaction opened with BEGIN and not committed by the end of the file is rolled back when the session ends (the migration silently does nothing), or stays open holding its locks if the tool keeps the connection: every later query on those tables waits.',
  *check() {},
  *finish(context) {
    const start = context.session.transactionStart;
    if (!context.session.inTransaction || !start) return;
    yield {
      message: `Transaction opened at line ${start.span.line} is never committed`,
      span: start.span,
      help: 'End the file with COMMIT (or remove the BEGIN and let the migration tool manage the transaction).',
      fix: { description: 'Commit at the end of the file', replacement: 'COMMIT;' },
    };
  },
};
