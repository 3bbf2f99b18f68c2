import type { MigrationRule } from '../context.js';

export const rule: MigrationRule = {
  id: 'migration/drop-schema-or-database',
  severity: 'error',
  group: 'breaking',
  summary: 'Migrations do not drop schemas or databases',
  lock: 'ACCESS EXCLUSIVE on every table in the schema.',
  meaning:
    "DROP SCHEMA ... CASCADE and DROP DATABASE remove every table and row they contain in one statement. Such a change belongs in an operator's runbook, not in a migration that runs automatically on deploy.",
  *check(context) {
    const drop = context.node('DropStmt');
    if (drop?.removeType === 'OBJECT_SCHEMA') {
      yield {
        message: `DROP SCHEMA${drop.behavior === 'DROP_CASCADE' ? ' ... CASCADE' : ''} in a migration`,
        help: 'Remove the schema by hand after checking it is unused and backed up, not in an automatic migration.',
      };
    }
    if (context.node('DropdbStmt')) {
      yield {
        message: 'DROP DATABASE in a migration',
        help: 'Dropping a database is an operator action, not a migration step.',
      };
    }
  },
};
