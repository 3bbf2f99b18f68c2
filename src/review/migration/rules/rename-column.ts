import { keyOfRangeVar } from '../../sql-parse/ast.js';
import type { MigrationRule } from '../context.js';

export const rule: MigrationRule = {
  id: 'migration/rename-column',
  severity: 'error',
  group: 'breaking',
  summary: 'Renaming a column in use is done in compatible steps',
  lock: 'ACCESS EXCLUSIVE on the table (brief).',
  meaning:
    'A rename is instant in the database but breaks every application instance still running the previous release, which keeps using the old name until it is replaced: during a rolling deploy some requests fail. Add the new column, write both, backfill, switch reads, then drop the old one; or put a view with the old name in front for the transition.',
  *check(context) {
    const rename = context.node('RenameStmt');
    const table = keyOfRangeVar(rename?.relation);
    if (rename?.renameType !== 'OBJECT_COLUMN' || !context.isExisting(table)) return;
    yield {
      message: `Renaming ${context.name(table!)}.${rename.subname} to ${rename.newname} breaks code that still uses the old name`,
      help: `Expand and contract: add ${rename.newname}, write to both (a trigger or the application), backfill, move reads to ${rename.newname}, deploy, then drop ${rename.subname}.`,
    };
  },
};
