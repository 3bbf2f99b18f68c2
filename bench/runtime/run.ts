/**
 * `architect serve` against the practical ceiling in Node: the runtime's app (startServer, as the
 * CLI runs it) and a minimal hand-written Fastify handler (bench/runtime/reference.ts) serve the
 * same products table from the same database in the same process, each on its own loopback
 * socket. On the PostgreSQL server a third side is Platformatic DB's REST layer
 * (bench/runtime/platformatic.ts: `@platformatic/sql-mapper` + `@platformatic/sql-openapi` 2.61.0,
 * because `@platformatic/db` 3.x needs Node >= 22.19 and this project runs on Node 20) for the
 * scenarios it has (get, list, create).
 *
 * Layers on in the runtime app (startServer defaults): request ids, error envelopes, JSON body
 * limits, the request deadline, security headers, compression (the load sends no
 * Accept-Encoding, so no body is compressed), Prometheus metrics, authorization (the blueprint's
 * `access: any` rules, no row rules, so no per-request transaction or set_config); off: the
 * identity layer (bench/identity and bench/security measure it) and logs. A worker thread drives them (autocannon:
 * bench/runtime/load-worker.mjs) with a fixed number of keep-alive connections for a fixed
 * time per slice; slices alternate between the two and rounds alternate which goes first, so
 * machine load hits both alike. Before the rounds every side runs every scenario unrecorded for
 * `--warmup` seconds (3): the runtime has more code on a request's path than the handler, and
 * V8 takes its time to optimize it all. After half a second, as before, it spent 308 µs of this
 * process's CPU per create in the next slice and about 115 µs from the third second on (a
 * server alone, 8 connections), so the first rounds measured its warm-up: create rose from 4,680
 * to 6,080 req/s over six rounds while the handler and Platformatic DB stayed level. With three
 * seconds each side's rounds are level from the first. Scenarios:
 * - get: `GET /products/{id}` for random ids; then again with eight times the connections, more
 *   than any side's pool holds (the runtime sends the item reads that arrive in one turn of the
 *   event loop as one statement, and holds them while the pool is busy: point-reads.ts);
 * - list: a page of 20 with a filter (`active=true`), a sort (`sku`) and a cursor at a random place;
 * - create: `POST /products` with a new sku each time; again with eight times the connections
 *   (beyond two creates in flight the runtime sends the others as one INSERT: write-batches.ts);
 * - patch: `PATCH /products/{id}` with `If-Match` naming the version the row's last answer had
 *   (each side has its own 1,000 rows, so every update matches); again with eight times the
 *   connections (the runtime's updates beyond two in flight go as one UPDATE);
 * - bulk: an upsert of 1,000 items on their sku (one connection: its latency is the point).
 * Reports req/s, the runtime/reference ratio, p50 and p99 per scenario, then the CPU each request
 * cost each side (Linux: PostgreSQL's processes and this one, from /proc), which does not swing
 * with scheduling as throughput on two cores does: on embedded PostgreSQL
 * (PGlite, where the reference runs its SQL through the same PGlite instance), and on the
 * PostgreSQL server when DATABASE_URL is set (a throwaway database; the reference has its own
 * postgres.js pool of the same size).
 *
 * Usage: npm run bench:runtime [-- --seconds 1.5 --rounds 3 --warmup 3 --connections 8 --rows 100000 --server-only
 *   --only create,get --slices]   (`--only`: the scenarios whose names start with one of these)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import postgres from 'postgres';
import { encodeCursor } from '../../src/runtime/query/cursor.js';
import { startServer } from '../../src/runtime/server/start.js';
import { createThrowawayDatabase, SERVER_URL } from '../../test/support/postgres.js';
import { numberFlag } from '../support/flags.js';
import { createPlatformaticApp } from './platformatic.js';
import { createReferenceApp, type RunQuery } from './reference.js';

const SECONDS = numberFlag('seconds', 1.5);
const ROUNDS = numberFlag('rounds', 3);
const WARMUP = numberFlag('warmup', 3);
const CONNECTIONS = numberFlag('connections', 8);
const ROWS = numberFlag('rows', 100_000);
const ONLY = process.argv.includes('--only')
  ? process.argv[process.argv.indexOf('--only') + 1]!.split(',')
  : undefined;
/** Print each slice's req/s as it ends (to see the spread behind a mean). */
const SLICES = process.argv.includes('--slices');
const POOL_SIZE = 10;
const BLUEPRINT = resolve(import.meta.dirname, 'blueprint.yaml');

