import { displayName } from '../../sql-parse/ast.js';
import type { SchemaRule } from '../context.js';

export const rule: SchemaRule = {
  id: 'sql/security-definer-search-path',
  severity: 'warn',
  group: 'security',
  summary: 'SECURITY DEFINER functions fix their search_path',
  meaning:
    "A SECURITY DEFINER function runs with its owner's privileges but resolves unqualified names through the caller's search_path. A caller who can create objects in any schema on that path can make the function call their own `=` operator or table instead, and run code as the owner. The PostgreSQL documentation requires `SET search_path` on such functions.",
  *check(context) {
    for (const fn of context.catalog.functions.values()) {
      if (!fn.securityDefiner || fn.setsSearchPath) continue;
      yield {
        message: `SECURITY DEFINER function ${displayName(fn.key)} does not set search_path`,
        span: fn.origin.span,
        pointer: fn.key,
        help: `Add \`SET search_path = pg_catalog, pg_temp\` (and schema-qualify the objects the body uses), or ALTER FUNCTION ${displayName(fn.key)} SET search_path = ...`,
        fix: {
          description: 'Fix the search_path',
          replacement: `ALTER FUNCTION ${displayName(fn.key)} SET search_path = pg_catalog, pg_temp;`,
        },
      };
    }
  },
};
