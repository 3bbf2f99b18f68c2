/**
 * postgres.js's pool under steady load below its size, as it is and with the runtime's repair of
 * its queues (src/runtime/db/pool-queues.ts), side by side in one process on the same server:
 * two pools of ten, each first opened whole by a burst of twenty statements at once, then
 * `SELECT 1` three at a time in rounds of 30,000, the two alternating round by round. Stock, the
 * pool's `open` queue is never emptied at that load, so its array (and the search every
 * statement makes of it) grows by one per statement: the CPU per statement climbs round after
 * round. Repaired, it stays level. Reports CPU µs per statement and p50/p99 latency per round.
 *
 * Usage: npm run bench:pool [-- --rounds 8 --statements 30000]   (needs DATABASE_URL)
 */
import postgres from 'postgres';
import { PoolQueueRepair } from '../../src/runtime/db/pool-queues.js';
import { SERVER_URL } from '../../test/support/postgres.js';
import { numberFlag } from '../support/flags.js';

const ROUNDS = numberFlag('rounds', 8);
const STATEMENTS = numberFlag('statements', 30_000);
const AT_ONCE = 3;

if (!SERVER_URL) {
  console.log('bench:pool needs a PostgreSQL server: set DATABASE_URL');
  process.exit(0);
}

interface Side {
  readonly name: string;
  readonly run: () => Promise<unknown>;
  readonly sql: postgres.Sql;
}

function side(name: string, repaired: boolean): Side {
  const sql = postgres(SERVER_URL!, { max: 10, onnotice: () => {} });
  const options = (
    repaired ? { prepare: true, onexecute: new PoolQueueRepair().onexecute } : { prepare: true }
  ) as { prepare: true };
  return { name, sql, run: () => sql.unsafe('SELECT 1', [], options) };
}

async function round(target: Side): Promise<{ cpu: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  const before = process.cpuUsage();
  const loop = async (count: number) => {
    for (let index = 0; index < count; index += 1) {
      const started = performance.now();
      await target.run();
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: AT_ONCE }, () => loop(STATEMENTS / AT_ONCE)));
  const cpu = process.cpuUsage(before);
  latencies.sort((a, b) => a - b);
  return {
    cpu: (cpu.user + cpu.system) / latencies.length,
    p50: latencies[Math.floor(latencies.length / 2)]! * 1000,
    p99: latencies[Math.floor(latencies.length * 0.99)]! * 1000,
  };
}

const sides = [side('postgres.js', false), side('repaired', true)];
try {
  // open every connection of both pools
  for (const target of sides) await Promise.all(Array.from({ length: 20 }, () => target.run()));
  console.log(
    `postgres.js pool of 10, SELECT 1 ${AT_ONCE} at a time, ${STATEMENTS.toLocaleString('en')} per round (Node ${process.version})`,
  );
  console.log(
    `${'round'.padEnd(7)}${'statements so far'.padStart(19)}${'stock CPU µs'.padStart(14)}${'repaired CPU µs'.padStart(17)}${'ratio'.padStart(7)}${'stock p50/p99 µs'.padStart(19)}${'repaired p50/p99 µs'.padStart(22)}`,
  );
  for (let index = 0; index < ROUNDS; index += 1) {
    const order = index % 2 === 0 ? sides : [...sides].reverse();
    const results = new Map<string, Awaited<ReturnType<typeof round>>>();
    for (const target of order) results.set(target.name, await round(target));
    const stock = results.get('postgres.js')!;
    const repaired = results.get('repaired')!;
    const latency = (result: typeof stock) => `${result.p50.toFixed(0)} / ${result.p99.toFixed(0)}`;
    console.log(
      `${String(index + 1).padEnd(7)}${((index + 1) * STATEMENTS).toLocaleString('en').padStart(19)}${stock.cpu.toFixed(1).padStart(14)}${repaired.cpu.toFixed(1).padStart(17)}${(stock.cpu / repaired.cpu).toFixed(2).padStart(7)}${latency(stock).padStart(19)}${latency(repaired).padStart(22)}`,
    );
  }
} finally {
  for (const target of sides) await target.sql.end({ timeout: 5 });
}
