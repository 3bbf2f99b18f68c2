import type { MigrationRule } from '../context.js';
import { alterCommandsOnExisting } from '../helpers.js';

export const rule: MigrationRule = {
  id: 'migration/add-exclusion-constraint',
  severity: 'warn',
  group: 'constraints',
  summary: 'Adding an exclusion constraint to an existing table locks it for the whole build',
  lock: 'ACCESS EXCLUSIVE on the table while the index is built and every row is checked.',
  meaning:
    'An exclusion constraint builds a GiST (or other) index and checks every row while holding an ACCESS EXCLUSIVE lock. Unlike UNIQUE, it cannot be attached from an index built concurrently, and it cannot be added NOT VALID. Plan a maintenance window, or add it while the table is small (or new).',
  *check(context) {
    for (const { table, constraint } of alterCommandsOnExisting(context)) {
      if (constraint?.contype !== 'CONSTR_EXCLUSION') continue;
      yield {
        message: `Exclusion constraint on existing table ${context.name(table)} blocks reads and writes while it is built`,
        help: `There is no concurrent way to add an exclusion constraint. Run it in a maintenance window with a lock_timeout, or enforce the rule another way (a trigger taking advisory locks) until then.`,
      };
    }
  },
};
