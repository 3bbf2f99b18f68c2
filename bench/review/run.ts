/**
 * `architect review` against the reference linters, as users run them (a fresh process each
 * time, through bin/architect.js and the built dist/), interleaved in the same run so machine
 * load hits both alike:
 * - OpenAPI: `spectral lint` (@stoplight/spectral-cli, ruleset `spectral:oas`) on the GitHub
 *   REST API description (5.7 MB, bench/review/openapi-github.json.gz) and a mid-size document
 *   (LaunchDarkly, 212 kB, from the review corpus). architect runs the same `spectral:oas` rules
 *   in-process plus its own, so the Spectral-rule finding counts must match.
 * - Migrations: `squawk` (squawk-cli) on the corpus migration sets and a generated migration of
 *   1,000 statements. Target: the 1,000-statement migration under 1 s.
 * Reported: wall time p50/p99 per tool, the ratio architect/reference at p50, and finding counts.
 *
 * Usage: npm run build && npm run bench:review [-- --runs 5 --large-runs 1 --skip-large --only GitHub]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

const root = path.resolve(new URL('../../', import.meta.url).pathname);
const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const runs = flag('--runs', 5);
const largeRuns = flag('--large-runs', 1);
const skipLarge = process.argv.includes('--skip-large');
const onlyAt = process.argv.indexOf('--only');
/** Run only the cases whose title contains this text. */
const only = onlyAt > 0 ? process.argv[onlyAt + 1] : undefined;

const work = mkdtempSync(path.join(tmpdir(), 'architect-bench-review-'));
const architect = path.join(root, 'bin', 'architect.js');
const spectralCli = path.join(root, 'node_modules', '@stoplight', 'spectral-cli', 'dist', 'index.js');
const squawk = path.join(root, 'node_modules', '.bin', 'squawk');
const ruleset = path.join(work, '.spectral.yaml');
writeFileSync(ruleset, 'extends: ["spectral:oas"]\n');

interface Run {
  readonly ms: number;
  readonly stdout: string;
}

