import { keyOfRangeVar } from '../../sql-parse/ast.js';
import type { MigrationRule } from '../context.js';

export const rule: MigrationRule = {
  id: 'migration/refresh-materialized-view-without-concurrently',
  severity: 'warn',
  group: 'locking',
  summary: 'Refresh materialized views CONCURRENTLY',
  lock: 'ACCESS EXCLUSIVE on the materialized view for the whole refresh: readers wait.',
  meaning:
    'REFRESH MATERIALIZED VIEW blocks every reader of the view until the query behind it has run again. REFRESH ... CONCURRENTLY (which needs a unique index on the view) lets readers keep the old contents meanwhile.',
  *check(context) {
    const refresh = context.node('RefreshMatViewStmt');
    const view = keyOfRangeVar(refresh?.relation);
    if (!refresh || refresh.concurrent || refresh.skipData || !context.isExisting(view)) return;
    yield {
      message: `REFRESH MATERIALIZED VIEW ${context.name(view!)} blocks its readers until the refresh ends`,
      help: `Create a unique index on ${context.name(view!)} and use REFRESH MATERIALIZED VIEW CONCURRENTLY.`,
      fix: {
        description: 'Refresh concurrently',
        replacement: `REFRESH MATERIALIZED VIEW CONCURRENTLY ${context.name(view!)};`,
      },
    };
  },
};
