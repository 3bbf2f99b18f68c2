import type { DatabaseRule } from '../context.js';

export const rule: DatabaseRule = {
  id: 'database/not-valid-constraint',
  severity: 'warn',
  group: 'integrity',
  summary: 'Constraints added NOT VALID have been validated',
  meaning:
    'A constraint added NOT VALID checks new rows only; old rows may still break it, and the planner cannot use it (a NOT VALID CHECK does not let SET NOT NULL skip its scan). The second half of the pattern, VALIDATE CONSTRAINT, takes only SHARE UPDATE EXCLUSIVE: run it.',
  async check({ sql, schemaFilter }) {
    const rows = await sql.unsafe<{ table: string; constraint: string }[]>(`
      SELECT format('%I.%I', n.nspname, c.relname) AS table, k.conname AS constraint
      FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE NOT k.convalidated AND ${schemaFilter}
      ORDER BY 1, 2`);
    return rows.map((row) => ({
      message: `Constraint ${row.constraint} on ${row.table} is NOT VALID`,
      pointer: `${row.table}.${row.constraint}`,
      help: 'Validate it: reads and writes continue while it scans.',
      fix: {
        description: 'Validate the constraint',
        replacement: `ALTER TABLE ${row.table} VALIDATE CONSTRAINT "${row.constraint.replaceAll('"', '""')}";`,
      },
    }));
  },
};
