/**
 * The repair of postgres.js's pool queues (src/runtime/db/pool-queues.ts): a repaired queue
 * keeps the queue's behaviour (first in, first out; `remove` of an item anywhere or of one not
 * there; the items it held), and on a real pool the repair finds the queues through `onexecute`
 * while every statement still answers, alone, side by side and pipelined.
 */
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { PoolQueueRepair, repairQueue } from '../../../src/runtime/db/pool-queues.js';
import { NO_SERVER_REASON, SERVER_URL } from '../../support/postgres.js';

/** postgres.js 3.4.9's Queue (src/queue.js), as the pool builds its queues (commas unrolled). */
function Queue(initial: unknown[] = []) {
  let xs = initial.slice();
  let index = 0;
  return {
    get length() {
      return xs.length - index;
    },
    remove: (x: unknown) => {
      const at = xs.indexOf(x);
      if (at === -1) return null;
      xs.splice(at, 1);
      return x;
    },
    push: (x: unknown) => {
      xs.push(x);
      return x;
    },
    shift: () => {
      const out = xs[index++];
      if (index === xs.length) {
        index = 0;
        xs = [];
      } else {
        xs[index - 1] = undefined;
      }
      return out;
    },
  };
}

describe('a repaired pool queue', () => {
  it('keeps the items it held, in order, and behaves as the queue did', () => {
    const stock = Queue(['a', 'b', 'c', 'd']);
    const repaired = Queue(['a', 'b', 'c', 'd']);
    stock.shift();
    repaired.shift();
    repairQueue(repaired);
    expect(repaired.length).toBe(3);
    // the same operations on both give the same answers
    const operations: [string, unknown?][] = [
      ['push', 'e'],
      ['remove', 'c'],
      ['remove', 'missing'],
      ['shift'],
      ['push', 'f'],
      ['remove', 'f'],
      ['shift'],
      ['shift'],
      ['shift'],
      ['push', 'g'],
      ['shift'],
    ];
    for (const [name, argument] of operations) {
      const call = (queue: ReturnType<typeof Queue>) =>
        name === 'shift' ? queue.shift() : queue[name as 'push' | 'remove'](argument);
      expect([name, call(repaired), repaired.length]).toEqual([name, call(stock), stock.length]);
    }
    expect(repaired.length).toBe(0);
    expect(repaired.shift()).toBeUndefined();
  });

  it('is repaired once, through the connection postgres.js hands to onexecute', () => {
    const queue = Queue(['x']);
    const repair = new PoolQueueRepair();
    expect(repair.onexecute({ queue })).toBe(true);
    expect(repair.onexecute({ queue })).toBe(true);
    expect(repair.repaired).toBe(1);
    expect(queue.shift()).toBe('x');
    // a connection without a queue of that shape is let through untouched
    const other = { length: 1, items: [] };
    expect(repair.onexecute({ queue: other })).toBe(true);
    expect(repair.onexecute(undefined)).toBe(true);
    expect(repair.repaired).toBe(1);
    expect(other).toEqual({ length: 1, items: [] });
  });
});

describe.skipIf(!SERVER_URL)(
  `the repair on a postgres.js pool${SERVER_URL ? '' : ` (skipped: ${NO_SERVER_REASON})`}`,
  () => {
    it('finds the pool queues and every statement answers, alone, side by side and pipelined', async () => {
      const sql = postgres(SERVER_URL!, { max: 3, onnotice: () => {} });
      const repair = new PoolQueueRepair();
      const options = { prepare: true, onexecute: repair.onexecute } as { prepare: true };
      const run = (value: number) =>
        sql.unsafe('SELECT $1::int * 2 AS doubled', [value], options).then(([row]) => row!.doubled);
      try {
        expect(await run(1)).toBe(2);
        // more at once than the pool holds: all connections open, then pipelined on busy ones
        const burst = Array.from({ length: 40 }, (_, index) => index);
        expect(await Promise.all(burst.map(run))).toEqual(burst.map((value) => value * 2));
        // then fewer at once than the pool holds, for a while: `open` is never emptied
        for (let round = 0; round < 200; round += 1) {
          expect(await Promise.all([run(round), run(round + 1)])).toEqual([round * 2, round * 2 + 2]);
        }
        // transactions take their connection from the repaired `open` queue too
        const reserved = await sql.reserve();
        expect((await reserved.unsafe('SELECT 7 AS seven'))[0]!.seven).toBe(7);
        reserved.release();
        expect(await run(21)).toBe(42);
        expect(repair.repaired).toBeGreaterThanOrEqual(2);
      } finally {
        await sql.end({ timeout: 5 });
      }
    });
  },
);
