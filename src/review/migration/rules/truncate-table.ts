import { keyOfRangeVar, nodeAs } from '../../sql-parse/ast.js';
import type { MigrationRule } from '../context.js';

export const rule: MigrationRule = {
  id: 'migration/truncate-table',
  severity: 'error',
  group: 'breaking',
  summary: 'Migrations do not TRUNCATE existing tables',
  lock: 'ACCESS EXCLUSIVE on the table (and on every table CASCADE reaches).',
  meaning:
    'TRUNCATE deletes every row at once, outside MVCC (concurrent transactions with an older snapshot see the table empty), and with CASCADE it empties every table that references it through foreign keys, however far the chain goes. A migration that runs on deploy should not do that; delete the rows it means to, in batches, with a WHERE that says which.',
  *check(context) {
    const truncate = context.node('TruncateStmt');
    if (!truncate) return;
    for (const item of truncate.relations ?? []) {
      const key = keyOfRangeVar(nodeAs(item, 'RangeVar'));
      if (!key || !context.isExisting(key)) continue;
      yield {
        message: `TRUNCATE ${context.name(key)}${truncate.behavior === 'DROP_CASCADE' ? ' CASCADE empties every table referencing it too' : ' deletes every row'}`,
        help: `Delete the rows that must go with DELETE ... WHERE, in batches; if the table really must be emptied, do it as an operator action after a backup.`,
      };
    }
  },
};
