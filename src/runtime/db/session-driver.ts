/**
 * A driver view whose every statement runs inside a transaction that first switches to a role
 * and sets transaction-local settings (`SET LOCAL`, or `set_config(name, value, true)`), so they end with the
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
/** `SELECT set_config($1, $2, true), ...`: the session as one parameterized statement. */
export function sessionStatement(session: Session): { text: string; values: string[] } {
  const values: string[] = [];
  const calls: string[] = [];
  for (const [name, value] of sessionEntries(session)) {
    values.push(name, value);
    calls.push(`set_config($${values.length - 1}, $${values.length}, true)`);
  }
  return { text: `SELECT ${calls.join(', ')}`, values };
}

/** Values this view inlines as literals: nothing a quote could break out of. */
const PLAIN = /^[A-Za-z0-9_.:-]*$/;
/** Role and setting names it writes unquoted: identifiers, and `prefix.name` for settings. */
const ROLE_NAME = /^[a-z_][a-z0-9_]*$/;
const SETTING_NAME = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

/**
 * The session as `SET LOCAL` commands with literal values, for drivers that send it in one
 * message with the statement (`Driver.queryAfter`): commands answer without rows, so there is
 * nothing to describe or parse. Names and values are roles, setting names and ids; anything else is
 * refused rather than escaped.
 */
export function sessionScript(session: Session): string {
  return sessionEntries(session)
    .map(([name, value]) => {
      const role = name === 'role';
      if (!PLAIN.test(value) || !(role ? ROLE_NAME.test(value) : SETTING_NAME.test(name))) {
        throw new Error(`session setting ${JSON.stringify(name)} has characters a literal cannot carry here`);
      }
      return role ? `SET LOCAL ROLE ${value}` : `SET LOCAL ${name} = '${value}'`;
    })
    .join('; ');
}

function sessionEntries(session: Session): [string, string][] {
  const entries: [string, string][] = [];
  if (session.role !== undefined) entries.push(['role', session.role]);
  for (const [name, value] of Object.entries(session.settings)) entries.push([name, value]);
  return entries;
}

export function withSession(driver: Driver, session: Session): Driver {
  // A view is made per request and a request usually runs one kind of statement: each form of
  // the session is built when first needed, once.
  let apply: { text: string; values: string[] } | undefined;
  let script: string | undefined;
  const inlined = () => {
    script ??= sessionScript(session);
    return script;
  };
  const begin = async (tx: Transaction) => {
    apply ??= sessionStatement(session);
    await tx.query(apply.text, apply.values);
  };
  const transaction: Driver['transaction'] = (work, options) =>
    driver.transactionAfter
      ? driver.transactionAfter(inlined(), work, options)
      : driver.transaction(async (tx) => {
          await begin(tx);
          return work(tx);
        }, options);
  return {
    kind: driver.kind,
    location: driver.location,
    query: (text, params) =>
      driver.queryAfter
        ? driver.queryAfter(inlined(), text, params)
        : transaction((tx) => tx.query(text, params)),
    transaction,
    exec: (statements) => transaction((tx) => tx.exec(statements)),
    // A view: the driver it wraps belongs to whoever opened it.
    close: async () => {},
    stats: () => driver.stats(),
  };
}