interface LoadRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: string;
  /** Initial If-Match; the load worker then sends the ETag the path last answered with. */
  readonly etag?: string;
}

interface Scenario {
  readonly name: string;
  readonly connections: number;
  /** The requests for each side: the same work, in each side's own URL and cursor format. */
  readonly runtime: readonly LoadRequest[];
  readonly reference: readonly LoadRequest[];
  /** Platformatic DB's equivalent, when it has one. */
  readonly platformatic?: readonly LoadRequest[];
}

interface Slice {
  readonly latencies: number[];
  readonly failures: number;
  readonly elapsedMs: number;
  /** CPU time spent meanwhile, in µs (Linux only): PostgreSQL server processes, this process. */
  cpu?: { readonly database: number; readonly process: number };
}

const CLOCK_TICK_US = (() => {
  try {
    return 1e6 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  } catch {
    return 1e6 / 100;
  }
})();

/**
 * CPU time used so far, in µs, from /proc: by the PostgreSQL server's processes (every
 * `postgres` process of the machine, so the benchmark should have it to itself) and by this
 * process (the servers under test, and the load generator's thread, which does the same work
 * per request for every side). Undefined where there is no /proc.
 */
function cpuNow(): { database: number; process: number } | undefined {
  if (!existsSync('/proc/self/stat')) return undefined;
  let database = 0;
  let own = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
    if (Number(pid) === process.pid) own += ticks;
    else if (name === 'postgres') database += ticks;
  }
  return { database: database * CLOCK_TICK_US, process: own * CLOCK_TICK_US };
}

type Side = 'runtime' | 'reference' | 'platformatic';

/** Requests per millisecond. */
const sliceRps = (slice: Slice) => slice.latencies.length / slice.elapsedMs;

const worker = new Worker(resolve(import.meta.dirname, 'load-worker.mjs'));
let runs = 0;
function drive(origin: string, scenario: Scenario, side: Side, seconds: number): Promise<Slice> {
  runs += 1;
  const before = cpuNow();
  return new Promise((done) => {
    worker.once('message', (slice: Slice) => {
      const after = cpuNow();
      if (before && after) {
        slice.cpu = { database: after.database - before.database, process: after.process - before.process };
      }
      if (SLICES) {
        const rps = Math.round(sliceRps(slice) * 1000);
        console.log(`  slice: ${scenario.name}, ${side}: ${rps} req/s`);
      }
      done(slice);
    });
    worker.postMessage({
      origin,
      connections: scenario.connections,
      durationMs: seconds * 1000,
      requests: scenario[side] ?? [],
      runId: `${side[0]}${runs}`,
    });
  });
}

interface Summary {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly failures: number;
  /** Mean CPU µs per request (NaN without /proc). */
  readonly cpu: { readonly database: number; readonly process: number };
}

function summarize(slices: readonly Slice[]): Summary {
  const latencies = slices.flatMap((slice) => slice.latencies).sort((a, b) => a - b);
  const seconds = slices.reduce((sum, slice) => sum + slice.elapsedMs, 0) / 1000;
  const cpu = (part: 'database' | 'process') =>
    slices.every((slice) => slice.cpu)
      ? slices.reduce((sum, slice) => sum + slice.cpu![part], 0) / latencies.length
      : Number.NaN;
  return {
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failures: slices.reduce((sum, slice) => sum + slice.failures, 0),
    cpu: { database: cpu('database'), process: cpu('process') },
  };
}

