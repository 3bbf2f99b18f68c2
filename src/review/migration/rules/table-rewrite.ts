import type { MigrationRule } from '../context.js';
import { alterCommandsOnExisting } from '../helpers.js';

const REWRITES: Readonly<Record<string, string>> = {
  AT_SetLogged: 'SET LOGGED',
  AT_SetUnLogged: 'SET UNLOGGED',
  AT_SetTableSpace: 'SET TABLESPACE',
  AT_SetAccessMethod: 'SET ACCESS METHOD',
};

export const rule: MigrationRule = {
  id: 'migration/table-rewrite',
  severity: 'error',
  group: 'rewrite',
  summary: 'No ALTER TABLE that copies the whole table',
  lock: 'ACCESS EXCLUSIVE on the table for the whole copy.',
  meaning:
    'SET LOGGED, SET UNLOGGED, SET TABLESPACE and SET ACCESS METHOD copy every row (and, for tablespaces, every index) to new files while holding an ACCESS EXCLUSIVE lock. On a large table that is a long outage. Do it in a maintenance window, or build a new table and switch over online.',
  *check(context) {
    for (const { table, cmd } of alterCommandsOnExisting(context)) {
      const what = REWRITES[cmd.subtype ?? ''];
      if (!what) continue;
      yield {
        message: `ALTER TABLE ${context.name(table)} ${what} copies the whole table under an ACCESS EXCLUSIVE lock`,
        help: `Schedule ${what} in a maintenance window with a lock_timeout, or copy the data online (pg_repack with --tablespace, logical replication into a new table) and switch over.`,
      };
    }
  },
};
