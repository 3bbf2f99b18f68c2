/**
 * The statements the server driver's `queryAfter` sends as `<setup>; EXECUTE name(<literals>)`:
 * one simple-protocol message, which the server runs as one implicit transaction, so `SET LOCAL`
 * in the setup lasts exactly as long as the statement. One message and one answer instead of the
 * three exchanges of an explicit transaction, and the plan stays cached as it does for a
 * protocol-level prepared statement. `PREPARE` is per connection and postgres.js does not say
 * which connection a query lands on, so a statement is prepared where an `EXECUTE` finds it
 * missing (`retryVerdict` judges that retry).
 */

/** At most this many statement texts get a name; the rest go the slow way. */
const MAX_NAMED_STATEMENTS = 500;

export class NamedStatements {
  /** Statement text → its name, or `null` when it goes the slow way. */
  private readonly names = new Map<string, string | null>();
  private disabled = false;

  /** The name for `text`, or `undefined` when it goes the slow way. */
  nameFor(text: string): string | undefined {
    if (this.disabled) return undefined;
    const known = this.names.get(text);
    if (known !== undefined) return known ?? undefined;
    if (this.names.size >= MAX_NAMED_STATEMENTS) return undefined;
    const name = `architect_wall_${this.names.size + 1}`;
    this.names.set(text, name);
    return name;
  }

  /**
   * `text` goes the slow way from now on: the server refused to prepare it (a parameter it cannot
   * type, say), or its plan went stale under a changed table.
   */
  refuse(text: string): void {
    this.names.set(text, null);
  }

  /** Every statement goes the slow way from now on: the connections do not keep them. */
  disable(): void {
    this.disabled = true;
  }
}

/** What to do after `PREPARE` and the `EXECUTE` again failed on one reserved connection. */
export type RetryVerdict = { readonly error: unknown } | { readonly slow: 'text' | 'driver' };

/**
 * Judges the retry after a miss: `PREPARE name AS <text>` and then `EXECUTE name(...)`, each its
 * own message, on one reserved connection, the `EXECUTE` having failed with `executeError`.
 * - a stale plan: the text goes the slow way;
 * - any other error but a missing name is the statement's (or the setup's) own: the answer;
 * - still missing although this connection prepared it, or held it already: the name did not
 *   last from one message to the next, as behind a pooler in transaction mode, where each
 *   transaction may run on another server connection; no statement gets a name any more;
 * - still missing because `PREPARE` failed on the statement itself (SQLSTATE class 42, such as
 *   a parameter it cannot type without the value's own type): the text goes the slow way;
 * - any other `PREPARE` failure is the answer.
 */
export function retryVerdict(name: string, prepareError: unknown, executeError: unknown): RetryVerdict {
  if (isStalePlan(executeError)) return { slow: 'text' };
  if (!isMissingStatement(executeError, name)) return { error: executeError };
  if (prepareError === undefined || sqlState(prepareError) === '42P05') return { slow: 'driver' };
  if (sqlState(prepareError)?.startsWith('42')) return { slow: 'text' };
  return { error: prepareError };
}

/** SQLSTATE 26000: `EXECUTE` of a name this connection has not prepared. */
export function isMissingStatement(error: unknown, name: string): boolean {
  const { message } = (error ?? {}) as { message?: unknown };
  return sqlState(error) === '26000' && typeof message === 'string' && message.includes(`"${name}"`);
}

/**
 * SQLSTATE 0A000 from plan revalidation: a table under a prepared `SELECT *` changed shape (a
 * migration added a column). Nothing ran; postgres.js retries its own statements the same way.
 */
export function isStalePlan(error: unknown): boolean {
  const { routine } = (error ?? {}) as { routine?: unknown };
  return sqlState(error) === '0A000' && routine === 'RevalidateCachedQuery';
}

function sqlState(error: unknown): string | undefined {
  const { code } = (error ?? {}) as { code?: unknown };
  return typeof code === 'string' ? code : undefined;
}
