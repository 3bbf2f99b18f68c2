import type { MigrationRule } from '../context.js';
import { alterCommandsOnExisting } from '../helpers.js';

export const rule: MigrationRule = {
  id: 'migration/drop-column',
  severity: 'warn',
  group: 'breaking',
  summary: 'Dropping a column is done after the application stopped using it',
  lock: 'ACCESS EXCLUSIVE on the table (brief: the column is only marked dropped).',
  meaning:
    'DROP COLUMN is quick, but the data is gone, and application instances still running the previous release keep selecting or inserting the column and fail (ORMs that cache the column list fail even on SELECT *). Stop reading and writing the column in one release (tell the ORM to ignore it), deploy, then drop it in a later migration. A "rename" written as DROP + ADD loses the data.',
  *check(context) {
    for (const { table, cmd } of alterCommandsOnExisting(context)) {
      if (cmd.subtype !== 'AT_DropColumn' || !cmd.name) continue;
      yield {
        message: `Dropping ${context.name(table)}.${cmd.name} loses its data and breaks code that still uses it`,
        help: `Ship a release that no longer reads or writes ${cmd.name} first (ignored columns in the ORM), then drop it. If the intent is a rename, add the new column, backfill, switch, and drop the old one later.`,
      };
    }
  },
};
