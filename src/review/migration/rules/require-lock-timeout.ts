import { blocksWrites, LOCK_BLOCKS, statementLabel, type TableLock } from '../../sql-parse/locks.js';
import type { MigrationRule } from '../context.js';

export const rule: MigrationRule = {
  id: 'migration/require-lock-timeout',
  severity: 'warn',
  group: 'locking',
  summary: 'Set a lock_timeout before statements that take blocking locks',
  lock: 'Any lock of SHARE or stronger on an existing table.',
  meaning:
    "A statement that needs a strong lock first waits for every running query on the table, and while it waits, every new query on that table queues behind it: a 30-second report turns an instant ALTER TABLE into a 30-second outage. With SET lock_timeout = '2s' the statement gives up instead, and the migration can be retried. Reported once per file, at the first such statement; SET LOCAL inside the transaction, a SET at the top of the file, or set_config() all count.",
  *check(context) {
    if (context.fileState.has(rule.id)) return;
    if (context.session.lockTimeoutMs !== undefined && context.session.lockTimeoutMs > 0) return;
    const blocking = context.locks.filter(
      (lock: TableLock) => blocksWrites(lock.mode) && context.isExisting(lock.table),
    );
    const first = blocking[0];
    if (!first) return;
    context.fileState.set(rule.id, true);
    yield {
      message: `${statementLabel(context.statement.kind)} takes ${first.mode} on ${context.name(first.table)} with no lock_timeout set`,
      help: `${first.mode} blocks ${LOCK_BLOCKS[first.mode]}. Without lock_timeout the statement waits for running queries while every new query on ${context.name(first.table)} queues behind it. Start the file (or the transaction) with SET lock_timeout = '2s' and retry the migration if it times out.`,
      fix: { description: 'Set a lock timeout first', replacement: `SET lock_timeout = '2s';` },
    };
  },
};
