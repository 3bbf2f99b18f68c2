import { nodeAs } from '../../sql-parse/ast.js';
import type { MigrationRule } from '../context.js';

export const rule: MigrationRule = {
  id: 'migration/vacuum-full-or-cluster',
  severity: 'warn',
  group: 'locking',
  summary: 'Use pg_repack (or pg_squeeze), not VACUUM FULL or CLUSTER, on live tables',
  lock: 'ACCESS EXCLUSIVE on the table for the whole rewrite.',
  meaning:
    'VACUUM FULL and CLUSTER rewrite the table and all its indexes while holding an ACCESS EXCLUSIVE lock: no reads and no writes until they finish, and they need disk for a full second copy. pg_repack and pg_squeeze do the same online, with only brief locks at the start and the end.',
  *check(context) {
    const vacuum = context.node('VacuumStmt');
    const full = vacuum?.options?.some((option) => nodeAs(option, 'DefElem')?.defname === 'full');
    const cluster = context.node('ClusterStmt');
    if (!full && !cluster) return;
    const what = cluster ? 'CLUSTER' : 'VACUUM FULL';
    yield {
      message: `${what} rewrites the table under an ACCESS EXCLUSIVE lock`,
      help: `Run pg_repack (or pg_squeeze) instead of ${what}, outside the migration, so reads and writes continue during the rewrite.`,
    };
  },
};
