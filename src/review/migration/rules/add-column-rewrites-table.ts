import { constantValue, nodeAs, stringsOf } from '../../sql-parse/ast.js';
import { canonicalTypeName, SERIAL_TYPES } from '../../sql-parse/column-type.js';
import { cloneNode, printNode } from '../../sql-parse/print.js';
import type { MigrationRule } from '../context.js';
import { alterCommandsOnExisting, quote, tableSql } from '../helpers.js';
import { volatileCalls } from './volatility.js';

export const rule: MigrationRule = {
  id: 'migration/add-column-rewrites-table',
  severity: 'error',
  group: 'rewrite',
  summary: 'Adding a column does not rewrite an existing table',
  lock: 'ACCESS EXCLUSIVE on the table for the whole rewrite: every read and write waits.',
  meaning:
    'Since PostgreSQL 11, ADD COLUMN with a constant or stable default (now(), a literal) is instant: the value is stored once in the catalog. A volatile default (clock_timestamp(), gen_random_uuid(), nextval(), a user-defined function), a serial or identity column, or a STORED generated column needs a value per row, so PostgreSQL rewrites the whole table (and its indexes) under an ACCESS EXCLUSIVE lock. Before PostgreSQL 11 any non-null default rewrites.',
  *check(context) {
    for (const { table, cmd } of alterCommandsOnExisting(context)) {
      if (cmd.subtype !== 'AT_AddColumn') continue;
      const column = nodeAs(cmd.def, 'ColumnDef');
      if (!column?.colname) continue;
      const constraints = (column.constraints ?? []).map((item) => nodeAs(item, 'Constraint'));
      const defaultExpression = constraints.find((c) => c?.contype === 'CONSTR_DEFAULT')?.raw_expr;
      const typeName = canonicalTypeName(stringsOf(column.typeName?.names).at(-1) ?? '');
      let reason: string | undefined;
      if (SERIAL_TYPES.has(typeName)) reason = `${typeName} fills every existing row from a sequence`;
      else if (constraints.some((c) => c?.contype === 'CONSTR_IDENTITY'))
        reason = 'an identity column fills every existing row from a sequence';
      else if (constraints.some((c) => c?.contype === 'CONSTR_GENERATED'))
        reason = 'a STORED generated column is computed for every existing row';
      else if (defaultExpression && volatileCalls(defaultExpression).length > 0)
        reason = `the default calls ${volatileCalls(defaultExpression).join(', ')}(), evaluated once per existing row`;
      else if (defaultExpression && constantValue(defaultExpression) !== null && context.postgresVersion < 11)
        reason = `before PostgreSQL 11 any default is written into every existing row`;
      if (!reason) continue;
      const t = tableSql(table);
      const c = quote(column.colname);
      const volatileDefault = defaultExpression && volatileCalls(defaultExpression).length > 0;
      let fix: { description: string; replacement: string } | undefined;
      if (volatileDefault) {
        const bare = cloneNode(column);
        bare.constraints = (bare.constraints ?? []).filter(
          (item) =>
            nodeAs(item, 'Constraint')?.contype !== 'CONSTR_DEFAULT' &&
            nodeAs(item, 'Constraint')?.contype !== 'CONSTR_NOTNULL',
        );
        const expression = printNode(defaultExpression);
        fix = {
          description: 'Add the column cheaply, set the default for new rows, backfill in batches',
          replacement: `ALTER TABLE ${t} ADD COLUMN ${printNode({ ColumnDef: bare })};\nALTER TABLE ${t} ALTER COLUMN ${c} SET DEFAULT ${expression};\n-- then, until no row is left, each batch in its own transaction:\nUPDATE ${t} SET ${c} = ${expression} WHERE ctid IN (SELECT ctid FROM ${t} WHERE ${c} IS NULL LIMIT 5000);`,
        };
      }
      yield {
        message: `Adding ${column.colname} to existing table ${context.name(table)} rewrites the table: ${reason}`,
        help: `The rewrite holds an ACCESS EXCLUSIVE lock on ${context.name(table)} (no reads, no writes) for its whole duration. Add the column without the per-row part (nullable, or with a constant default), SET DEFAULT for new rows, and backfill existing rows in batches of a few thousand, each in its own transaction; then make it NOT NULL through a validated CHECK if needed.`,
        ...(fix ? { fix } : {}),
      };
    }
  },
};
