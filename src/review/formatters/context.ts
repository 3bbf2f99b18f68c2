import type { Finding, RuleMeta, Severity } from '../finding.js';

/** What formatters may know besides the findings. Formatters are pure: same input, same text. */
export interface FormatContext {
  /** Metadata of the rules that ran (SARIF lists them). */
  readonly rules: readonly RuleMeta[];
  /** Colour the output (only when writing to a terminal). */
  readonly color?: boolean;
  /** The working directory, as an absolute path (SARIF's `%SRCROOT%`). */
  readonly cwd?: string;
  readonly toolVersion?: string;
  /** Base URL of the rule pages (`.../docs/rules/`); a rule's page is `<id with / as ->.md`. */
  readonly docsBaseUrl?: string;
  /** Stable identity of a finding (the baseline fingerprint). */
  readonly fingerprint?: (finding: Finding) => string;
  readonly suppressed?: number;
  readonly baselined?: number;
}

export type Formatter = (findings: readonly Finding[], context: FormatContext) => string;

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warn: 0, info: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

/** Where a rule's documentation lives: Spectral's rules on Spectral's site, ours in docs/rules. */
export function ruleDocsUrl(ruleId: string, docsBaseUrl: string | undefined): string | undefined {
  if (!ruleId.includes('/'))
    return `https://meta.stoplight.io/docs/spectral/docs/reference/openapi-rules.md#${ruleId}`;
  if (!docsBaseUrl) return undefined;
  return `${docsBaseUrl.replace(/\/?$/, '/')}${ruleId.replace(/\//g, '-')}.md`;
}
