/**
 * Session state while a migration file runs: the transaction block, the timeouts in scope and the
 * locks held so far in the transaction. Rules read it before each statement; `advance` moves it
 * past the statement.
 */
import { constantValue, nodeAs, stringsOf } from './ast.js';
import type { TableLock } from './locks.js';
import type { ParsedStatement } from './parse.js';

export interface HeldLock extends TableLock {
  readonly statement: ParsedStatement;
}

export interface SessionState {
  /** Inside a transaction block: an explicit BEGIN, or the whole file when the tool wraps it. */
  inTransaction: boolean;
  /** The BEGIN statement, when the block is explicit. */
  transactionStart?: ParsedStatement;
  /** Counts transaction blocks, so rules can tell "same transaction" apart. */
  transactionNumber: number;
  /** Milliseconds; undefined when never set, 0 when disabled. */
  lockTimeoutMs?: number;
  statementTimeoutMs?: number;
  /** Locks taken since the transaction began (held until COMMIT). */
  heldLocks: HeldLock[];
  /** Settings made with SET LOCAL, reverted at the end of the transaction. */
  localSettings: Set<'lock_timeout' | 'statement_timeout'>;
}

export interface SessionOptions {
  /** The migration tool runs each file in one transaction (Flyway, Rails, Django...). */
  readonly assumeInTransaction?: boolean;
  /** lock_timeout is set outside the file (role default, tool configuration). */
  readonly assumeLockTimeout?: boolean;
}

export function startSession(options: SessionOptions): SessionState {
  return {
    inTransaction: options.assumeInTransaction === true,
    transactionNumber: 0,
    ...(options.assumeLockTimeout ? { lockTimeoutMs: 1 } : {}),
    heldLocks: [],
    localSettings: new Set(),
  };
}

const UNITS: Readonly<Record<string, number>> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** `'2s'`, `5000`, `'1min'` -> milliseconds (PostgreSQL's GUC unit syntax); undefined if unreadable. */
export function parseDuration(value: string | number | boolean | null | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim().toLowerCase();
  let digits = 0;
  while (digits < trimmed.length && '0123456789.'.includes(trimmed[digits]!)) digits++;
  const amount = Number(trimmed.slice(0, digits));
  const unit = trimmed.slice(digits).trim() || 'ms';
  const factor = UNITS[unit];
  return Number.isFinite(amount) && factor !== undefined ? amount * factor : undefined;
}

function setTimeout(
  state: SessionState,
  name: string,
  value: number | undefined,
  isLocal: boolean,
  reset: boolean,
): void {
  if (name !== 'lock_timeout' && name !== 'statement_timeout') return;
  const field = name === 'lock_timeout' ? 'lockTimeoutMs' : 'statementTimeoutMs';
  if (reset) delete state[field];
  else if (value !== undefined) state[field] = value;
  if (isLocal) state.localSettings.add(name);
}

function endTransaction(state: SessionState): void {
  state.inTransaction = false;
  delete state.transactionStart;
  state.heldLocks = [];
  if (state.localSettings.has('lock_timeout')) delete state.lockTimeoutMs;
  if (state.localSettings.has('statement_timeout')) delete state.statementTimeoutMs;
  state.localSettings.clear();
}

/** Move the session past a statement that took `locks`. */
export function advance(state: SessionState, statement: ParsedStatement, locks: readonly TableLock[]): void {
  const transaction = nodeAs(statement.node, 'TransactionStmt');
  if (transaction) {
    switch (transaction.kind) {
      case 'TRANS_STMT_BEGIN':
      case 'TRANS_STMT_START':
        if (!state.inTransaction) {
          state.inTransaction = true;
          state.transactionStart = statement;
          state.transactionNumber++;
        }
        return;
      case 'TRANS_STMT_COMMIT':
      case 'TRANS_STMT_ROLLBACK':
      case 'TRANS_STMT_PREPARE':
        endTransaction(state);
        return;
      default:
        return;
    }
  }
  const set = nodeAs(statement.node, 'VariableSetStmt');
  if (set?.name) {
    const reset = set.kind === 'VAR_RESET' || set.kind === 'VAR_SET_DEFAULT';
    setTimeout(state, set.name, parseDuration(constantValue(set.args?.[0])), set.is_local === true, reset);
  }
  // SELECT set_config('lock_timeout', '2s', is_local)
  const select = nodeAs(statement.node, 'SelectStmt');
  for (const target of select?.targetList ?? []) {
    const call = nodeAs(nodeAs(target, 'ResTarget')?.val, 'FuncCall');
    if (stringsOf(call?.funcname).pop() !== 'set_config' || !call?.args) continue;
    const name = constantValue(call.args[0]);
    if (typeof name === 'string')
      setTimeout(
        state,
        name,
        parseDuration(constantValue(call.args[1])),
        constantValue(call.args[2]) === true,
        false,
      );
  }
  if (state.inTransaction) for (const lock of locks) state.heldLocks.push({ ...lock, statement });
}
