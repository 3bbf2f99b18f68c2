/**
 * Wall time of `architect design examples/inventory` as a user runs it (a fresh Node process
 * each time, through bin/architect.js and the built dist/), side by side in the same run with:
 * - `node -e 0`: a bare Node start, the floor every CLI pays;
 * - `architect --version`: the CLI's own start-up (commander, no blueprint);
 * - `tsc --version`: a peer CLI of the same ecosystem.
 * The runs are interleaved so machine load hits every command alike. Target: design p50 < 300 ms.
 *
 * Usage: npm run build && npm run bench:design [-- --runs 20]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(new URL('../../', import.meta.url).pathname);
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 15;
const out = mkdtempSync(path.join(tmpdir(), 'architect-bench-design-'));
const architect = path.join(root, 'bin', 'architect.js');
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');

const commands: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  'tsc --version': [tsc, '--version'],
  'architect --version': [architect, '--version'],
  'architect check': [architect, 'check', 'examples/inventory'],
  'architect design': [architect, 'design', 'examples/inventory', '--out', out],
};

function timeOnce(args: readonly string[]): number {
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, args, { cwd: root, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const samples = new Map<string, number[]>(Object.keys(commands).map((name) => [name, []]));
for (const args of Object.values(commands)) timeOnce(args); // warm the file cache
for (let run = 0; run < runs; run += 1) {
  for (const [name, args] of Object.entries(commands)) samples.get(name)!.push(timeOnce(args));
}
rmSync(out, { recursive: true, force: true });

const floor = percentile(
  [...samples.get('node -e 0')!].sort((a, b) => a - b),
  50,
);
console.log(
  `architect design examples/inventory: ${runs} runs each, interleaved (Node ${process.version})\n`,
);
console.log(`${'command'.padEnd(22)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'x node'.padStart(9)}`);
for (const [name, values] of samples) {
  const sorted = [...values].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  console.log(
    `${name.padEnd(22)}${p50.toFixed(0).padStart(9)}${percentile(sorted, 99).toFixed(0).padStart(9)}${(p50 / floor).toFixed(1).padStart(9)}`,
  );
}
const design = percentile(
  [...samples.get('architect design')!].sort((a, b) => a - b),
  50,
);
console.log(
  `\ntarget: architect design p50 < 300 ms -> ${design < 300 ? 'met' : 'NOT met'} (${design.toFixed(0)} ms)`,
);
