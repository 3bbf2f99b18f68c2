/**
 * Reads by key that would wait for a database connection go to the database together, as one
 * statement: `WHERE t.id = ANY($1::uuid[])` for all of them, instead of one statement each (the
 * batching of DataLoader and of Prisma's `findUnique`, applied only under pressure). While a
 * connection is free a read runs its own single-key statement at once, exactly as without
 * batching, so a server below its pool's capacity answers as before. Once every connection is
 * busy, reads of an entity queue behind that entity's statement in flight and leave together when
 * it finishes, or as soon as a later read finds a connection free: one Bind/Execute, one wake-up
 * of a backend and one result for the lot, where they would otherwise have queued for
 * connections one by one. (PGlite answers each statement before the next request is read, so
 * there reads seldom overlap and this changes little.)
 *
 * Only reads that any request would answer alike are batched: the shared driver (no tenant wall
 * transaction), no row rules, and a one-column key whose parsed path value prints as PostgreSQL
 * prints the column (uuid, integer), so rows are matched to requests by `String(key)`.
 */
import type { Driver } from '../db/index.js';
import { buildReadManyQuery, buildReadQuery, type EntityPlan } from '../query/index.js';

type Row = Record<string, unknown>;

interface Waiter {
  readonly resolve: (row: Row | undefined) => void;
  readonly reject: (error: unknown) => void;
}

/** The keys one statement reads: each key's text -> its parsed value and who waits for it. */
type Batch = Map<string, { readonly value: unknown; readonly waiters: Waiter[] }>;

/** Key kinds whose parsed path value prints as PostgreSQL prints the column. */
const BATCHABLE_KINDS: ReadonlySet<string> = new Set(['uuid', 'integer']);

export class PointReads {
  readonly #driver: Driver;
  readonly #plan: EntityPlan;
  /** This entity's read statements running now. */
  #inFlight = 0;
  /** Reads waiting for one of those to finish. */
  #queued: Batch | undefined;
  /** Batched statements sent, and the reads they answered (for the metrics). */
  readonly sent = { statements: 0, reads: 0 };

  private constructor(driver: Driver, plan: EntityPlan) {
    this.#driver = driver;
    this.#plan = plan;
  }

  /** A batcher for the entity's item reads, or undefined when its key cannot be batched. */
  static for(driver: Driver, plan: EntityPlan): PointReads | undefined {
    const [param, ...more] = plan.itemParams;
    if (!param || more.length > 0) return undefined;
    const kind = param.field.kind === 'reference' ? param.field.sqlType : param.field.kind;
    return BATCHABLE_KINDS.has(kind) ? new PointReads(driver, plan) : undefined;
  }

  /** The live row with this key (a parsed path value), or undefined. */
  read(key: unknown): Promise<Row | undefined> {
    if (this.#inFlight > 0 && this.#driver.stats().idle === 0) return this.#enqueue(key);
    const queued = this.#queued;
    if (queued === undefined) return this.#readOne(key);
    // A connection is free again: what waited leaves now, with this read, instead of waiting for
    // the statement in flight to finish.
    const read = this.#enqueue(key);
    this.#queued = undefined;
    void this.#readQueued(queued);
    return read;
  }

  #enqueue(key: unknown): Promise<Row | undefined> {
    return new Promise((resolve, reject) => {
      let batch = this.#queued;
      if (batch === undefined) {
        batch = new Map();
        this.#queued = batch;
      }
      const text = String(key);
      const entry = batch.get(text);
      if (entry) entry.waiters.push({ resolve, reject });
      else batch.set(text, { value: key, waiters: [{ resolve, reject }] });
    });
  }

  #readOne(key: unknown): Promise<Row | undefined> {
    const { text, values } = buildReadQuery(this.#plan, [key]);
    this.#inFlight += 1;
    return this.#driver.query<Row>(text, values).then(this.#readOneDone, this.#readOneFailed);
  }

  // Bound once: a read alone costs one promise more than the statement's own, no closure.
  readonly #readOneDone = (result: { rows: Row[] }): Row | undefined => {
    this.#finished();
    return result.rows[0];
  };

  readonly #readOneFailed = (error: unknown): never => {
    this.#finished();
    throw error;
  };

  async #readQueued(batch: Batch): Promise<void> {
    const keys = Array.from(batch.values(), (entry) => entry.value);
    this.sent.statements += 1;
    for (const { waiters } of batch.values()) this.sent.reads += waiters.length;
    const { text, values } =
      keys.length === 1 ? buildReadQuery(this.#plan, keys) : buildReadManyQuery(this.#plan, keys);
    this.#inFlight += 1;
    try {
      const { rows } = await this.#driver.query<Row>(text, values);
      const byKey = new Map<string, Row>();
      for (const row of rows) byKey.set(this.#plan.keyOf(row), row);
      for (const [key, { waiters }] of batch) {
        const row = byKey.get(key);
        waiters[0]!.resolve(row);
        // Each request gets its own object: a reader may trim fields or embed relations in it.
        for (let index = 1; index < waiters.length; index += 1) waiters[index]!.resolve(row && { ...row });
      }
    } catch (error) {
      for (const { waiters } of batch.values()) for (const waiter of waiters) waiter.reject(error);
    } finally {
      this.#finished();
    }
  }

  /** A statement finished: the reads queued meanwhile leave together. */
  #finished(): void {
    this.#inFlight -= 1;
    const batch = this.#queued;
    if (batch === undefined) return;
    this.#queued = undefined;
    void this.#readQueued(batch);
  }
}
