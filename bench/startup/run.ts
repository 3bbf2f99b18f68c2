/**
 * How long `architect serve` takes from process start to its first 200 on `/ready` (database
 * open, schema brought to the blueprint, app built, listening), on the flagship with embedded
 * PostgreSQL: in memory, with a new data folder, and with the folder the run before left; and
 * in memory without the kept cluster image (`ARCHITECT_CACHE_DIR=off` and no image yet in the
 * process, so initdb runs), to show what the image saves. The reference is a minimal
 * hand-written Fastify + PGlite service (bench/startup/reference.mjs) that opens a new
 * in-memory database, creates one table and listens. Cases alternate within each round so
 * machine load hits them alike; p50 and the extremes per case, and the ratio to the reference.
 *
 * Needs the built CLI (`npm run build`). Usage: npm run bench:startup [-- --rounds 5]
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { numberFlag } from '../support/flags.js';

const ROUNDS = numberFlag('rounds', 5);
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/architect.js');
const FLAGSHIP = join(ROOT, 'examples/inventory');

interface Case {
  readonly name: string;
  readonly args: () => readonly string[];
  readonly env?: Record<string, string>;
}

/** Milliseconds from spawning the process to its first 200 on `/ready`; then it is stopped. */
async function timeToReady(args: readonly string[], env: Record<string, string> = {}): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', PORT: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let text = '';
  const origin = await new Promise<string>((done, fail) => {
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      text += chunk;
      const match = /API\s+(http:\/\/[^\s/]+)\//.exec(text);
      if (match) done(match[1]!);
    });
    child.on('exit', (code) => fail(new Error(`exited (${code}) before listening:\n${text}`)));
  });
  for (;;) {
    const ready = await fetch(`${origin}/ready`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) break;
    await new Promise((done) => setTimeout(done, 10));
  }
  const elapsed = performance.now() - started;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
  return elapsed;
}

if (!existsSync(join(ROOT, 'dist/cli/main.js'))) {
  console.error('bench:startup needs the built CLI: run `npm run build` first');
  process.exit(2);
}

const folder = await mkdtemp(join(tmpdir(), 'architect-bench-startup-'));
let fresh = 0;
const serve = (...extra: string[]) => [BIN, 'serve', FLAGSHIP, '--port', '0', ...extra];
const CASES: readonly Case[] = [
  { name: 'reference (Fastify + PGlite)', args: () => [join(import.meta.dirname, 'reference.mjs')] },
  { name: 'serve --memory', args: () => serve('--memory') },
  {
    name: 'serve --memory, no image',
    args: () => serve('--memory'),
    env: { ARCHITECT_CACHE_DIR: 'off' },
  },
  // A new folder each round, then the same folder again: created, then reopened.
  { name: 'serve, new data folder', args: () => serve('--data-dir', join(folder, `data-${++fresh}`)) },
  { name: 'serve, existing data folder', args: () => serve('--data-dir', join(folder, `data-${fresh}`)) },
];

try {
  // Warm the file cache and make the cluster image once; not recorded.
  await timeToReady(serve('--memory'));
  const times = new Map<string, number[]>(CASES.map((item) => [item.name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const item of CASES) times.get(item.name)!.push(await timeToReady(item.args(), item.env));
  }
  const median = (values: readonly number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const reference = median(times.get(CASES[0]!.name)!);
  console.log(
    `architect serve start-up on the flagship (Node ${process.version}), ${ROUNDS} rounds; time to the first 200 on /ready, x reference below 1: faster`,
  );
  console.log(
    `${'case'.padEnd(32)}${'p50 ms'.padStart(9)}${'min ms'.padStart(9)}${'max ms'.padStart(9)}${'x reference'.padStart(13)}`,
  );
  for (const [name, values] of times) {
    const p50 = median(values);
    console.log(
      `${name.padEnd(32)}${p50.toFixed(0).padStart(9)}${Math.min(...values)
        .toFixed(0)
        .padStart(9)}${Math.max(...values)
        .toFixed(0)
        .padStart(9)}${(p50 / reference).toFixed(2).padStart(13)}`,
    );
  }
} finally {
  await rm(folder, { recursive: true, force: true });
}
