/**
 * Reads by key of one entity that arrive together go to the database together, as one
 * statement: `WHERE t.id = ANY($1::uuid[])` for all of them, instead of one statement each (the
 * batching of DataLoader and of Prisma's `findUnique`). "Together" is one turn of the event
 * loop: the requests Node parsed from the sockets that were ready at once. Their reads queue,
 * and at the end of the turn (`setImmediate`) they leave as one statement, one Bind/Execute,
 * one wake-up of one backend and one result for the lot; a read alone in its turn runs the
 * single-key statement it would run without batching, a few microseconds later. When every
 * connection is busy with this entity's statements, the queue waits for one of them to finish
 * and leaves at the end of that turn, so it grows instead of queueing for connections one by
 * one. On a PostgreSQL server at 8 connections this took a GET by id from 121-124 to 104-118 µs
 * of CPU (server and Node together) and its throughput from 1.07-1.12x to 1.17-1.35x a minimal
 * handler's (bench/runtime, each figure against the handler in the same run). On PGlite, which runs one statement at a time and where a
 * statement costs far more than its rows, GET by id went from 0.82x to 2.5x the reference.
 *
 * Only reads that any request would answer alike are batched: the shared driver (no tenant wall
 * transaction), no row rules, and a one-column key whose parsed path value prints as PostgreSQL
 * prints the column (uuid, integer), so rows are matched to requests by `String(key)`.
 */
import type { Driver } from '../db/index.js';
import { buildReadManyQuery, buildReadQuery, type EntityPlan } from '../query/index.js';
import { atEndOfTurn } from './end-of-turn.js';

type Row = Record<string, unknown>;

interface Waiter {
  readonly resolve: (row: Row | undefined) => void;
  readonly reject: (error: unknown) => void;
}

/** The keys one statement reads: each key's text -> its parsed value and who waits for it. */
type Batch = Map<string, { readonly value: unknown; readonly waiters: Waiter[] }>;

/** Key kinds whose parsed path value prints as PostgreSQL prints the column. */
const BATCHABLE_KINDS: ReadonlySet<string> = new Set(['uuid', 'integer']);

/** Each request gets its own object: a reader may trim fields or embed relations in it. */
function answer(waiters: readonly Waiter[], row: Row | undefined): void {
  waiters[0]!.resolve(row);
  for (let index = 1; index < waiters.length; index += 1) waiters[index]!.resolve(row && { ...row });
}

export class PointReads {
  readonly #driver: Driver;
  readonly #plan: EntityPlan;
  /** This entity's read statements running now. */
  #inFlight = 0;
  /** Reads waiting to leave. */
  #queued: Batch | undefined;
  /** Send what queued, at the end of this turn. */
  readonly #schedule = atEndOfTurn(() => this.#flush());
  /** Statements that carried more than one key, and the reads they answered (for the metrics). */
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
    return new Promise((resolve, reject) => {
      let batch = this.#queued;
      if (batch === undefined) {
        batch = new Map();
        this.#queued = batch;
        this.#schedule();
      }
      const text = String(key);
      const entry = batch.get(text);
      if (entry) entry.waiters.push({ resolve, reject });
      else batch.set(text, { value: key, waiters: [{ resolve, reject }] });
    });
  }

  #flush(): void {
    const batch = this.#queued;
    // With every connection busy with this entity's reads, wait for one to finish: the queue
    // leaves then, with whatever arrived meanwhile.
    if (batch === undefined || (this.#inFlight > 0 && this.#driver.stats().idle === 0)) return;
    this.#queued = undefined;
    void this.#send(batch);
  }

  async #send(batch: Batch): Promise<void> {
    const entries = Array.from(batch.values());
    const keys = entries.map((entry) => entry.value);
    if (keys.length > 1) {
      this.sent.statements += 1;
      for (const { waiters } of entries) this.sent.reads += waiters.length;
    }
    const { text, values } =
      keys.length === 1 ? buildReadQuery(this.#plan, keys) : buildReadManyQuery(this.#plan, keys);
    this.#inFlight += 1;
    try {
      const { rows } = await this.#driver.query<Row>(text, values);
      if (keys.length === 1) {
        answer(entries[0]!.waiters, rows[0]);
        return;
      }
      const byKey = new Map<string, Row>();
      for (const row of rows) byKey.set(this.#plan.keyOf(row), row);
      for (const [key, { waiters }] of batch) answer(waiters, byKey.get(key));
    } catch (error) {
      for (const { waiters } of entries) for (const waiter of waiters) waiter.reject(error);
    } finally {
      this.#inFlight -= 1;
      // What queued behind a busy pool leaves at the end of this turn.
      if (this.#queued !== undefined) this.#schedule();
    }
  }
}
