/**
 * A repair for postgres.js 3.4.9's pool. The pool keeps its connections in queues (open, busy,
 * closed, ...), each an object `{ length, push, shift, remove }` over an array. `shift()` leaves
 * a hole at the front of that array, cleared only when a shift empties the queue, and `remove()`
 * searches the whole array, holes included. A statement takes a connection from `open` with
 * `shift()` and then removes it from `open` once more, which searches the whole array for a
 * connection no longer there. Once the pool holds more connections than statements run at once
 * (any steady load after a burst that opened them all), `open` is never emptied, so its array
 * grows by one per statement and the search with it: the CPU of a `SELECT 1` went from 26 µs to
 * 84 µs over 240,000 statements run three at a time on a pool of ten, and kept growing
 * (bench/runtime/pool.ts); in the runtime benchmark a create cost 30 µs more after the reads.
 *
 * The query option `onexecute`, which postgres.js calls with the statement's connection as the
 * statement is sent, gives the queue that connection was just taken from (`connection.queue`,
 * not yet moved). Such a queue is given, in place, methods over a plain array without holes:
 * the pool shares the queue objects, so every later use goes through the repaired methods. Its
 * array holds at most the pool's connections, so `shift()` and `remove()` stay short. A queue
 * of another shape is left as it is.
 */

interface PoolQueue {
  readonly length: number;
  push(item: unknown): unknown;
  shift(): unknown;
  remove(item: unknown): unknown;
}

function isPoolQueue(value: unknown): value is PoolQueue {
  const queue = value as Partial<PoolQueue> | null | undefined;
  return (
    typeof queue === 'object' &&
    queue !== null &&
    typeof queue.length === 'number' &&
    typeof queue.push === 'function' &&
    typeof queue.shift === 'function' &&
    typeof queue.remove === 'function'
  );
}

/** Gives a pool queue, in place, the same methods over an array without holes. */
export function repairQueue(queue: PoolQueue): void {
  const items: unknown[] = [];
  while (queue.length > 0) items.push(queue.shift());
  Object.defineProperty(queue, 'length', { get: () => items.length, configurable: true, enumerable: true });
  Object.assign(queue, {
    push: (item: unknown) => {
      items.push(item);
      return item;
    },
    shift: () => items.shift(),
    remove: (item: unknown) => {
      const index = items.indexOf(item);
      if (index === -1) return null;
      items.splice(index, 1);
      return item;
    },
  });
}

/** The `onexecute` query option that repairs each queue a statement's connection comes from. */
export class PoolQueueRepair {
  readonly #seen = new WeakSet<object>();
  /** Queues repaired so far (the tests check the repair finds the pool's queues). */
  repaired = 0;

  /** postgres.js reads a false answer as "send no more on this connection": always true. */
  readonly onexecute = (connection: unknown): true => {
    const queue = (connection as { queue?: unknown } | null)?.queue;
    if (typeof queue === 'object' && queue !== null && !this.#seen.has(queue)) {
      this.#seen.add(queue);
      if (isPoolQueue(queue)) {
        repairQueue(queue);
        this.repaired += 1;
      }
    }
    return true;
  };
}