function runOnce(command: string, args: readonly string[]): Run {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  // Both tools exit 1 when they find something; anything else is a broken run.
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return { ms, stdout: result.stdout };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Tool {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Finding counts out of one run's output. */
  readonly count: (stdout: string) => Record<string, number>;
}

interface Case {
  readonly title: string;
  readonly tools: readonly [Tool, Tool];
  readonly runs: number;
  /** A warm-up run before the timed ones (the large document is too slow for one: its first timed run gives the counts). */
  readonly warmUp: boolean;
}

const architectCounts = (stdout: string) => {
  const { findings } = JSON.parse(stdout) as { findings: { ruleId: string }[] };
  const own = findings.filter((finding) => /^(architect|sql|migration)\//.test(finding.ruleId)).length;
  return { findings: findings.length, 'own rules': own, 'spectral:oas rules': findings.length - own };
};

function openApiCase(title: string, file: string, caseRuns: number, warmUp = true): Case {
  return {
    title,
    runs: caseRuns,
    warmUp,
    tools: [
      {
        name: 'architect review',
        command: process.execPath,
        args: [architect, 'review', file, '--format', 'json'],
        count: architectCounts,
      },
      {
        name: 'spectral lint',
        command: process.execPath,
        args: [spectralCli, 'lint', file, '--ruleset', ruleset, '--format', 'json', '--quiet'],
        count: (stdout) => ({ findings: (JSON.parse(stdout) as unknown[]).length }),
      },
    ],
  };
}

function migrationCase(title: string, target: string, files: readonly string[]): Case {
  return {
    title,
    runs,
    warmUp: true,
    tools: [
      {
        name: 'architect review',
        command: process.execPath,
        args: [architect, 'review', target, '--format', 'json'],
        count: architectCounts,
      },
      {
        name: 'squawk',
        command: squawk,
        args: ['--reporter', 'json', ...files],
        count: (stdout) => ({ findings: (JSON.parse(stdout || '[]') as unknown[]).length }),
      },
    ],
  };
}

function sqlFiles(folder: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(folder)) {
    const full = path.join(folder, entry);
    if (statSync(full).isDirectory()) out.push(...sqlFiles(full));
    else if (entry.endsWith('.sql')) out.push(full);
  }
  return out.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/**
 * 1,000 statements over 100 existing tables (created by earlier migrations, so lock rules apply):
 * the usual mix of safe steps (lock_timeout, CONCURRENTLY, NOT VALID then VALIDATE) and unsafe
 * ones (plain CREATE INDEX, type changes, SET NOT NULL, unbatched UPDATE).
 */
function thousandStatements(): string {
  const lines = ["SET lock_timeout = '2s';"];
  for (let i = 0; lines.length < 1000; i += 1) {
    const t = i % 100;
    const round = Math.floor(i / 100);
    switch (round % 9) {
      case 0:
        lines.push(`ALTER TABLE t${t} ADD COLUMN c${round} integer;`);
        break;
      case 1:
        lines.push(`CREATE INDEX CONCURRENTLY t${t}_c${round - 1}_idx ON t${t} (c${round - 1});`);
        break;
      case 2:
        lines.push(`ALTER TABLE t${t} ADD COLUMN ref${round} bigint;`);
        break;
      case 3:
        lines.push(
          `ALTER TABLE t${t} ADD CONSTRAINT t${t}_ref${round - 1}_fk FOREIGN KEY (ref${round - 1}) REFERENCES t${(t + 1) % 100} (id) NOT VALID;`,
        );
        break;
      case 4:
        lines.push(`ALTER TABLE t${t} VALIDATE CONSTRAINT t${t}_ref${round - 2}_fk;`);
        break;
      case 5:
        lines.push(`CREATE INDEX t${t}_name_idx ON t${t} (name);`);
        break;
      case 6:
        lines.push(`ALTER TABLE t${t} ALTER COLUMN c${round - 6} TYPE bigint;`);
        break;
      case 7:
        lines.push(`ALTER TABLE t${t} ALTER COLUMN c${round - 7} SET NOT NULL;`);
        break;
      default:
        lines.push(`UPDATE t${t} SET name = lower(name);`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const cases: Case[] = [];
if (!skipLarge) {
  const github = path.join(work, 'openapi-github.json');
  writeFileSync(github, gunzipSync(readFileSync(path.join(root, 'bench/review/openapi-github.json.gz'))));
  cases.push(openApiCase('OpenAPI: GitHub REST API (5.7 MB JSON)', github, largeRuns, false));
}
cases.push(
  openApiCase(
    'OpenAPI: LaunchDarkly (212 kB JSON)',
    path.join(root, 'test/fixtures/corpus/openapi/launchdarkly.json'),
    runs,
  ),
);
const thousand = path.join(work, '0001_thousand_statements.sql');
writeFileSync(thousand, thousandStatements());
cases.push(migrationCase('Migration: 1,000 statements in one file', thousand, [thousand]));
for (const name of ['atuin-server', 'harbor', 'temporal-migrations', 'umami']) {
  const folder = path.join(root, 'test/fixtures/corpus/sql', name);
  cases.push(migrationCase(`Migrations: corpus ${name}`, folder, sqlFiles(folder)));
}

console.log(`architect review vs reference linters, interleaved (Node ${process.version})\n`);
const summary: string[] = [];
for (const { title, tools, runs: caseRuns, warmUp } of cases.filter((c) => !only || c.title.includes(only))) {
  const samples = tools.map(() => [] as number[]);
  const counts: Record<string, number>[] = [];
  if (warmUp) for (const tool of tools) counts.push(tool.count(runOnce(tool.command, tool.args).stdout));
  for (let run = 0; run < caseRuns; run += 1) {
    tools.forEach((tool, index) => {
      const result = runOnce(tool.command, tool.args);
      samples[index]!.push(result.ms);
      if (counts[index] === undefined) counts[index] = tool.count(result.stdout);
    });
  }
  console.log(
    `${title} (${caseRuns} run${caseRuns === 1 ? '' : 's'} each${warmUp ? ' after a warm-up' : ''})`,
  );
  console.log(`  ${'tool'.padEnd(18)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}  findings`);
  tools.forEach((tool, index) => {
    const found = Object.entries(counts[index]!)
      .map(([key, value]) => `${key} ${value}`)
      .join(', ');
    console.log(
      `  ${tool.name.padEnd(18)}${percentile(samples[index]!, 50).toFixed(0).padStart(9)}${percentile(samples[index]!, 99).toFixed(0).padStart(9)}  ${found}`,
    );
  });
  const ratio = percentile(samples[0]!, 50) / percentile(samples[1]!, 50);
  console.log(`  ratio architect/${tools[1].name} at p50: ${ratio.toFixed(2)}\n`);
  summary.push(`${title}: ${ratio.toFixed(2)}x`);
  if (title.startsWith('Migration: 1,000')) {
    const p50 = percentile(samples[0]!, 50);
    console.log(
      `  target: 1,000-statement migration under 1 s -> ${p50 < 1000 ? 'met' : 'NOT met'} (${p50.toFixed(0)} ms)\n`,
    );
  }
}
rmSync(work, { recursive: true, force: true });
console.log(`ratios (architect / reference, p50 wall time):\n  ${summary.join('\n  ')}`);
