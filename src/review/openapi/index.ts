/**
 * The OpenAPI review: Spectral's `spectral:oas` ruleset plus the architect rules, over one parse
 * of the document.
 *
 * @example
 * const { findings } = await reviewOpenApi({ file: 'api.yaml', text }, {});
 */
import { Worker } from 'node:worker_threads';
import type { Finding, RuleMeta } from '../finding.js';
import type { Suppression } from '../suppressions.js';
import { isObject } from './api-view.js';
import type { OpenApiRule } from './rule.js';
import { ARCHITECT_RULES } from './rules/index.js';
import { runArchitectRules } from './run-rules.js';
import { type OpenApiSource, parseOpenApiSource, type Segment, toPointer } from './source.js';
import { runSpectral, spectralRules } from './spectral.js';

export type { OpenApiRule } from './rule.js';
export { ARCHITECT_RULES } from './rules/index.js';
export { runArchitectRules } from './run-rules.js';

export interface OpenApiReviewOptions {
  /** Decides whether a rule runs (profiles, rules turned off); default: every rule without a profile. */
  readonly isEnabled?: (rule: RuleMeta) => boolean;
  /** Run Spectral's `spectral:oas` rules too (default true). */
  readonly spectral?: boolean;
  /**
   * Run the architect rules in a worker thread beside Spectral (default: for documents of
   * PARALLEL_FROM_BYTES or more, where Spectral takes tens of seconds).
   */
  readonly parallel?: boolean;
}

/** From this size on, the architect rules run in a worker beside Spectral. */
export const PARALLEL_FROM_BYTES = 1_000_000;

export interface OpenApiReview {
  readonly findings: Finding[];
  readonly suppressions: Suppression[];
}

/** Architect rules (always available) and Spectral's recommended `spectral:oas` rules. */
export function openApiRules(): RuleMeta[] {
  return [...ARCHITECT_RULES.map(toMeta), ...spectralRules()];
}

function toMeta(rule: OpenApiRule): RuleMeta {
  return {
    id: rule.id,
    severity: rule.severity,
    group: rule.group,
    summary: rule.summary,
    ...(rule.profile ? { profile: rule.profile } : {}),
  };
}

const defaultEnabled = (rule: RuleMeta) => rule.profile === undefined;

export async function reviewOpenApi(
  input: { readonly file: string; readonly text: string },
  options: OpenApiReviewOptions = {},
): Promise<OpenApiReview> {
  const source = parseOpenApiSource(input.file, input.text);
  const isEnabled = options.isEnabled ?? defaultEnabled;
  const rules = ARCHITECT_RULES.filter((rule) => isEnabled(rule));
  const withSpectral = options.spectral !== false;
  const parallel = withSpectral && (options.parallel ?? input.text.length >= PARALLEL_FROM_BYTES);
  // Started before Spectral so both run at once; awaited after it.
  const inWorker = parallel ? runRulesInWorker(input, rules) : undefined;
  inWorker?.catch(() => {});
  const findings = inWorker ? [] : runArchitectRules(source, rules);
  if (withSpectral) {
    const spectralMeta = new Map(spectralRules().map((rule) => [rule.id, rule]));
    findings.push(
      ...(await runSpectral(source, (id) => {
        const meta = spectralMeta.get(id);
        return meta === undefined || isEnabled(meta);
      })),
    );
  }
  if (inWorker) findings.unshift(...(await inWorker));
  return { findings, suppressions: collectOpenApiSuppressions(source) };
}

/** The architect rules on a worker thread (its own parse of the text). */
function runRulesInWorker(
  input: { readonly file: string; readonly text: string },
  rules: readonly OpenApiRule[],
): Promise<Finding[]> {
  // Compiled code starts the compiled worker; the TypeScript sources (tests) load it through tsx.
  const typescript = import.meta.url.endsWith('.ts');
  const url = new URL(`./rules-worker.${typescript ? 'ts' : 'js'}`, import.meta.url);
  const workerData = { file: input.file, text: input.text, ruleIds: rules.map((rule) => rule.id) };
  const worker = typescript
    ? new Worker(
        `import('tsx/esm/api').then((tsx) => tsx.register()).then(() => import(${JSON.stringify(url.href)}))`,
        { eval: true, workerData },
      )
    : new Worker(url, { workerData });
  return new Promise((resolve, reject) => {
    worker.once('message', (findings: Finding[]) => {
      resolve(findings);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`architect rules worker stopped with exit code ${code}`));
    });
  });
}

/** `x-architect-ignore: [rule-id, ...]` (or one id, or `{ rule-id: reason }`) on any object. */
export function collectOpenApiSuppressions(source: OpenApiSource): Suppression[] {
  const result: Suppression[] = [];
  const walk = (node: unknown, path: Segment[]) => {
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) walk(item, [...path, index]);
      return;
    }
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'x-architect-ignore') {
        const ruleIds =
          typeof value === 'string'
            ? [value]
            : Array.isArray(value)
              ? value.map(String)
              : isObject(value)
                ? Object.keys(value)
                : [];
        const location = source.locate([...path, key]);
        result.push({
          file: source.file,
          line: location.line,
          column: location.column,
          ruleIds,
          pointer: toPointer(path),
        });
      } else if (typeof value === 'object' && value !== null) {
        walk(value, [...path, key]);
      }
    }
  };
  walk(source.data, []);
  return result;
}
