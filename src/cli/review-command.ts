import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ArchitectError } from '../errors.js';
import { EXIT, type Io, setExitCode } from './io.js';
import { version } from './version.js';

interface ReviewCommandOptions {
  databaseUrl?: string;
  format: string;
  failOn: string;
  rules?: string;
  baseline?: string;
  writeBaseline?: string;
  output?: string;
  pgVersion?: string;
  allowIndexTrial?: boolean;
}

const SEVERITY_RANK = { info: 1, warn: 2, error: 3 } as const;

export function registerReviewCommand(program: Command, io: Io): void {
  program
    .command('review')
    .description('review OpenAPI documents, SQL schemas, migrations and live PostgreSQL databases')
    .argument('[paths...]', 'OpenAPI files (YAML/JSON), .sql files, folders of migrations')
    .option('--database-url <url>', 'also review this live PostgreSQL database (read-only)')
    .option('--format <format>', 'stylish | json | sarif | github', 'stylish')
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above: error | warn | info', 'error')
    .option('--rules <file>', 'rules file (default: .architect-review.yaml when present)')
    .option('--baseline <file>', 'report only findings not recorded in this baseline')
    .option('--write-baseline <file>', 'record the current findings as the baseline and exit 0')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--pg-version <major>', 'target PostgreSQL major version for SQL rules', '15')
    .option(
      '--allow-index-trial',
      'database review may create indexes in a rolled-back transaction to prove advice',
    )
    .action(async (paths: string[], options: ReviewCommandOptions, command: Command) => {
      try {
        setExitCode(command, await runReview(paths, options, io));
      } catch (error) {
        if (!(error instanceof ArchitectError) || !error.code.startsWith('REVIEW_')) throw error;
        io.stderr(`error ${error.code}: ${error.message}\n`);
        setExitCode(command, EXIT.usage);
      }
    });
}

async function runReview(paths: string[], options: ReviewCommandOptions, io: Io): Promise<number> {
  // Loaded here so other commands do not pay for Spectral's start-up.
  const [{ review }, { loadReviewConfig }, baselines, { FORMATTERS }] = await Promise.all([
    import('../review/engine.js'),
    import('../review/rules-file.js'),
    import('../review/baseline.js'),
    import('../review/formatters/index.js'),
  ]);
  const formatter = FORMATTERS[options.format as keyof typeof FORMATTERS];
  if (!formatter) usage(`--format must be one of ${Object.keys(FORMATTERS).join(', ')}`);
  const failOn = SEVERITY_RANK[options.failOn as keyof typeof SEVERITY_RANK];
  if (!failOn) usage('--fail-on must be error, warn or info');
  if (paths.length === 0 && !options.databaseUrl) usage('give at least one path, or --database-url');
  const postgresVersion = Number(options.pgVersion ?? 15);
  if (!Number.isInteger(postgresVersion) || postgresVersion < 9)
    usage('--pg-version must be a PostgreSQL major version');

  const cwd = process.cwd();
  const config = await loadReviewConfig(options.rules, cwd);
  const baseline = options.baseline ? await baselines.readBaseline(options.baseline) : undefined;
  const progress = createProgress(io);
  const result = await review({
    paths,
    cwd,
    config,
    postgresVersion,
    allowIndexTrial: options.allowIndexTrial === true,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(baseline ? { baseline } : {}),
    onProgress: progress,
  });
  for (const error of result.errors) io.stderr(`error ${error.code}: ${error.message}\n`);
  if (result.inputs.length === 0 && result.errors.length > 0) return EXIT.usage;

  if (options.writeBaseline) {
    const written = baselines.createBaseline(result.unbaselined, cwd, result.sourceLines);
    await baselines.writeBaseline(options.writeBaseline, written);
    io.stderr(`wrote ${result.unbaselined.length} finding(s) to baseline ${options.writeBaseline}\n`);
    return result.errors.length > 0 ? EXIT.usage : EXIT.ok;
  }

  const report = (formatter as (typeof FORMATTERS)['json'])(result.findings, {
    rules: result.rules,
    color: io.isTty && !options.output && options.format === 'stylish',
    cwd,
    toolVersion: version(),
    docsBaseUrl: new URL('../../docs/rules/', import.meta.url).href,
    fingerprint: (finding) => baselines.fingerprint(finding, cwd, result.sourceLines),
    suppressed: result.suppressed,
    baselined: result.baselined,
  });
  if (options.output) {
    const { writeFile } = await import('node:fs/promises');
    try {
      await writeFile(resolve(cwd, options.output), report);
    } catch (error) {
      throw new ArchitectError('CLI_OUTPUT', { path: options.output, detail: (error as Error).message });
    }
  } else if (report !== '') {
    io.stdout(report);
  }
  if (result.errors.length > 0) return EXIT.usage;
  const failing = result.findings.some((finding) => SEVERITY_RANK[finding.severity] >= (failOn as number));
  return failing ? EXIT.invalid : EXIT.ok;
}

function usage(detail: string): never {
  throw new ArchitectError('CLI_USAGE', { detail });
}

/** `[3/12] api/openapi.yaml` on one rewritten stderr line, only on a terminal. */
function createProgress(io: Io) {
  if (!io.isTty) return undefined;
  return ({ done, total, current }: { done: number; total: number; current: string }) => {
    if (done >= total) io.stderr('\r\u001b[K');
    else io.stderr(`\r\u001b[Kreviewing [${done + 1}/${total}] ${current}`);
  };
}
