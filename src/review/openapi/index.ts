/**
 * The OpenAPI review: Spectral's `spectral:oas` ruleset plus the architect rules, over one parse
 * of the document.
 *
 * @example
 * const { findings } = await reviewOpenApi({ file: 'api.yaml', text }, {});
 */
import type { Finding, RuleMeta } from '../finding.js';
import type { Suppression } from '../suppressions.js';
import { buildApiView, isObject } from './api-view.js';
import type { OpenApiRule, RuleReport } from './rule.js';
import { ARCHITECT_RULES } from './rules/index.js';
import { type OpenApiSource, parseOpenApiSource, type Segment, toPointer } from './source.js';
import { runSpectral, spectralRules } from './spectral.js';

export type { OpenApiRule } from './rule.js';
export { ARCHITECT_RULES } from './rules/index.js';

export interface OpenApiReviewOptions {
  /** Decides whether a rule runs (profiles, rules turned off); default: every rule without a profile. */
  readonly isEnabled?: (rule: RuleMeta) => boolean;
  /** Run Spectral's `spectral:oas` rules too (default true). */
  readonly spectral?: boolean;
}

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
  const findings = runArchitectRules(
    source,
    ARCHITECT_RULES.filter((rule) => isEnabled(rule)),
  );
  if (options.spectral !== false) {
    const spectralMeta = new Map(spectralRules().map((rule) => [rule.id, rule]));
    findings.push(
      ...(await runSpectral(source, (id) => {
        const meta = spectralMeta.get(id);
        return meta === undefined || isEnabled(meta);
      })),
    );
  }
  return { findings, suppressions: collectOpenApiSuppressions(source) };
}

/** Run architect rules on a parsed document; one finding per rule and location. */
export function runArchitectRules(source: OpenApiSource, rules: readonly OpenApiRule[]): Finding[] {
  const api = buildApiView(source.data);
  const findings: Finding[] = [];
  for (const rule of rules) {
    const seen = new Set<string>();
    const report = (item: RuleReport) => {
      const location = source.locate(item.path);
      const key = location.pointer ?? '';
      if (seen.has(key)) return;
      seen.add(key);
      findings.push({
        ruleId: rule.id,
        severity: rule.severity,
        message: item.message,
        location,
        help: item.help ?? rule.help,
        ...(item.fix ? { fix: item.fix } : {}),
      });
    };
    try {
      rule.check({ api, report });
    } catch (error) {
      throw new Error(
        `rule ${rule.id} failed on ${source.file}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
  return findings;
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
