/**
 * Creates that would run beside others of their entity go to the database together, as one
 * set-based INSERT (the bulk route's statement, answering whole rows in item order), instead of
 * one statement each: one Bind/Execute, one commit and one WAL flush for the lot. This is the
 * group commit of the database, done one step earlier, where each statement would otherwise pay
 * its own.
 *
 * The rule: while fewer than two creates of the entity are in flight (one on PGlite, which runs
 * one statement at a time), a create runs its own single-row INSERT at once, exactly as without
 * batching, so a server under light load answers as before. Beyond that, creates queue and leave
 * together when a statement of the entity finishes, one statement per set of properties (and
 * per parent, for nested entities).
 *
 * Each request keeps its own answer: its row comes back by its position in the batch. When the
 * batch statement fails (one item's unique value taken, a check that fails), every create of the
 * batch runs again on its own, so the others still succeed and each failure is reported to the
 * request that caused it, with the error its own statement gives.
 *
 * Each create's actor and request id travel with its item, so its audit row and its first
 * status history row name its own request.
 *
 * Only creates that any request would run alike are batched: the shared driver without a
 * transaction (no Idempotency-Key, no writes that follow the create), no row rules or
 * server-assigned columns.
 */
import type { AuditContext } from '../audit/audit-sql.js';
import { type Driver, isUnavailableDatabaseError, readDatabaseError } from '../db/index.js';
import { buildBulkCreateQuery, type EntityPlan, type SqlQuery } from '../query/index.js';

type Row = Record<string, unknown>;

interface Waiter {
  readonly item: Readonly<Record<string, unknown>>;
  /** Its request's actor and request id, for the audit trail and status history. */
  readonly origin: AuditContext;
  /** The parent key from the path, for nested entities (creates go together per parent). */
  readonly parentValues: readonly unknown[];
  /** The create's own single-row statement. */
  readonly single: SqlQuery;
  readonly resolve: (row: Row) => void;
  readonly reject: (error: unknown) => void;
}

/** Creates in flight at once before more queue (where the pool runs statements side by side). */
const PARALLEL_CREATES = 2;

export class CreateBatches {
  readonly #driver: Driver;
  readonly #plan: EntityPlan;
  readonly #parallel: number;
  /** This entity's create statements running now. */
  #inFlight = 0;
  /** Creates waiting for one of those to finish, by parent key and sorted property names. */
  #queued = new Map<string, Waiter[]>();
  /** Batched statements sent, and the creates they carried (for the metrics). */
  readonly sent = { statements: 0, creates: 0 };

  constructor(driver: Driver, plan: EntityPlan) {
    this.#driver = driver;
    this.#plan = plan;
    this.#parallel = Math.max(1, Math.min(PARALLEL_CREATES, driver.stats().total));
  }

  /**
   * Insert a validated create body; `single` is its own statement (buildInsertQuery), run when
   * it goes alone. Resolves to the new row.
   */
  create(
    item: Readonly<Record<string, unknown>>,
    origin: AuditContext,
    parentValues: readonly unknown[],
    single: SqlQuery,
  ): Promise<Row> {
    if (this.#inFlight < this.#parallel) return this.#runSingle(single);
    return new Promise((resolve, reject) => {
      const shape = Object.keys(item).sort().join(',');
      const key = parentValues.length > 0 ? `${parentValues.map(String).join('/')} ${shape}` : shape;
      const waiter: Waiter = { item, origin, parentValues, single, resolve, reject };
      const queue = this.#queued.get(key);
      if (queue) queue.push(waiter);
      else this.#queued.set(key, [waiter]);
    });
  }

  async #runSingle(single: SqlQuery): Promise<Row> {
    this.#inFlight += 1;
    try {
      return (await this.#driver.query<Row>(single.text, single.values)).rows[0]!;
    } finally {
      this.#inFlight -= 1;
      this.#flush();
    }
  }

  #runAlone(waiter: Waiter): void {
    this.#runSingle(waiter.single).then(waiter.resolve, waiter.reject);
  }

  async #runBatch(waiters: readonly Waiter[]): Promise<void> {
    const first = waiters[0]!;
    const batch = {
      items: waiters.map((waiter, index) => ({ index, item: waiter.item, origin: waiter.origin })),
      properties: Object.keys(first.item),
    };
    this.sent.statements += 1;
    this.sent.creates += waiters.length;
    this.#inFlight += 1;
    try {
      const context = { parentValues: first.parentValues };
      const { text, values } = buildBulkCreateQuery(this.#plan, batch, context, 'rows');
      const { rows } = await this.#driver.query<Row>(text, values);
      for (let index = 0; index < waiters.length; index += 1) waiters[index]!.resolve(rows[index]!);
    } catch (error) {
      // The statement failed and was rolled back whole: which creates fail, and why, each on
      // its own, as if it had never waited. Without an answer from the database (a lost
      // connection), the batch may have been written: each request gets the error, none runs
      // again.
      const rolledBack = readDatabaseError(error) !== undefined && !isUnavailableDatabaseError(error);
      for (const waiter of waiters) {
        if (rolledBack) this.#runAlone(waiter);
        else waiter.reject(error);
      }
    } finally {
      this.#inFlight -= 1;
      this.#flush();
    }
  }

  /** The creates queued meanwhile leave together, one statement per parent and set of properties. */
  #flush(): void {
    if (this.#queued.size === 0 || this.#inFlight >= this.#parallel) return;
    const queued = this.#queued;
    this.#queued = new Map();
    for (const waiters of queued.values()) {
      if (waiters.length === 1) this.#runAlone(waiters[0]!);
      else void this.#runBatch(waiters);
    }
  }
}
