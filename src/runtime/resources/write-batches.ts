/**
 * Writes that would run beside others of their entity go to the database together, as one
 * set-based statement (the bulk route's statements, answering whole rows; for creates that no
 * audit or history row records, a plain INSERT from typed arrays), instead of one
 * statement each: one Bind/Execute, one commit and one WAL flush for the lot. This is the group
 * commit of the database, done one step earlier, where each statement would otherwise pay its
 * own. Creates (POST) and updates (PATCH) each have their own batcher per entity.
 *
 * The rule, where the pool runs statements side by side (a PostgreSQL server): while fewer than
 * two writes of the kind are in flight for the entity, a write runs its own single-row
 * statement at once, exactly as without batching, so a server under light load answers as
 * before. (One in flight would make the second of two concurrent writes wait for the first: it
 * cost a fifth of the throughput at two and four connections; and sending two writes that
 * arrive together as one statement instead of two side by side cost 3-5% at 8 connections.)
 * Beyond that, writes queue and leave together when a statement finishes. Where statements run
 * one at a time (PGlite, or a pool of one), nothing is lost by waiting: the writes that arrive
 * in one turn of the event loop (requests read from the sockets that were ready at once) leave
 * together at the end of that turn, and a write alone in its turn runs its own statement. On
 * PGlite, where a statement costs far more than its rows, this took creates at 8 connections
 * from 0.88x to 1.63-1.76x the reference handler and PATCH from 0.87x to 1.88-1.97x
 * (bench/runtime, three runs).
 * Either way one statement per group (the same set of properties and parent), and two writes
 * of the same row never share a statement: the later one waits for the next.
 *
 * Each request keeps its own answer: its row comes back by its index in the batch. A create
 * whose unique value is taken is left out of the batch's INSERT (`ON CONFLICT DO NOTHING`) and
 * runs again alone, for the 409 its own statement gives: the others are written meanwhile, so a
 * taken value costs one statement more, not the batch. When the batch statement fails (a check
 * that fails, a missing reference, a deadlock, a taken value in an update), the database has
 * rolled it back whole, and its writes run again: a few each on its own, more in two halves,
 * where only a half that fails again is split again, down to a few that run alone. So the
 * others still succeed, each failure goes to the request that caused it with the error its own
 * statement gives, and one bad write among k costs about 2·log2(k) statements more, not k.
 * Without an answer from the database (a lost connection) the batch may have been written:
 * each request gets the error and none runs again.
 */
import { type Driver, isUnavailableDatabaseError, readDatabaseError } from '../db/index.js';
import type { SqlQuery } from '../query/index.js';
import { atEndOfTurn } from './end-of-turn.js';

export type Row = Record<string, unknown>;

export interface BatchedWrite {
  /** Writes of one group may share a statement (same set of properties, same parent). */
  readonly group: string;
  /** The row the write changes, when it names one: writes of one row never share a statement. */
  readonly row?: string;
  /** The write's own statement, run when it goes alone or when its batch fails. */
  readonly single: SqlQuery;
}

/** A write the batch statement left out (a create whose unique value was taken): it runs alone. */
export const RUN_ALONE: unique symbol = Symbol('run alone');

export interface BatchStatement<W extends BatchedWrite> {
  /** One statement for the writes of a group. */
  build(writes: readonly W[]): SqlQuery;
  /** Each write's row from the statement's rows, in the writes' order (undefined: none). */
  read(rows: readonly Row[], writes: readonly W[]): readonly (Row | undefined | typeof RUN_ALONE)[];
}

interface Waiter<W> {
  readonly write: W;
  readonly resolve: (row: Row | undefined) => void;
  readonly reject: (error: unknown) => void;
}

/** Writes in flight at once before more queue (where the pool runs statements side by side). */
const PARALLEL_WRITES = 2;

/** A refused batch this small runs each write alone; a larger one is halved (see `#retry`). */
const RUN_EACH_ALONE = 4;

