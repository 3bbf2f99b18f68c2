import { keyOfRangeVar } from '../../sql-parse/ast.js';
import { cloneNode, printStatement } from '../../sql-parse/print.js';
import type { MigrationRule } from '../context.js';

export const rule: MigrationRule = {
  id: 'migration/add-index-without-concurrently',
  severity: 'error',
  group: 'locking',
  summary: 'Build indexes on existing tables with CREATE INDEX CONCURRENTLY',
  lock: 'SHARE on the table for the whole build: reads continue, every INSERT, UPDATE and DELETE waits.',
  meaning:
    'CREATE INDEX holds a SHARE lock on the table until the index is built, which on a large table means minutes of blocked writes. CREATE INDEX CONCURRENTLY takes SHARE UPDATE EXCLUSIVE instead (writes continue) at the cost of two table scans; it cannot run inside a transaction block, and if it fails it leaves an INVALID index to drop before retrying.',
  *check(context) {
    const index = context.node('IndexStmt');
    const table = keyOfRangeVar(index?.relation);
    if (!index || index.concurrent || !context.isExisting(table)) return;
    const fixed = cloneNode(context.statement.node);
    const payload = (fixed as { IndexStmt: typeof index }).IndexStmt;
    payload.concurrent = true;
    payload.if_not_exists = true;
    yield {
      message: `CREATE INDEX${index.idxname ? ` ${index.idxname}` : ''} on existing table ${context.name(table!)} blocks writes while it builds`,
      help: `CREATE INDEX takes a SHARE lock on ${context.name(table!)}: reads go on, writes wait until the build finishes. Build it with CONCURRENTLY, in its own migration that does not run in a transaction; if the build fails, DROP INDEX CONCURRENTLY the invalid index and run it again.`,
      fix: {
        description: 'Build the index concurrently (outside a transaction)',
        replacement: printStatement(fixed),
      },
    };
  },
};
