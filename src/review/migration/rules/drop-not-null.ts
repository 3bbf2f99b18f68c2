import type { MigrationRule } from '../context.js';
import { alterCommandsOnExisting } from '../helpers.js';

export const rule: MigrationRule = {
  id: 'migration/drop-not-null',
  severity: 'warn',
  group: 'breaking',
  summary: 'Dropping NOT NULL is a contract change for readers',
  lock: 'ACCESS EXCLUSIVE on the table (brief).',
  meaning:
    'After DROP NOT NULL the column can hold NULL, but code, reports and API clients written against the old schema assume it cannot: a NULL reaches a non-nullable field, a NOT IN subquery silently returns nothing, an aggregate changes. Update the readers (and the API schema: the property becomes nullable) before writers start storing NULL.',
  *check(context) {
    for (const { table, cmd } of alterCommandsOnExisting(context)) {
      if (cmd.subtype !== 'AT_DropNotNull' || !cmd.name) continue;
      yield {
        message: `${context.name(table)}.${cmd.name} becomes nullable`,
        help: `Check every reader of ${cmd.name} handles NULL (and mark the API property nullable) before deploying code that writes NULL.`,
      };
    }
  },
};
