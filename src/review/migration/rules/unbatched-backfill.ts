import { keyOfRangeVar } from '../../sql-parse/ast.js';
import type { MigrationRule } from '../context.js';

export const rule: MigrationRule = {
  id: 'migration/unbatched-backfill',
  severity: 'warn',
  group: 'transactions',
  summary: 'Backfills of existing tables run in batches',
  lock: 'ROW EXCLUSIVE on the table, plus a row lock on every row touched, held to the end of the statement.',
  meaning:
    'An UPDATE or DELETE without WHERE changes every row in one transaction: it locks every row (concurrent writers to any of them wait), bloats the table with a dead copy of each row, and generates WAL that replicas must replay before they catch up. Update in batches of a few thousand rows by key range, committing each batch.',
  *check(context) {
    const update = context.node('UpdateStmt');
    const remove = context.node('DeleteStmt');
    const target = keyOfRangeVar(update?.relation ?? remove?.relation);
    if (!target || !context.isExisting(target)) return;
    if (update?.whereClause || remove?.whereClause) return;
    yield {
      message: `${update ? 'UPDATE' : 'DELETE'} of every row of ${context.name(target)} in one statement`,
      help: `Process ${context.name(target)} in batches (WHERE id > $last ORDER BY id LIMIT 5000, or ctid ranges), each batch in its own transaction, so row locks are short and autovacuum keeps up.`,
    };
  },
};
