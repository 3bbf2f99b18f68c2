import { keyOfRangeVar } from '../../sql-parse/ast.js';
import type { MigrationRule } from '../context.js';

export const rule: MigrationRule = {
  id: 'migration/rename-table',
  severity: 'error',
  group: 'breaking',
  summary: 'Renaming a table in use is done in compatible steps',
  lock: 'ACCESS EXCLUSIVE on the table (brief).',
  meaning:
    'Renaming a table breaks every running application instance that still uses the old name. Rename it and create a view with the old name (simple views are updatable) in the same transaction, deploy code that uses the new name, then drop the view.',
  *check(context) {
    const rename = context.node('RenameStmt');
    const table = keyOfRangeVar(rename?.relation);
    if (rename?.renameType !== 'OBJECT_TABLE' || !context.isExisting(table)) return;
    const old = rename.relation?.relname ?? '';
    yield {
      message: `Renaming table ${context.name(table!)} to ${rename.newname} breaks code that still uses the old name`,
      help: `In one transaction rename the table and CREATE VIEW ${old} AS SELECT * FROM ${rename.newname}; deploy code using ${rename.newname}; then drop the view.`,
      fix: {
        description: 'Keep the old name as a view during the transition',
        replacement: `${context.statement.text};\nCREATE VIEW ${old} AS SELECT * FROM ${rename.newname};`,
      },
    };
  },
};
