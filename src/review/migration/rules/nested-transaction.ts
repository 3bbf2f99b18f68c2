import type { MigrationRule } from '../context.js';

export const rule: MigrationRule = {
  id: 'migration/nested-transaction',
  severity: 'warn',
  group: 'transactions',
  summary: 'No BEGIN inside a transaction',
  meaning:
    'PostgreSQL has no nested transactions: a second BEGIN only warns "there is already a transaction in progress", and the first COMMIT commits everything, so the statements after it run outside any transaction. When the migration tool already wraps the file in a transaction, an explicit BEGIN/COMMIT in the file breaks the tool\'s rollback on failure. Use SAVEPOINT for partial rollback.',
  *check(context) {
    const transaction = context.node('TransactionStmt');
    if (!transaction || !['TRANS_STMT_BEGIN', 'TRANS_STMT_START'].includes(transaction.kind ?? '')) return;
    if (!context.session.inTransaction) return;
    const start = context.session.transactionStart;
    yield {
      message: start
        ? `BEGIN inside the transaction opened at line ${start.span.line}`
        : 'BEGIN inside the transaction the migration tool wraps the file in',
      help: 'Remove the inner BEGIN (and its COMMIT), or use SAVEPOINT / RELEASE SAVEPOINT for a partial rollback.',
    };
  },
};
