import type { DatabaseRule } from '../context.js';
import { explainGeneric } from '../plans.js';
import { statStatements } from '../workload.js';

const MIN_MEAN_MS = 20;
const MIN_CALLS = 100;

export const rule: DatabaseRule = {
  id: 'database/slow-query',
  severity: 'warn',
  group: 'queries',
  summary: 'Frequent queries are fast (pg_stat_statements)',
  meaning:
    "Queries that average 20 ms or more over at least 100 calls (PgHero's thresholds) dominate database time. The finding shows the query as pg_stat_statements recorded it and its current generic plan; database/index-advice proposes an index when one is proven to help. Needs pg_stat_statements in shared_preload_libraries and the extension created; otherwise the rule reports nothing.",
  async check(context) {
    const hits = [];
    for (const entry of await statStatements(context)) {
      if ((entry.meanMs ?? 0) < MIN_MEAN_MS || (entry.calls ?? 0) < MIN_CALLS) continue;
      let plan = '';
      try {
        plan = (await explainGeneric(context.sql, entry.query)).text;
      } catch {
        plan = '(the plan could not be computed here)';
      }
      hits.push({
        message: `Query averages ${entry.meanMs!.toFixed(1)} ms over ${entry.calls} calls: ${entry.query.replace(/\s+/g, ' ').slice(0, 120)}`,
        help: `Plan:\n${plan}`,
      });
    }
    return hits;
  },
};