/** Each round's ratio of the two sides' req/s, then their median and range. */
function roundRatios(ours: readonly Slice[], theirs: readonly Slice[]): string {
  const ratios = ours.map((slice, round) => sliceRps(slice) / sliceRps(theirs[round]!));
  const sorted = [...ratios].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median =
    sorted.length % 2 === 1 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  const list = ratios.map((ratio) => ratio.toFixed(2)).join(' ');
  return `${median.toFixed(2)} [${sorted[0]!.toFixed(2)}-${sorted.at(-1)!.toFixed(2)}] (${list})`;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function scenarios(query: RunQuery): Promise<Scenario[]> {
  const ids = (await query('SELECT id FROM products ORDER BY random() LIMIT 1000', [])).map((row) => row.id);
  const starts = await query(
    'SELECT sku, id FROM products WHERE active AND deleted_at IS NULL ORDER BY random() LIMIT 500',
    [],
  );
  const upsert = (round: number) =>
    JSON.stringify({
      operation: 'upsert',
      onConflict: 'sku',
      items: Array.from({ length: 1000 }, (_, index) => ({
        sku: `SKU-${String(index + 1).padStart(7, '0')}`,
        name: `Product ${index + 1} (bulk ${round})`,
      })),
    });
  const bulk = [0, 1].map((round) => ({
    method: 'POST',
    path: '/api/v1/products/bulk',
    body: upsert(round),
  }));
  const create = { method: 'POST', path: '/api/v1/products', body: '{"sku":"NEW-{n}","name":"Created"}' };
  // Rows the bulk upsert never touches, read with their current version; half for each side.
  const patchRows = await query(
    "SELECT id, version FROM products WHERE sku > 'SKU-0010000' ORDER BY random() LIMIT 2000",
    [],
  );
  const patch = (rows: readonly Record<string, unknown>[]) =>
    rows.map((row) => ({
      method: 'PATCH',
      path: `/api/v1/products/${row.id}`,
      body: '{"name":"Patched {n}"}',
      etag: `"${row.version}"`,
    }));
  const get = (connections: number): Scenario => ({
    name: 'get by id',
    connections,
    runtime: ids.map((id) => ({ method: 'GET', path: `/api/v1/products/${id}` })),
    reference: ids.map((id) => ({ method: 'GET', path: `/api/v1/products/${id}` })),
    platformatic: ids.map((id) => ({ method: 'GET', path: `/products/${id}` })),
  });
  const creates = (connections: number): Scenario => ({
    name: 'create',
    connections,
    runtime: [create],
    reference: [create],
    // Its schema requires every NOT NULL column, defaults or not.
    platformatic: [
      {
        method: 'POST',
        path: '/products',
        body: `{"sku":"PLT${connections}-{n}","name":"Created","uom":"ea","active":true,"version":1}`,
      },
    ],
  });
  return [
    get(CONNECTIONS),
    // More requests than connections in every pool: where the runtime's point reads leave for
    // the database together (src/runtime/resources/point-reads.ts) and the others queue.
    { ...get(CONNECTIONS * 8), name: `get by id, ${CONNECTIONS * 8} conn.` },
    {
      name: 'list (filter, sort, cursor)',
      connections: CONNECTIONS,
      runtime: starts.map((row) => ({
        method: 'GET',
        path: `/api/v1/products?active=true&sort=sku&limit=20&cursor=${encodeCursor('sku', [row.sku])}`,
      })),
      reference: starts.map((row) => ({
        method: 'GET',
        path: `/api/v1/products?active=true&limit=20&cursor=${Buffer.from(JSON.stringify([row.sku])).toString('base64url')}`,
      })),
      platformatic: starts.map((row) => ({
        method: 'GET',
        path: `/products?where.active.eq=true&where.sku.gt=${row.sku}&orderby.sku=asc&limit=20`,
      })),
    },
    creates(CONNECTIONS),
    { ...creates(CONNECTIONS * 8), name: `create, ${CONNECTIONS * 8} conn.` },
    {
      name: 'patch (If-Match)',
      connections: CONNECTIONS,
      runtime: patch(patchRows.slice(0, 1000)),
      reference: patch(patchRows.slice(1000)),
    },
    {
      name: `patch (If-Match), ${CONNECTIONS * 8} conn.`,
      connections: CONNECTIONS * 8,
      runtime: patch(patchRows.slice(0, 1000)),
      reference: patch(patchRows.slice(1000)),
    },
    { name: 'bulk upsert 1,000', connections: 1, runtime: bulk, reference: bulk },
  ];
}

async function bench(label: string, options: { databaseUrl?: string }): Promise<void> {
  const server = await startServer({
    blueprint: BLUEPRINT,
    port: 0,
    memory: options.databaseUrl ? undefined : true,
    databaseUrl: options.databaseUrl,
    poolSize: POOL_SIZE,
    logLevel: false,
    // no accounts, tokens or rate limits: bench/security measures those
    identity: false,
  });
  const client = options.databaseUrl
    ? postgres(options.databaseUrl, { max: POOL_SIZE, onnotice: () => {} })
    : undefined;
  const query: RunQuery = client
    ? async (text, values) => [...(await client.unsafe(text, values as never[], { prepare: true }))]
    : async (text, values) => (await server.driver.query(text, values)).rows;
  const reference = await createReferenceApp(query);
  const platformatic = options.databaseUrl
    ? await createPlatformaticApp(options.databaseUrl, POOL_SIZE)
    : undefined;
  const platformaticOrigin = platformatic
    ? await platformatic.listen({ port: 0, host: '127.0.0.1' })
    : undefined;
  await reference.listen({ port: 0, host: '127.0.0.1' });
  const address = reference.server.address();
  const referenceOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  try {
    const seeded = Date.now();
    await server.driver.query(
      `INSERT INTO products (sku, name, active, reorder_point)
       SELECT 'SKU-' || lpad(i::text, 7, '0'), 'Product ' || i, i % 10 <> 0, (i % 50)::numeric
       FROM generate_series(1, $1::int) AS i`,
      [ROWS],
    );
    await server.driver.exec('ANALYZE products');
    const list = (await scenarios(query)).filter(
      (scenario) => !ONLY || ONLY.some((prefix) => scenario.name.startsWith(prefix)),
    );
    console.log(
      `\n${label}: ${ROWS.toLocaleString('en')} products seeded in ${((Date.now() - seeded) / 1000).toFixed(1)} s; ` +
        `${ROUNDS} rounds x ${SECONDS} s per side and scenario, ${CONNECTIONS} connections (bulk: 1)`,
    );
    const origins: Record<Side, string | undefined> = {
      runtime: server.origin,
      reference: referenceOrigin,
      platformatic: platformaticOrigin,
    };
    const sidesOf = (scenario: Scenario): Side[] =>
      (['runtime', 'reference', 'platformatic'] as const).filter(
        (side) => origins[side] !== undefined && scenario[side] !== undefined,
      );
    const totals = new Map<string, Record<Side, Slice[]>>();
    for (const scenario of list) {
      totals.set(scenario.name, { runtime: [], reference: [], platformatic: [] });
      // warm every side (JIT, prepared statements, caches); not recorded
      for (const side of sidesOf(scenario)) await drive(origins[side]!, scenario, side, WARMUP);
    }
    // The warm-ups' creates add rows by the hundred thousand: vacuumed now, rather than by
    // autovacuum in the middle of the first round, charged to whichever side runs then.
    await server.driver.exec('VACUUM (ANALYZE) products');
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const scenario of list) {
        const sides = sidesOf(scenario);
        const order = round % 2 === 0 ? sides : [...sides].reverse();
        for (const side of order) {
          totals.get(scenario.name)![side].push(await drive(origins[side]!, scenario, side, SECONDS));
        }
      }
    }
    const withPlatformatic = platformatic !== undefined;
    const header = `${'scenario'.padEnd(28)}${'runtime req/s'.padStart(14)}${'reference req/s'.padStart(16)}${'ratio'.padStart(7)}${'runtime p50/p99 ms'.padStart(20)}${'reference p50/p99 ms'.padStart(22)}${'failed'.padStart(12)}${withPlatformatic ? `${'platformatic req/s'.padStart(20)}${'x plat.'.padStart(9)}${'plat. p50/p99 ms'.padStart(18)}` : ''}`;
    console.log(header);
    const summaries: { name: string; sides: Partial<Record<Side, Summary>> }[] = [];
    for (const [name, sides] of totals) {
      const ours = summarize(sides.runtime);
      const theirs = summarize(sides.reference);
      const plat = sides.platformatic.length > 0 ? summarize(sides.platformatic) : undefined;
      summaries.push({ name, sides: { runtime: ours, reference: theirs, platformatic: plat } });
      const latency = (side: { p50: number; p99: number }) =>
        `${side.p50.toFixed(1)} / ${side.p99.toFixed(1)}`;
      console.log(
        `${name.padEnd(28)}${ours.rps.toFixed(0).padStart(14)}${theirs.rps.toFixed(0).padStart(16)}${(ours.rps / theirs.rps).toFixed(2).padStart(7)}${latency(ours).padStart(20)}${latency(theirs).padStart(22)}${`${ours.failures}/${theirs.failures}${plat ? `/${plat.failures}` : ''}`.padStart(12)}${plat ? `${plat.rps.toFixed(0).padStart(20)}${(ours.rps / plat.rps).toFixed(2).padStart(9)}${latency(plat).padStart(18)}` : withPlatformatic ? `${'-'.padStart(20)}` : ''}`,
      );
    }
    // Each round runs the sides back to back, so a round's ratio compares them under the same
    // machine load; the spread of those ratios says how far the pooled ratio above can be trusted.
    console.log(
      `\nRatio per round (req/s of the runtime over the other side's, slices run back to back), median [lowest-highest]`,
    );
    for (const [name, sides] of totals) {
      const cells = (['reference', 'platformatic'] as const)
        .filter((side) => sides[side].length === sides.runtime.length)
        .map((side) => `${side}: ${roundRatios(sides.runtime, sides[side])}`);
      console.log(`${name.padEnd(28)}${cells.join('   ')}`);
    }
    if (summaries.every((summary) => Number.isFinite(summary.sides.runtime!.cpu.process))) {
      // Throughput on two cores swings with scheduling; the CPU each request costs does not.
      console.log(
        `\nCPU per request, µs: PostgreSQL server processes + this process (the servers and the load generator's thread); ratio: the other side's over the runtime's (above 1: the runtime spends less)`,
      );
      const cell = (summary: Summary | undefined) =>
        summary
          ? `${summary.cpu.database.toFixed(0)} + ${summary.cpu.process.toFixed(0)} = ${(summary.cpu.database + summary.cpu.process).toFixed(0)}`
          : '-';
      const total = (summary: Summary) => summary.cpu.database + summary.cpu.process;
      console.log(
        `${'scenario'.padEnd(28)}${'runtime'.padStart(24)}${'reference'.padStart(24)}${'ratio'.padStart(8)}${withPlatformatic ? `${'platformatic'.padStart(24)}${'ratio'.padStart(8)}` : ''}`,
      );
      for (const { name, sides } of summaries) {
        const ours = sides.runtime!;
        const plat = sides.platformatic;
        console.log(
          `${name.padEnd(28)}${cell(ours).padStart(24)}${cell(sides.reference).padStart(24)}${(total(sides.reference!) / total(ours)).toFixed(2).padStart(8)}${withPlatformatic ? `${cell(plat).padStart(24)}${(plat ? (total(plat) / total(ours)).toFixed(2) : '-').padStart(8)}` : ''}`,
        );
      }
    }
  } finally {
    await reference.close();
    await platformatic?.close();
    await client?.end();
    await server.close();
  }
}

console.log(`architect serve vs a minimal Fastify handler (Node ${process.version}, loopback)`);
try {
  if (!process.argv.includes('--server-only')) await bench('PGlite (embedded, in memory)', {});
  if (SERVER_URL) {
    const database = await createThrowawayDatabase('architect_bench_runtime');
    try {
      await bench(`PostgreSQL server (${new URL(SERVER_URL).host})`, { databaseUrl: database.url });
    } finally {
      await database.drop();
    }
  } else {
    console.log('\nPostgreSQL server: skipped (set DATABASE_URL to run it)');
  }
} finally {
  await worker.terminate();
}
