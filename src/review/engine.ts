/**
 * The review engine: expand and detect inputs, dispatch each to its rule engine (OpenAPI here,
 * SQL schema, migrations and live databases in their own modules), then apply what is generic to
 * all of them: the rules file (profiles, severities, rules turned off, ignored paths), inline
 * suppressions, the baseline, and the order findings are printed in.
 *
 * @example
 * const result = await review({ paths: ['openapi.yaml', 'db/migrations'] });
 * for (const finding of result.findings) console.log(finding.ruleId, finding.message);
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { ArchitectError } from '../errors.js';
import { type BaselineFile, type SourceLines, subtractBaseline } from './baseline.js';
import { detectInputKind, type ExpandedInput, expandFolder, type InputKind, isDirectory } from './detect.js';
import { type Finding, type RuleMeta, sortFindings } from './finding.js';
import { DEFAULT_CONFIG, type ReviewConfig, resolveRule, unknownRuleIds } from './rules-file.js';
import {
  applySuppressions,
  collectSqlSuppressions,
  type Suppression,
  UNUSED_SUPPRESSION,
} from './suppressions.js';

export interface ReviewOptions {
  /** Files and folders to review. */
  readonly paths: readonly string[];
  /** Also review this live PostgreSQL database. */
  readonly databaseUrl?: string;
  /** Working directory for relative paths, ignore globs and fingerprints (default `process.cwd()`). */
  readonly cwd?: string;
  readonly config?: ReviewConfig;
  /** Findings recorded here are not reported again. */
  readonly baseline?: BaselineFile;
  /** Target PostgreSQL major version for SQL rules (default 15). */
  readonly postgresVersion?: number;
  /** Let the database review create real indexes inside a rolled-back transaction to prove advice. */
  readonly allowIndexTrial?: boolean;
  /** Run Spectral's `spectral:oas` rules on OpenAPI inputs too (default true). */
  readonly spectral?: boolean;
  /** Called before each input; the CLI draws progress from it on a terminal. */
  readonly onProgress?: (progress: {
    readonly done: number;
    readonly total: number;
    readonly current: string;
  }) => void;
}

export interface ReviewInput {
  readonly path: string;
  readonly kind: InputKind | 'database';
}

export interface ReviewError {
  readonly file: string;
  readonly code: string;
  readonly message: string;
}

export interface ReviewResult {
  /** Findings to report, sorted: suppressed and baselined ones removed, severities resolved. */
  readonly findings: Finding[];
  /** The same before the baseline was subtracted (what `--write-baseline` records). */
  readonly unbaselined: Finding[];
  readonly inputs: readonly ReviewInput[];
  /** Inputs that could not be reviewed (parse errors, unknown kinds). */
  readonly errors: readonly ReviewError[];
  readonly suppressed: number;
  readonly baselined: number;
  /** Metadata of the rules of the engines that ran, with the severity the configuration gives them. */
  readonly rules: readonly RuleMeta[];
  /** Line text of reviewed SQL files, for fingerprints. */
  readonly sourceLines: SourceLines;
}

interface SqlEngine {
  reviewSqlSchema(input: { file: string; text: string }, options: object): Promise<Finding[]>;
  RULES: RuleMeta[];
}
interface MigrationEngine {
  reviewMigrations(inputs: { file: string; text: string }[], options: object): Promise<Finding[]>;
  RULES: RuleMeta[];
}
interface DatabaseEngine {
  reviewDatabase(options: {
    databaseUrl: string;
    allowIndexTrial?: boolean;
    postgresVersion?: number;
  }): Promise<Finding[]>;
  RULES: RuleMeta[];
}
interface OpenApiEngine {
  reviewOpenApi: typeof import('./openapi/index.js').reviewOpenApi;
  openApiRules: typeof import('./openapi/index.js').openApiRules;
}

/** Rule engines by kind, loaded on first use so a review of one kind loads only its engine. */
const ENGINES = {
  openapi: { module: './openapi/index.js', label: 'OpenAPI' },
  sql: { module: './sql/index.js', label: 'SQL schema' },
  migration: { module: './migration/index.js', label: 'migration' },
  database: { module: './database/index.js', label: 'live database' },
} as const;
type EngineName = keyof typeof ENGINES;

