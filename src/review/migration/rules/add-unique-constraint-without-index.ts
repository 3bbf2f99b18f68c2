import { stringsOf } from '../../sql-parse/ast.js';
import type { MigrationRule } from '../context.js';
import {
  alterCommandsOnExisting,
  constraintNameFor,
  LOCK_TIMEOUT_ADVICE,
  quote,
  tableSql,
} from '../helpers.js';

export const rule: MigrationRule = {
  id: 'migration/add-unique-constraint-without-index',
  severity: 'error',
  group: 'constraints',
  summary: 'Add UNIQUE and PRIMARY KEY constraints USING an index built concurrently',
  lock: 'ACCESS EXCLUSIVE on the table while the unique index is built: every read and write waits.',
  meaning:
    'ALTER TABLE ... ADD UNIQUE / PRIMARY KEY builds its index while holding an ACCESS EXCLUSIVE lock, blocking all reads and writes for the whole build. Build the unique index first with CREATE UNIQUE INDEX CONCURRENTLY, then attach it with ADD CONSTRAINT ... USING INDEX, which is instant. (A PRIMARY KEY also needs its columns NOT NULL; see migration/set-not-null-without-check.)',
  *check(context) {
    for (const { table, constraint } of alterCommandsOnExisting(context)) {
      const kind = constraint?.contype;
      if (!constraint || (kind !== 'CONSTR_UNIQUE' && kind !== 'CONSTR_PRIMARY') || constraint.indexname)
        continue;
      const columns = stringsOf(constraint.keys);
      const primary = kind === 'CONSTR_PRIMARY';
      const name = primary
        ? (constraint.conname ?? `${table.slice(table.indexOf('.') + 1)}_pkey`)
        : constraintNameFor(table, constraint, columns, 'key');
      const what = primary ? 'PRIMARY KEY' : 'UNIQUE';
      yield {
        message: `ADD ${what} on existing table ${context.name(table)} builds its index under an ACCESS EXCLUSIVE lock`,
        help: `Build the index first with CREATE UNIQUE INDEX CONCURRENTLY (outside a transaction), then ADD CONSTRAINT ${name} ${what} USING INDEX ${name}, which only takes a brief lock. ${LOCK_TIMEOUT_ADVICE}`,
        fix: {
          description: 'Build the index concurrently, then attach it',
          replacement: `CREATE UNIQUE INDEX CONCURRENTLY ${quote(name)} ON ${tableSql(table)} (${columns.map(quote).join(', ')});\n-- then:\nALTER TABLE ${tableSql(table)} ADD CONSTRAINT ${quote(name)} ${what} USING INDEX ${quote(name)};`,
        },
      };
    }
  },
};
