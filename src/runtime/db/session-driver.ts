/**
 * A driver view whose every statement runs inside a transaction that first switches to a role
 * and sets transaction-local settings (`set_config(name, value, true)`), so they end with the
 * transaction and never leak to the next user of the pooled connection. The tenant wall uses
 * it: `role: architect_app` (subject to row-level security) and `architect.tenant_id`.
 *
 * @example
 * ```ts
 * const db = withSession(driver, { role: 'architect_app', settings: { 'architect.tenant_id': tenantId } });
 * await db.query('SELECT * FROM projects'); // only the tenant's rows, whatever the WHERE clause
 * ```
 */
import type { Driver, Transaction } from './driver.js';

export interface Session {
  /** Role for the transaction (`SET LOCAL ROLE`); the connecting user must be a member. */
  readonly role?: string;
  /** Transaction-local settings (`set_config(name, value, true)`). */
  readonly settings: Readonly<Record<string, string>>;
}

/** One statement that applies a session: `SELECT set_config('role', $1, true), ...`. */
export function sessionStatement(session: Session): { text: string; values: string[] } {
  const values: string[] = [];
  const calls: string[] = [];
  const add = (name: string, value: string) => {
    values.push(name, value);
    calls.push(`set_config($${values.length - 1}, $${values.length}, true)`);
  };
  if (session.role !== undefined) add('role', session.role);
  for (const [name, value] of Object.entries(session.settings)) add(name, value);
  return { text: `SELECT ${calls.join(', ')}`, values };
}

export function withSession(driver: Driver, session: Session): Driver {
  const apply = sessionStatement(session);
  const begin = async (tx: Transaction) => {
    await tx.query(apply.text, apply.values);
  };
  return {
    kind: driver.kind,
    location: driver.location,
    query: (text, params) =>
      driver.queryAfter
        ? driver.queryAfter(apply, text, params)
        : driver.transaction(async (tx) => {
            await begin(tx);
            return tx.query(text, params);
          }),
    transaction: (work, options) =>
      driver.transaction(async (tx) => {
        await begin(tx);
        return work(tx);
      }, options),
    exec: (script) =>
      driver.transaction(async (tx) => {
        await begin(tx);
        await tx.exec(script);
      }),
    // A view: the driver it wraps belongs to whoever opened it.
    close: async () => {},
    stats: () => driver.stats(),
  };
}