export class WriteBatches<W extends BatchedWrite> {
  readonly #driver: Driver;
  readonly #statement: BatchStatement<W>;
  readonly #parallel: number;
  /** This entity's statements of this kind running now. */
  #inFlight = 0;
  /** Writes waiting for one of those to finish, by group. */
  #queued = new Map<string, Waiter<W>[]>();
  /** Writes of a row already queued, for the batch after. */
  #deferred: Waiter<W>[] = [];
  /** Flush at the end of this turn, with whatever else arrives in it. */
  readonly #schedule = atEndOfTurn(() => this.#flush());
  /** Batched statements sent, and the writes they carried (for the metrics). */
  readonly sent = { statements: 0, writes: 0 };

  constructor(driver: Driver, statement: BatchStatement<W>) {
    this.#driver = driver;
    this.#statement = statement;
    this.#parallel = Math.max(1, Math.min(PARALLEL_WRITES, driver.stats().total));
  }

  /** Run the write, alone or with others; resolves to its row (undefined when none came back). */
  write(write: W): Promise<Row | undefined> {
    // Statements side by side (a pool) beat one statement for two writes: go at once.
    if (this.#parallel > 1 && this.#inFlight < this.#parallel) return this.#runSingle(write.single);
    return new Promise((resolve, reject) => {
      this.#enqueue({ write, resolve, reject });
      // On a pool a write queues only behind statements in flight, and leaves when one finishes.
      if (this.#parallel === 1) this.#schedule();
    });
  }

  #enqueue(waiter: Waiter<W>): void {
    const queue = this.#queued.get(waiter.write.group);
    if (!queue) this.#queued.set(waiter.write.group, [waiter]);
    else if (waiter.write.row !== undefined && queue.some((other) => other.write.row === waiter.write.row)) {
      this.#deferred.push(waiter);
    } else queue.push(waiter);
  }

  async #runSingle(single: SqlQuery): Promise<Row | undefined> {
    this.#inFlight += 1;
    try {
      return (await this.#driver.query<Row>(single.text, single.values)).rows[0];
    } finally {
      this.#inFlight -= 1;
      this.#flush();
    }
  }

  #runAlone(waiter: Waiter<W>): void {
    this.#runSingle(waiter.write.single).then(waiter.resolve, waiter.reject);
  }

  async #runBatch(waiters: readonly Waiter<W>[]): Promise<void> {
    const writes = waiters.map((waiter) => waiter.write);
    this.sent.statements += 1;
    this.sent.writes += waiters.length;
    this.#inFlight += 1;
    try {
      const { text, values } = this.#statement.build(writes);
      const { rows } = await this.#driver.query<Row>(text, values);
      const answers = this.#statement.read(rows, writes);
      for (let index = 0; index < waiters.length; index += 1) {
        const answer = answers[index];
        if (answer === RUN_ALONE) this.#runAlone(waiters[index]!);
        else waiters[index]!.resolve(answer);
      }
    } catch (error) {
      const rolledBack = readDatabaseError(error) !== undefined && !isUnavailableDatabaseError(error);
      if (!rolledBack) for (const waiter of waiters) waiter.reject(error);
      else this.#retry(waiters);
    } finally {
      this.#inFlight -= 1;
      this.#flush();
    }
  }

  /**
   * The writes of a batch the database refused, again: a few each alone, for the error its own
   * statement gives; more in two halves, so the writes that can be written are, in a few
   * statements more, and only the halves that fail again split again (one failing write among
   * k costs about 2·log2(k) statements, not k).
   */
  #retry(waiters: readonly Waiter<W>[]): void {
    if (waiters.length <= RUN_EACH_ALONE) {
      for (const waiter of waiters) this.#runAlone(waiter);
      return;
    }
    const middle = Math.ceil(waiters.length / 2);
    void this.#runBatch(waiters.slice(0, middle));
    void this.#runBatch(waiters.slice(middle));
  }

  /** The writes queued meanwhile leave together, one statement per group. */
  #flush(): void {
    if (this.#queued.size === 0 || this.#inFlight >= this.#parallel) return;
    const queued = this.#queued;
    const deferred = this.#deferred;
    this.#queued = new Map();
    this.#deferred = [];
    for (const waiters of queued.values()) {
      if (waiters.length === 1) this.#runAlone(waiters[0]!);
      else void this.#runBatch(waiters);
    }
    for (const waiter of deferred) this.#enqueue(waiter);
  }
}
