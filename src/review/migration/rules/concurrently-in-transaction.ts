import { nodeAs } from '../../sql-parse/ast.js';
import type { MigrationRule } from '../context.js';

/** The statement uses CONCURRENTLY, which PostgreSQL refuses inside a transaction block. */
function concurrentWhat(context: Parameters<MigrationRule['check']>[0]): string | undefined {
  if (context.node('IndexStmt')?.concurrent) return 'CREATE INDEX CONCURRENTLY';
  const drop = context.node('DropStmt');
  if (drop?.concurrent) return 'DROP INDEX CONCURRENTLY';
  const reindex = context.node('ReindexStmt');
  if (reindex?.params?.some((p) => nodeAs(p, 'DefElem')?.defname === 'concurrently'))
    return 'REINDEX CONCURRENTLY';
  const alter = context.node('AlterTableStmt');
  for (const item of alter?.cmds ?? []) {
    const cmd = nodeAs(item, 'AlterTableCmd');
    if (cmd?.subtype === 'AT_DetachPartition' && nodeAs(cmd.def, 'PartitionCmd')?.concurrent)
      return 'DETACH PARTITION CONCURRENTLY';
  }
  return undefined;
}

export const rule: MigrationRule = {
  id: 'migration/concurrently-in-transaction',
  severity: 'error',
  group: 'transactions',
  summary: 'CONCURRENTLY operations run outside a transaction block',
  meaning:
    'CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY and DETACH PARTITION CONCURRENTLY commit internally between their phases, so PostgreSQL refuses them inside BEGIN ... COMMIT ("cannot run inside a transaction block") and the migration fails. Put them in their own migration, and tell the migration tool not to wrap it in a transaction (Rails disable_ddl_transaction!, Django atomic = False, Flyway executeInTransaction=false, golang-migrate runs files as written).',
  *check(context) {
    const what = concurrentWhat(context);
    if (!what || !context.session.inTransaction) return;
    const where = context.session.transactionStart
      ? `the transaction opened at line ${context.session.transactionStart.span.line}`
      : 'the transaction the migration tool wraps the file in';
    yield {
      message: `${what} inside ${where} fails: it cannot run in a transaction block`,
      help: `Move the statement to a migration of its own that runs outside a transaction (no BEGIN/COMMIT, and the tool's no-transaction switch). Keep a lock_timeout set in that file too.`,
    };
  },
};
