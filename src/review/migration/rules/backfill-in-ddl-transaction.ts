import { keyOfRangeVar } from '../../sql-parse/ast.js';
import { blocksWrites } from '../../sql-parse/locks.js';
import type { MigrationRule } from '../context.js';

export const rule: MigrationRule = {
  id: 'migration/backfill-in-ddl-transaction',
  severity: 'warn',
  group: 'transactions',
  summary: 'Data backfills do not run in the transaction that changed the schema',
  lock: 'Whatever the earlier DDL took (often ACCESS EXCLUSIVE), held for the whole backfill.',
  meaning:
    "An UPDATE, DELETE or INSERT ... SELECT that follows DDL in the same transaction runs while the DDL's locks are still held, so a backfill of a few minutes becomes a few minutes of blocked reads and writes. Commit the schema change first, then backfill in batches in separate transactions.",
  *check(context) {
    if (!context.session.inTransaction) return;
    const update = context.node('UpdateStmt');
    const remove = context.node('DeleteStmt');
    const insert = context.node('InsertStmt');
    const target = keyOfRangeVar(
      update?.relation ?? remove?.relation ?? (insert?.selectStmt ? insert.relation : undefined),
    );
    if (!target || !context.isExisting(target)) return;
    const held = context.session.heldLocks.find(
      (lock) => blocksWrites(lock.mode) && context.isExisting(lock.table),
    );
    if (!held) return;
    yield {
      message: `Backfill of ${context.name(target)} runs while the transaction holds ${held.mode} on ${context.name(held.table)} (line ${held.statement.span.line})`,
      help: `Commit the DDL first; then backfill ${context.name(target)} in batches (a few thousand rows per transaction) so ${context.name(held.table)} is not blocked for the whole update.`,
    };
  },
};
