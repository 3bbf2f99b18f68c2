import { nodeAs } from '../../sql-parse/ast.js';
import { type ColumnType, columnTypeOf } from '../../sql-parse/column-type.js';
import type { MigrationRule } from '../context.js';
import { alterCommandsOnExisting } from '../helpers.js';

/**
 * Type changes PostgreSQL makes without rewriting the table (binary-coercible, or only a
 * typmod relaxation), from the ALTER TABLE notes and strong_migrations' safe-change table.
 */
function isSafeChange(from: ColumnType, to: ColumnType): boolean {
  if (from.isArray !== to.isArray) return false;
  const widen = (a: readonly number[], b: readonly number[]) =>
    b.length === 0 || (a.length > 0 && b[0]! >= a[0]!);
  if (from.name === 'varchar' && to.name === 'text') return true;
  if (from.name === 'varchar' && to.name === 'varchar') return widen(from.modifiers, to.modifiers);
  if (from.name === 'text' && to.name === 'varchar') return to.modifiers.length === 0;
  if (from.name === 'numeric' && to.name === 'numeric') {
    if (to.modifiers.length === 0) return true;
    return (
      from.modifiers.length > 0 &&
      to.modifiers[0]! >= from.modifiers[0]! &&
      (to.modifiers[1] ?? 0) === (from.modifiers[1] ?? 0)
    );
  }
  if (from.name === 'varbit' && to.name === 'varbit') return widen(from.modifiers, to.modifiers);
  if (from.name === 'cidr' && to.name === 'inet') return true;
  if (['timestamp', 'timestamptz', 'time', 'interval'].includes(from.name) && from.name === to.name)
    return to.modifiers.length === 0 || (from.modifiers.length > 0 && to.modifiers[0]! >= from.modifiers[0]!);
  return from.name === to.name && from.schema === to.schema && from.modifiers.join() === to.modifiers.join();
}

/** Target types that a common source type reaches without a rewrite (varchar(n) -> varchar(m > n)). */
function isWideningTarget(to: ColumnType): boolean {
  if (to.isArray) return false;
  if (to.name === 'text' || to.name === 'varchar') return true;
  return to.name === 'numeric' && to.modifiers.length === 0;
}

export const rule: MigrationRule = {
  id: 'migration/change-column-type',
  severity: 'error',
  group: 'rewrite',
  summary: 'Column type changes that rewrite the table are done in steps',
  lock: 'ACCESS EXCLUSIVE on the table while it and all its indexes are rewritten.',
  meaning:
    'ALTER COLUMN ... TYPE rewrites the table and rebuilds every index on it under an ACCESS EXCLUSIVE lock, unless the change is binary-coercible: varchar(n) to a larger n, to varchar or to text; numeric(p,s) to a larger p with the same s, or to unconstrained numeric; cidr to inet; a larger timestamp precision. (timestamp to timestamptz skips the rewrite only when the session TimeZone is UTC, PostgreSQL 12+.) For any other change add a new column, backfill it in batches, switch readers and writers, then drop the old column. When the files do not show the current type (a folder that starts mid-history), a change to text, varchar(n) or unconstrained numeric is taken for the usual widening and not reported.',
  *check(context) {
    for (const { table, cmd } of alterCommandsOnExisting(context)) {
      if (cmd.subtype !== 'AT_AlterColumnType' || !cmd.name) continue;
      const to = columnTypeOf(nodeAs(cmd.def, 'ColumnDef')?.typeName);
      const current = context.catalog.tables.get(table)?.columns.get(cmd.name)?.type;
      if (current && isSafeChange(current, to)) continue;
      // Mid-history folders (placeholder tables) do not know the old type; a change to text,
      // varchar or unconstrained numeric is most often the widening that needs no rewrite.
      if (!current && isWideningTarget(to)) continue;
      const tz = current?.name === 'timestamp' && to.name === 'timestamptz';
      const what = current
        ? `from ${current.display} to ${to.display}`
        : `to ${to.display} (the current type is not known from these files)`;
      yield {
        message: `Changing ${context.name(table)}.${cmd.name} ${what} rewrites the table and its indexes${tz ? ' unless the session TimeZone is UTC' : ''}`,
        help: tz
          ? `On PostgreSQL 12+ run SET timezone = 'UTC' before this statement, in the same session, so the change is a catalog update only. Otherwise it rewrites ${context.name(table)} under an ACCESS EXCLUSIVE lock.`
          : `The rewrite holds an ACCESS EXCLUSIVE lock on ${context.name(table)} (no reads, no writes) until every row and index is rewritten. Instead: add a new column of the new type, keep it in step with a trigger, backfill in batches, switch the application, then drop the old column.`,
      };
    }
  },
};
