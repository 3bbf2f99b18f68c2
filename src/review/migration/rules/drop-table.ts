import { keyOfNames, nameListOf } from '../../sql-parse/ast.js';
import type { MigrationRule } from '../context.js';

export const rule: MigrationRule = {
  id: 'migration/drop-table',
  severity: 'error',
  group: 'breaking',
  summary: 'Dropping an existing table is a deliberate, separate step',
  lock: 'ACCESS EXCLUSIVE on the table (and on tables whose foreign keys reference it).',
  meaning:
    'DROP TABLE loses the data and breaks every running application version that still queries the table; with CASCADE it also drops views and foreign keys that depend on it. Stop using the table in one release, keep a backup or rename it aside, and drop it in a later migration.',
  *check(context) {
    const drop = context.node('DropStmt');
    if (drop?.removeType !== 'OBJECT_TABLE') return;
    for (const object of drop.objects ?? []) {
      const key = keyOfNames(nameListOf(object));
      if (!key || !context.isExisting(key)) continue;
      yield {
        message: `Dropping table ${context.name(key)}${drop.behavior === 'DROP_CASCADE' ? ' with CASCADE' : ''} loses its data`,
        help: `Make sure no deployed code reads ${context.name(key)}, take a backup (or ALTER TABLE ... RENAME TO ${context.name(key).split('.').pop()}_deprecated first and drop later), then drop it in its own migration.`,
      };
    }
  },
};
