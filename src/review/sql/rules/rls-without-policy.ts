import type { SchemaRule } from '../context.js';
import { tableName } from '../helpers.js';

export const rule: SchemaRule = {
  id: 'sql/rls-without-policy',
  severity: 'warn',
  group: 'security',
  summary: 'Tables with row-level security have at least one policy',
  meaning:
    'With row-level security enabled and no policy, every role except the owner and superusers sees no rows and can write none (default deny). That is occasionally deliberate, usually a forgotten CREATE POLICY that shows up as "empty" API responses.',
  *check(context) {
    for (const table of context.tables()) {
      if (!table.rowLevelSecurity || table.policies.length > 0) continue;
      yield {
        message: `Table ${tableName(table)} has row-level security enabled but no policy`,
        span: table.origin.span,
        pointer: table.key,
        help: `Add the policies that say who may see and change rows of ${tableName(table)}, or disable row-level security if access is controlled elsewhere.`,
      };
    }
  },
};
