import { nodeAs } from '../../sql-parse/ast.js';
import { cloneNode, printStatement } from '../../sql-parse/print.js';
import type { MigrationRule } from '../context.js';

export const rule: MigrationRule = {
  id: 'migration/reindex-without-concurrently',
  severity: 'warn',
  group: 'locking',
  summary: 'Rebuild indexes with REINDEX CONCURRENTLY',
  lock: 'SHARE on the table (writes wait) and ACCESS EXCLUSIVE on each index being rebuilt (reads that would use it wait).',
  meaning:
    'REINDEX blocks writes to the table and any query that wants the index until the rebuild finishes. Since PostgreSQL 12, REINDEX CONCURRENTLY rebuilds without blocking writes (outside a transaction block).',
  *check(context) {
    const reindex = context.node('ReindexStmt');
    if (!reindex || context.postgresVersion < 12) return;
    if (reindex.params?.some((p) => nodeAs(p, 'DefElem')?.defname === 'concurrently')) return;
    if (reindex.kind === 'REINDEX_OBJECT_SYSTEM') return;
    const fixed = cloneNode(context.statement.node) as { ReindexStmt: typeof reindex };
    fixed.ReindexStmt.params = [...(reindex.params ?? []), { DefElem: { defname: 'concurrently' } }];
    yield {
      message: 'REINDEX without CONCURRENTLY blocks writes while it rebuilds',
      help: 'Use REINDEX ... CONCURRENTLY (PostgreSQL 12+), outside a transaction block.',
      fix: { description: 'Reindex concurrently', replacement: printStatement(fixed as never) },
    };
  },
};
