/**
 * Count the statements a request sends to the database, by wrapping the driver the app already
 * holds (in place: the routes keep their reference to the same object). Statements inside
 * transactions count too; the transaction's own BEGIN and COMMIT do not.
 */
import type { Driver, Transaction } from '../../../src/runtime/db/index.js';

export interface StatementCounter {
  /** Statements sent since the last `reset()`. */
  readonly statements: string[];
  reset(): void;
  /** Run `work` and return the statements it sent. */
  during(work: () => Promise<unknown>): Promise<string[]>;
}

export function countStatements(driver: Driver): StatementCounter {
  const statements: string[] = [];
  const query = driver.query.bind(driver);
  const transaction = driver.transaction.bind(driver);
  const mutable = driver as { -readonly [K in keyof Driver]: Driver[K] };
  mutable.query = ((sql: string, params?: readonly unknown[]) => {
    statements.push(sql);
    return query(sql, params);
  }) as Driver['query'];
  mutable.transaction = ((work: (tx: Transaction) => Promise<unknown>, options) =>
    transaction(
      (tx) =>
        work({
          query: ((sql: string, params?: readonly unknown[]) => {
            statements.push(sql);
            return tx.query(sql, params);
          }) as Transaction['query'],
          exec: (script: string) => {
            statements.push(script);
            return tx.exec(script);
          },
        }),
      options,
    )) as Driver['transaction'];
  return {
    statements,
    reset() {
      statements.length = 0;
    },
    async during(work) {
      statements.length = 0;
      await work();
      return [...statements];
    },
  };
}
