import { keyOfRangeVar, nodeAs, stringsOf } from '../../sql-parse/ast.js';
import { cloneNode, printStatement } from '../../sql-parse/print.js';
import type { MigrationRule } from '../context.js';
import {
  alterCommandsOnExisting,
  constraintNameFor,
  LOCK_TIMEOUT_ADVICE,
  quote,
  tableSql,
} from '../helpers.js';

export const rule: MigrationRule = {
  id: 'migration/add-foreign-key-without-not-valid',
  severity: 'error',
  group: 'constraints',
  summary: 'Add foreign keys to existing tables NOT VALID, then VALIDATE separately',
  lock: 'SHARE ROW EXCLUSIVE on both the table and the referenced table while every row is checked: writes to both wait.',
  meaning:
    'Adding a foreign key checks every existing row while holding SHARE ROW EXCLUSIVE locks on both tables, so writes to both wait for a full scan. Adding it NOT VALID only takes the lock briefly (new rows are checked from then on); VALIDATE CONSTRAINT then checks the old rows under SHARE UPDATE EXCLUSIVE, which lets reads and writes continue. Run the VALIDATE in a separate transaction.',
  *check(context) {
    for (const { table, cmd, constraint } of alterCommandsOnExisting(context)) {
      const column = cmd.subtype === 'AT_AddColumn' ? nodeAs(cmd.def, 'ColumnDef') : undefined;
      const inline = (column?.constraints ?? [])
        .map((item) => nodeAs(item, 'Constraint'))
        .find((c) => c?.contype === 'CONSTR_FOREIGN');
      const fk = constraint?.contype === 'CONSTR_FOREIGN' ? constraint : inline;
      if (!fk || fk.skip_validation) continue;
      const referenced = keyOfRangeVar(fk.pktable) ?? '?';
      const columns = column?.colname ? [column.colname] : stringsOf(fk.fk_attrs);
      const name = constraintNameFor(table, fk, columns, 'fkey');
      let replacement: string;
      if (constraint) {
        const fixed = cloneNode(context.statement.node) as { AlterTableStmt: { cmds?: unknown[] } };
        const fixedCmd = fixed.AlterTableStmt.cmds?.find(
          (item) =>
            (item as { AlterTableCmd?: { def?: { Constraint?: unknown } } }).AlterTableCmd?.def?.Constraint,
        ) as { AlterTableCmd: { def: { Constraint: typeof fk } } } | undefined;
        if (fixedCmd) {
          fixedCmd.AlterTableCmd.def.Constraint.skip_validation = true;
          fixedCmd.AlterTableCmd.def.Constraint.initially_valid = false;
          fixedCmd.AlterTableCmd.def.Constraint.conname = name;
        }
        replacement = `${printStatement(fixed as never)}\n-- in a later transaction:\nALTER TABLE ${tableSql(table)} VALIDATE CONSTRAINT ${quote(name)};`;
      } else {
        replacement = `ALTER TABLE ${tableSql(table)} ADD COLUMN ${quote(column?.colname ?? '?')} ...; -- without REFERENCES\nALTER TABLE ${tableSql(table)} ADD CONSTRAINT ${quote(name)} FOREIGN KEY (${columns.map(quote).join(', ')}) REFERENCES ${tableSql(referenced)} NOT VALID;\n-- in a later transaction:\nALTER TABLE ${tableSql(table)} VALIDATE CONSTRAINT ${quote(name)};`;
      }
      yield {
        message: `Foreign key ${name} on existing table ${context.name(table)} is validated while ${context.name(table)} and ${context.name(referenced)} are locked against writes`,
        help: `Adding the foreign key scans ${context.name(table)} under SHARE ROW EXCLUSIVE locks on ${context.name(table)} and ${context.name(referenced)}. Add it NOT VALID (a brief lock), then VALIDATE CONSTRAINT in a separate transaction (SHARE UPDATE EXCLUSIVE: reads and writes continue). ${LOCK_TIMEOUT_ADVICE}`,
        fix: { description: 'Add NOT VALID, validate later', replacement },
      };
    }
  },
};
