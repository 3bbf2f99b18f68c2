import type { MigrationRule } from '../context.js';

export const rule: MigrationRule = {
  id: 'migration/multiple-access-exclusive-in-transaction',
  severity: 'warn',
  group: 'transactions',
  summary: 'One transaction takes ACCESS EXCLUSIVE on at most one existing table',
  lock: 'ACCESS EXCLUSIVE locks are held until COMMIT, so each one adds to the outage of the others.',
  meaning:
    'Locks are released only at COMMIT. A transaction that takes ACCESS EXCLUSIVE on one table and then on another keeps the first table blocked while it waits for the second, and two such transactions (or the application locking in the other order) can deadlock. Split the changes into one transaction per table, each with a lock_timeout.',
  *check(context) {
    if (!context.session.inTransaction) return;
    for (const lock of context.locks) {
      if (lock.mode !== 'ACCESS EXCLUSIVE' || !context.isExisting(lock.table)) continue;
      const held = context.session.heldLocks.find(
        (other) =>
          other.mode === 'ACCESS EXCLUSIVE' && other.table !== lock.table && context.isExisting(other.table),
      );
      if (!held) continue;
      yield {
        message: `ACCESS EXCLUSIVE on ${context.name(lock.table)} while the transaction still holds ACCESS EXCLUSIVE on ${context.name(held.table)} (line ${held.statement.span.line})`,
        help: `${context.name(held.table)} stays blocked for reads and writes while this statement waits for ${context.name(lock.table)}. Commit between the two changes (one table per transaction), with a lock_timeout in each.`,
      };
      return;
    }
  },
};
