import { calledFunctions } from '../../sql-parse/ast.js';
import type { SchemaRule } from '../context.js';
import { tableName } from '../helpers.js';

/** Functions whose result changes between calls or with the session: not immutable. */
const NOT_IMMUTABLE = new Set([
  'now',
  'clock_timestamp',
  'statement_timestamp',
  'transaction_timestamp',
  'timeofday',
  'random',
  'gen_random_uuid',
  'uuid_generate_v4',
  'uuid_generate_v1',
  'nextval',
  'current_date',
  'current_time',
  'current_timestamp',
  'localtime',
  'localtimestamp',
  'current_user',
  'session_user',
  'svfop_current_date',
  'svfop_current_time',
  'svfop_current_timestamp',
  'svfop_current_timestamp_n',
  'svfop_localtime',
  'svfop_localtimestamp',
  'svfop_current_user',
  'svfop_session_user',
]);

export const rule: SchemaRule = {
  id: 'sql/volatile-check-constraint',
  severity: 'error',
  group: 'integrity',
  summary: 'CHECK constraints use only immutable expressions',
  meaning:
    'PostgreSQL checks a CHECK constraint only when a row is written, and assumes the answer never changes. A check that calls now(), current_date or random() passes today and fails later, so a dump of valid data no longer restores, and a row that was valid can no longer be updated without touching the clock-dependent column. Enforce time-dependent rules in the application or a trigger.',
  *check(context) {
    for (const table of context.tables()) {
      for (const check of table.checks) {
        const offending = calledFunctions(check.expression).filter((name) => NOT_IMMUTABLE.has(name));
        if (offending.length === 0) continue;
        const names = [...new Set(offending.map((name) => name.replace(/^svfop_/, '')))].join(', ');
        yield {
          message:
            `CHECK ${check.name ?? ''} on ${tableName(table)} calls ${names}, which is not immutable`.replace(
              '  ',
              ' ',
            ),
          span: check.origin.span,
          pointer: table.key,
          help: 'Remove the time- or session-dependent part from the CHECK; enforce it in a BEFORE INSERT/UPDATE trigger or in the application.',
        };
      }
    }
  },
};