async function loadEngine<T>(name: EngineName): Promise<T> {
  const { module, label } = ENGINES[name];
  try {
    return (await import(module as string)) as T;
  } catch (error) {
    throw new ArchitectError('REVIEW_ENGINE_MISSING', {
      kind: label,
      detail: (error as Error).message.split('\n')[0],
    });
  }
}

/** Metadata of every rule of every engine in this build (engines that fail to load are skipped). */
export async function listRules(): Promise<RuleMeta[]> {
  const result: RuleMeta[] = [];
  for (const name of Object.keys(ENGINES) as EngineName[])
    result.push(...(await engineRules(name).catch(() => [])));
  return [...result, UNUSED_SUPPRESSION];
}

async function engineRules(name: EngineName): Promise<RuleMeta[]> {
  if (name === 'openapi') return (await loadEngine<OpenApiEngine>('openapi')).openApiRules();
  return (await loadEngine<{ RULES: RuleMeta[] }>(name)).RULES;
}

const ENGINE_OF: Record<Exclude<InputKind, 'unknown'> | 'database', EngineName> = {
  openapi: 'openapi',
  'sql-schema': 'sql',
  'sql-migration': 'migration',
  'migration-folder': 'migration',
  database: 'database',
};

/** Review files, folders and optionally a live database. */
export async function review(options: ReviewOptions): Promise<ReviewResult> {
  const cwd = options.cwd ?? process.cwd();
  const config = options.config ?? DEFAULT_CONFIG;
  const isIgnored = config.ignore.length > 0 ? picomatch([...config.ignore], { dot: true }) : () => false;
  const relativePath = (path: string) => relative(cwd, resolve(cwd, path)).split(sep).join('/');

  const errors: ReviewError[] = [];
  const inputs = await expandInputs(options.paths, cwd, errors);
  const planned = inputs.filter((input) => !isIgnored(relativePath(input.path)));
  const total = planned.length + (options.databaseUrl ? 1 : 0);

  const engineNames = new Set<EngineName>(
    planned.map((input) => ENGINE_OF[input.kind as keyof typeof ENGINE_OF]),
  );
  if (options.databaseUrl) engineNames.add('database');
  const rules = new Map<string, RuleMeta>([[UNUSED_SUPPRESSION.id, UNUSED_SUPPRESSION]]);
  for (const name of engineNames) for (const rule of await engineRules(name)) rules.set(rule.id, rule);
  const unknown = unknownRuleIds(
    config,
    new Set(rules.keys()),
    new Set([...engineNames].flatMap(prefixOfEngine)),
  );
  if (unknown.length > 0) {
    throw new ArchitectError('REVIEW_RULES_FILE', {
      file: config.file ?? 'rules',
      detail: `unknown rule id ${unknown.join(', ')}`,
    });
  }
  const isEnabled = (rule: RuleMeta) => resolveRule(config, rule).enabled;

  const findings: Finding[] = [];
  const suppressions: Suppression[] = [];
  const sourceLines = new Map<string, string[]>();
  const sqlOptions = { postgresVersion: options.postgresVersion ?? 15 };
  const done: ReviewInput[] = [];
  for (const [index, input] of planned.entries()) {
    options.onProgress?.({ done: index, total, current: input.path });
    try {
      if (input.kind === 'openapi') {
        const engine = await loadEngine<OpenApiEngine>('openapi');
        const result = await engine.reviewOpenApi(
          { file: input.path, text: await readText(input.path, cwd) },
          { isEnabled, spectral: options.spectral !== false },
        );
        findings.push(...result.findings);
        suppressions.push(...result.suppressions);
      } else if (input.kind === 'sql-schema') {
        const text = await readText(input.path, cwd);
        remember(sourceLines, suppressions, input.path, text);
        const engine = await loadEngine<SqlEngine>('sql');
        findings.push(...(await engine.reviewSqlSchema({ file: input.path, text }, sqlOptions)));
      } else {
        const files = input.files ?? [input.path];
        const texts = await Promise.all(
          files.map(async (file) => ({ file, text: await readText(file, cwd) })),
        );
        for (const { file, text } of texts) remember(sourceLines, suppressions, file, text);
        const engine = await loadEngine<MigrationEngine>('migration');
        findings.push(...(await engine.reviewMigrations(texts, sqlOptions)));
      }
      done.push({ path: input.path, kind: input.kind });
    } catch (error) {
      if (!(error instanceof ArchitectError) || error.code === 'REVIEW_ENGINE_MISSING') throw error;
      errors.push({ file: input.path, code: error.code, message: error.message });
    }
  }
  if (options.databaseUrl) {
    options.onProgress?.({ done: planned.length, total, current: 'database' });
    const engine = await loadEngine<DatabaseEngine>('database');
    findings.push(
      ...(await engine.reviewDatabase({
        databaseUrl: options.databaseUrl,
        allowIndexTrial: options.allowIndexTrial === true,
        postgresVersion: options.postgresVersion ?? 15,
      })),
    );
    done.push({ path: options.databaseUrl, kind: 'database' });
  }
  options.onProgress?.({ done: total, total, current: '' });

  const configured = findings.flatMap((finding) => {
    if (isIgnored(relativePath(finding.location.file))) return [];
    const meta = rules.get(finding.ruleId);
    const setting = config.rules[finding.ruleId];
    if (!meta) return setting === 'off' ? [] : [setting ? { ...finding, severity: setting } : finding];
    const resolved = resolveRule(config, meta);
    if (!resolved.enabled) return [];
    return [resolved.severity === finding.severity ? finding : { ...finding, severity: resolved.severity }];
  });
  const unusedSetting = resolveRule(config, UNUSED_SUPPRESSION);
  const suppressedResult = applySuppressions(configured, suppressions, (id) => rules.has(id));
  const afterSuppressions = suppressedResult.findings.flatMap((finding) => {
    if (finding.ruleId !== UNUSED_SUPPRESSION.id) return [finding];
    return unusedSetting.enabled ? [{ ...finding, severity: unusedSetting.severity }] : [];
  });
  const unbaselined = sortFindings(afterSuppressions);
  const baselineResult = options.baseline
    ? subtractBaseline(unbaselined, options.baseline, cwd, sourceLines)
    : { findings: unbaselined, baselined: 0 };

  return {
    findings: baselineResult.findings,
    unbaselined,
    inputs: done,
    errors,
    suppressed: suppressedResult.suppressed,
    baselined: baselineResult.baselined,
    rules: [...rules.values()].map((rule) => ({ ...rule, severity: resolveRule(config, rule).severity })),
    sourceLines,
  };
}

