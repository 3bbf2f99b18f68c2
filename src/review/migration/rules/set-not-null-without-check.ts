import { constraintName } from '../../../sql/identifiers.js';
import { nodeAs, referencedColumns } from '../../sql-parse/ast.js';
import type { MigrationRule } from '../context.js';
import { alterCommandsOnExisting, LOCK_TIMEOUT_ADVICE, quote, tableSql } from '../helpers.js';

export const rule: MigrationRule = {
  id: 'migration/set-not-null-without-check',
  severity: 'error',
  group: 'constraints',
  summary: 'SET NOT NULL on an existing column goes through a validated CHECK first',
  lock: 'ACCESS EXCLUSIVE on the table while every row is scanned for NULLs.',
  meaning:
    'ALTER COLUMN ... SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock to prove there is no NULL. Since PostgreSQL 12 the scan is skipped when a validated CHECK (col IS NOT NULL) already proves it, so the safe sequence is: add the CHECK NOT VALID (instant), VALIDATE it (no blocking lock), SET NOT NULL (instant), drop the CHECK.',
  *check(context) {
    for (const { table, cmd } of alterCommandsOnExisting(context)) {
      if (cmd.subtype !== 'AT_SetNotNull' || !cmd.name) continue;
      const model = context.catalog.tables.get(table);
      const column = cmd.name;
      if (model?.columns.get(column)?.notNull) continue;
      const proven = model?.checks.some((check) => {
        const test = nodeAs(check.expression, 'NullTest');
        return (
          !check.notValid &&
          test?.nulltesttype === 'IS_NOT_NULL' &&
          referencedColumns(check.expression).length === 1 &&
          referencedColumns(check.expression)[0] === column
        );
      });
      if (proven && context.postgresVersion >= 12) continue;
      const name = constraintName(table.slice(table.indexOf('.') + 1), column, 'not_null');
      const t = tableSql(table);
      const c = quote(column);
      const replacement =
        context.postgresVersion >= 12
          ? `ALTER TABLE ${t} ADD CONSTRAINT ${quote(name)} CHECK (${c} IS NOT NULL) NOT VALID;\n-- in a later transaction:\nALTER TABLE ${t} VALIDATE CONSTRAINT ${quote(name)};\nALTER TABLE ${t} ALTER COLUMN ${c} SET NOT NULL;\nALTER TABLE ${t} DROP CONSTRAINT ${quote(name)};`
          : `ALTER TABLE ${t} ADD CONSTRAINT ${quote(name)} CHECK (${c} IS NOT NULL) NOT VALID;\nALTER TABLE ${t} VALIDATE CONSTRAINT ${quote(name)};\n-- before PostgreSQL 12 SET NOT NULL always scans: keep the CHECK instead.`;
      yield {
        message: `SET NOT NULL on ${context.name(table)}.${column} scans the table under an ACCESS EXCLUSIVE lock`,
        help: `Prove the column has no NULL first: ADD CONSTRAINT ... CHECK (${column} IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT (SHARE UPDATE EXCLUSIVE: reads and writes continue), then SET NOT NULL, which PostgreSQL 12+ does without a scan, and drop the CHECK. ${LOCK_TIMEOUT_ADVICE}`,
        fix: { description: 'Validate a CHECK first, then SET NOT NULL', replacement },
      };
    }
  },
};
