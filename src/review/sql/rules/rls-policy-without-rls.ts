import type { SchemaRule } from '../context.js';
import { tableName, tableSql } from '../helpers.js';

export const rule: SchemaRule = {
  id: 'sql/rls-policy-without-rls',
  severity: 'error',
  group: 'security',
  summary: 'Tables with policies have row-level security enabled',
  meaning:
    'CREATE POLICY does nothing until ALTER TABLE ... ENABLE ROW LEVEL SECURITY: every row stays visible to every role with table privileges, while the policies suggest otherwise.',
  *check(context) {
    for (const table of context.tables()) {
      if (table.policies.length === 0 || table.rowLevelSecurity) continue;
      yield {
        message: `Table ${tableName(table)} has ${table.policies.length} polic${table.policies.length > 1 ? 'ies' : 'y'} (${table.policies.map((p) => p.name).join(', ')}) but row-level security is not enabled`,
        span: table.policies[0]!.origin.span,
        pointer: table.key,
        help: `Enable row-level security on ${tableName(table)} so the policies apply.`,
        fix: {
          description: 'Enable row-level security',
          replacement: `ALTER TABLE ${tableSql(table)} ENABLE ROW LEVEL SECURITY;`,
        },
      };
    }
  },
};