function prefixOfEngine(name: EngineName): string[] {
  if (name === 'openapi') return ['architect', 'spectral'];
  return [name];
}

function remember(
  lines: Map<string, string[]>,
  suppressions: Suppression[],
  file: string,
  text: string,
): void {
  lines.set(file, text.split(/\r?\n/));
  suppressions.push(...collectSqlSuppressions(file, text));
}

async function readText(path: string, cwd = process.cwd()): Promise<string> {
  try {
    return await readFile(resolve(cwd, path), 'utf8');
  } catch {
    throw new ArchitectError('REVIEW_INPUT_NOT_FOUND', { path });
  }
}

/** Paths → detected inputs. A missing path is an error; an explicit file of unknown kind too. */
async function expandInputs(
  paths: readonly string[],
  cwd: string,
  errors: ReviewError[],
): Promise<(ExpandedInput & { kind: Exclude<InputKind, 'unknown'> })[]> {
  const result: (ExpandedInput & { kind: Exclude<InputKind, 'unknown'> })[] = [];
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    // Paths are shown as given: relative stays relative (to cwd), absolute stays absolute.
    const display = (file: string) => (isAbsolute(path) ? file : relative(cwd, file) || '.');
    if (await isDirectory(absolute)) {
      for (const input of await expandFolder(absolute)) {
        if (input.kind === 'migration-folder') {
          result.push({
            path: display(input.path),
            files: (input.files ?? []).map(display),
            kind: 'migration-folder',
          });
          continue;
        }
        const kind = await detectInputKind(input.path, await readText(input.path));
        if (kind !== 'unknown') result.push({ path: display(input.path), kind });
      }
      continue;
    }
    const text = await readText(path, cwd).catch((error: unknown) => {
      if (error instanceof ArchitectError)
        errors.push({ file: path, code: error.code, message: error.message });
      return undefined;
    });
    if (text === undefined) continue;
    const kind = await detectInputKind(path, text);
    if (kind === 'unknown') {
      const error = new ArchitectError('REVIEW_UNKNOWN_INPUT', {
        path,
        detail: 'not an OpenAPI 2.0/3.x document (YAML or JSON) or a .sql file',
      });
      errors.push({ file: path, code: error.code, message: error.message });
      continue;
    }
    result.push({ path, kind });
  }
  return result;
}
