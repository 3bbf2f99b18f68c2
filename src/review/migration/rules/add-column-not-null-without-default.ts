import { constantValue, nodeAs } from '../../sql-parse/ast.js';
import type { MigrationRule } from '../context.js';
import { alterCommandsOnExisting } from '../helpers.js';

export const rule: MigrationRule = {
  id: 'migration/add-column-not-null-without-default',
  severity: 'error',
  group: 'constraints',
  summary: 'A NOT NULL column added to an existing table has a default',
  lock: 'ACCESS EXCLUSIVE on the table (brief when it succeeds).',
  meaning:
    'Adding a NOT NULL column without a DEFAULT fails with "column contains null values" as soon as the table has a row, so the migration passes on an empty development database and fails in production. Give it a constant default (instant since PostgreSQL 11), or add it nullable, backfill in batches, and then make it NOT NULL through a validated CHECK.',
  *check(context) {
    for (const { table, cmd } of alterCommandsOnExisting(context)) {
      if (cmd.subtype !== 'AT_AddColumn') continue;
      const column = nodeAs(cmd.def, 'ColumnDef');
      const constraints = (column?.constraints ?? []).map((item) => nodeAs(item, 'Constraint'));
      const notNull = constraints.some(
        (c) => c?.contype === 'CONSTR_NOTNULL' || c?.contype === 'CONSTR_PRIMARY',
      );
      const hasDefault = constraints.some(
        (c) =>
          (c?.contype === 'CONSTR_DEFAULT' && constantValue(c.raw_expr) !== null) ||
          c?.contype === 'CONSTR_IDENTITY' ||
          c?.contype === 'CONSTR_GENERATED',
      );
      const serial = ['serial', 'bigserial', 'smallserial', 'serial4', 'serial8', 'serial2'].includes(
        nodeAs(column?.typeName?.names?.at(-1), 'String')?.sval ?? '',
      );
      if (!column || !notNull || hasDefault || serial) continue;
      yield {
        message: `Column ${column.colname} is added to existing table ${context.name(table)} as NOT NULL without a default: it fails if the table has rows`,
        help: `Either give ${column.colname} a constant DEFAULT (PostgreSQL 11+ adds it without rewriting the table), or add it nullable, backfill it in batches, then add CHECK (${column.colname} IS NOT NULL) NOT VALID, VALIDATE it and SET NOT NULL.`,
      };
    }
  },
};
