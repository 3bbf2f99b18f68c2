import { keyOfNames, nameListOf } from '../../sql-parse/ast.js';
import { cloneNode, printStatement } from '../../sql-parse/print.js';
import type { MigrationRule } from '../context.js';

export const rule: MigrationRule = {
  id: 'migration/drop-index-without-concurrently',
  severity: 'warn',
  group: 'locking',
  summary: 'Drop indexes of existing tables with DROP INDEX CONCURRENTLY',
  lock: "ACCESS EXCLUSIVE on the index's table: every read and write waits, including while DROP waits for running queries.",
  meaning:
    'DROP INDEX takes an ACCESS EXCLUSIVE lock on the table. The drop itself is quick, but it must first wait for every running query on the table, and while it waits every new query queues behind it. DROP INDEX CONCURRENTLY waits without blocking others. It cannot run in a transaction block or drop more than one index. Indexes of a table that the same file drops afterwards are not reported: DROP TABLE takes the same lock anyway.',
  *check(context) {
    const drop = context.node('DropStmt');
    if (drop?.removeType !== 'OBJECT_INDEX' || drop.concurrent) return;
    for (const object of drop.objects ?? []) {
      const key = keyOfNames(nameListOf(object));
      const index = key ? context.catalog.indexes.get(key) : undefined;
      if (index && !context.isExisting(index.table)) continue;
      if (index?.constraint) continue;
      // The table goes later in this file: DROP TABLE takes the same lock anyway.
      if (index && context.isDroppedLater(index.table)) continue;
      const fixed = cloneNode(context.statement.node) as { DropStmt: typeof drop };
      fixed.DropStmt.concurrent = true;
      fixed.DropStmt.objects = [object];
      yield {
        message: `DROP INDEX ${key ? context.name(key) : ''} takes an ACCESS EXCLUSIVE lock on ${index ? context.name(index.table) : 'its table'}`,
        help: 'Drop the index with DROP INDEX CONCURRENTLY (one index per statement, outside a transaction) so waiting for running queries does not block new ones.',
        fix: { description: 'Drop the index concurrently', replacement: printStatement(fixed as never) },
      };
    }
  },
};
