import { printNode } from '../../sql-parse/print.js';
import type { MigrationRule } from '../context.js';
import {
  alterCommandsOnExisting,
  constraintNameFor,
  LOCK_TIMEOUT_ADVICE,
  quote,
  tableSql,
} from '../helpers.js';

export const rule: MigrationRule = {
  id: 'migration/add-check-without-not-valid',
  severity: 'error',
  group: 'constraints',
  summary: 'Add CHECK constraints to existing tables NOT VALID, then VALIDATE separately',
  lock: 'ACCESS EXCLUSIVE on the table while every row is checked: every read and write waits.',
  meaning:
    'ADD CONSTRAINT ... CHECK scans the whole table while holding an ACCESS EXCLUSIVE lock, so nothing can read or write the table until the scan ends. Adding it NOT VALID is instant (new rows are checked from then on); VALIDATE CONSTRAINT later checks old rows under SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes.',
  *check(context) {
    for (const { table, constraint } of alterCommandsOnExisting(context)) {
      if (constraint?.contype !== 'CONSTR_CHECK' || constraint.skip_validation) continue;
      const name = constraintNameFor(table, constraint, [], 'check');
      const expression = constraint.raw_expr ? printNode(constraint.raw_expr) : '...';
      yield {
        message: `CHECK ${name} on existing table ${context.name(table)} scans it under an ACCESS EXCLUSIVE lock`,
        help: `Add the check NOT VALID (instant), then VALIDATE CONSTRAINT in a separate transaction: validation takes only SHARE UPDATE EXCLUSIVE, so reads and writes continue. ${LOCK_TIMEOUT_ADVICE}`,
        fix: {
          description: 'Add NOT VALID, validate later',
          replacement: `ALTER TABLE ${tableSql(table)} ADD CONSTRAINT ${quote(name)} CHECK (${expression}) NOT VALID;\n-- in a later transaction:\nALTER TABLE ${tableSql(table)} VALIDATE CONSTRAINT ${quote(name)};`,
        },
      };
    }
  },
};
