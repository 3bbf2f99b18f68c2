/**
 * Run a transaction again when PostgreSQL aborts it for a serialization failure (40001) or a
 * deadlock (40P01): the documented way to use `serializable` and the cure for the rare deadlock
 * between concurrent writers. Attempts are bounded and spaced with full jitter so colliding
 * requests do not collide again in lockstep.
 */

import { isRetryableDatabaseError } from './database-error.js';
import type { Driver, Transaction, TransactionOptions } from './driver.js';

export interface RetryOptions extends TransactionOptions {
  /** Attempts in total, the first included (default 4). */
  readonly attempts?: number;
  /** Backoff before the second attempt in ms; doubles each time (default 10). */
  readonly baseDelayMs?: number;
  /** Ceiling of one backoff in ms (default 250). */
  readonly maxDelayMs?: number;
  /** Called before each retry, for logs and metrics. */
  readonly onRetry?: (attempt: number, error: unknown) => void;
}

/** Full-jitter exponential backoff: a random wait in [0, min(max, base * 2^retry)). */
export function backoffDelay(retry: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** retry);
}

/**
 * `driver.transaction(work, options)`, retried on 40001/40P01. `work` must be safe to run again
 * (it is: the failed attempt was rolled back). The last error is rethrown untranslated; pass it
 * to `translateDatabaseError`, which answers 503 with `Retry-After`.
 *
 * @example
 * const order = await withRetry(driver, (tx) => receiveLines(tx, orderId, lines), { isolation: 'serializable' });
 */
export async function withRetry<T>(
  driver: Driver,
  work: (tx: Transaction) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const { attempts, baseDelayMs, maxDelayMs, onRetry, ...transactionOptions } = options;
  return retryOnConflict(() => driver.transaction(work, transactionOptions), {
    attempts,
    baseDelayMs,
    maxDelayMs,
    onRetry,
  });
}

/**
 * Run `work` again after a serialization failure or deadlock, with the same bounds and backoff
 * as `withRetry`. For one autocommit statement (a single-row write whose audit row rides in the
 * same statement): PostgreSQL rolled it back whole, so running it again is safe.
 *
 * @example
 * const { rows } = await retryOnConflict(() => driver.query(update.text, update.values));
 */
export async function retryOnConflict<T>(
  work: () => Promise<T>,
  options: Omit<RetryOptions, keyof TransactionOptions> = {},
): Promise<T> {
  const { attempts = 4, baseDelayMs = 10, maxDelayMs = 250, onRetry } = options;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isRetryableDatabaseError(error)) throw error;
      onRetry?.(attempt, error);
      await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt - 1, baseDelayMs, maxDelayMs)));
    }
  }
}
