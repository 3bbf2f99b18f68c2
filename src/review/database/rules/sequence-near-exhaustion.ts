import type { DatabaseRule } from '../context.js';

const THRESHOLD = 0.9;

export const rule: DatabaseRule = {
  id: 'database/sequence-near-exhaustion',
  severity: 'error',
  group: 'keys',
  summary: 'Sequences and the columns they fill are far from their maximum',
  meaning:
    "When a sequence reaches its maximum, or the integer column it fills reaches the column type's maximum (a bigint sequence feeding an integer column stops at 2,147,483,647), every insert fails. Widening the column rewrites the table, so it must start long before: this rule reports past 90%.",
  async check({ sql, schemaFilter }) {
    const rows = await sql.unsafe<
      { sequence: string; column: string | null; last: string; max: string; column_max: string | null }[]
    >(`
      SELECT format('%I.%I', s.schemaname, s.sequencename) AS sequence,
             CASE WHEN a.attname IS NULL THEN NULL ELSE format('%s.%I', d.refobjid::regclass, a.attname) END AS column,
             s.last_value AS last, s.max_value AS max,
             CASE a.atttypid WHEN 'int2'::regtype THEN 32767 WHEN 'int4'::regtype THEN 2147483647 ELSE NULL END AS column_max
      FROM pg_sequences s
      JOIN pg_namespace n ON n.nspname = s.schemaname
      JOIN pg_class c ON c.relname = s.sequencename AND c.relnamespace = n.oid
      LEFT JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
      LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
      WHERE s.last_value IS NOT NULL AND ${schemaFilter}`);
    const hits = [];
    for (const row of rows) {
      const last = BigInt(row.last);
      const limits = [BigInt(row.max), ...(row.column_max ? [BigInt(row.column_max)] : [])];
      const limit = limits.reduce((a, b) => (b < a ? b : a));
      const used = Number((last * 1000n) / limit) / 1000;
      if (used < THRESHOLD) continue;
      const byColumn = row.column_max && BigInt(row.column_max) === limit;
      hits.push({
        message: `Sequence ${row.sequence} is at ${last} of ${limit} (${(used * 100).toFixed(1)}%)${byColumn ? `, limited by the type of ${row.column}` : ''}`,
        pointer: row.sequence,
        help: byColumn
          ? `Widen ${row.column} to bigint before inserts fail: add a bigint column, keep it in step with a trigger, backfill in batches, then swap the columns in one short transaction.`
          : `Raise the sequence's MAXVALUE (ALTER SEQUENCE ${row.sequence} AS bigint MAXVALUE ...) and make sure the column is bigint.`,
      });
    }
    return hits;
  },
};
