/**
 * The shape of an architect OpenAPI rule: metadata (public, stable id), why it matters, and a
 * `check` that walks the prepared {@link ApiView} ("given") and reports what it finds ("then").
 */
import type { Fix, RuleMeta } from '../finding.js';
import type { ApiView } from './api-view.js';
import type { Segment } from './source.js';

export interface RuleReport {
  /** Path of the offending node; the finding is located and suppressed by it. */
  readonly path: readonly Segment[];
  readonly message: string;
  /** Specific advice for this finding; defaults to the rule's `help`. */
  readonly help?: string;
  readonly fix?: Fix;
}

export interface RuleContext {
  readonly api: ApiView;
  report(finding: RuleReport): void;
}

export interface OpenApiRule extends RuleMeta {
  /** Why the rule exists: what goes wrong for clients when it is broken. */
  readonly meaning: string;
  /** What to do about a finding, in one or two sentences. */
  readonly help: string;
  check(context: RuleContext): void;
}

/** Identity helper that gives rule files a typed literal. */
export function defineRule(rule: OpenApiRule): OpenApiRule {
  return rule;
}
