/**
 * What every SQL, migration and database rule shares: public metadata, and the hit a check
 * returns (the engine turns hits into findings with the rule's id and severity).
 */
import type { Finding, Fix, Severity } from '../finding.js';
import type { SourceSpan } from './parse.js';

/** Public rule metadata, listed by `architect review --list-rules` and in SARIF. */
export interface RuleMeta {
  /** Stable public id: `sql/<kebab>`, `migration/<kebab>`, `database/<kebab>`. */
  readonly id: string;
  readonly severity: Severity;
  readonly group: string;
  /** One line. */
  readonly summary: string;
}

export interface RuleDefinition extends RuleMeta {
  /** Why it matters, in a paragraph: the docs page's opening and the default help. */
  readonly meaning: string;
}

/** One thing a check found. */
export interface RuleHit {
  readonly message: string;
  /** Where: defaults to the statement the check was looking at. */
  readonly span?: SourceSpan;
  /** The help for this finding: the lock taken and the safe sequence, specialised with names. */
  readonly help: string;
  readonly fix?: Fix;
  /** Object name (`public.orders`, `public.orders.total`). */
  readonly pointer?: string;
}

export function metaOf(rule: RuleMeta): RuleMeta {
  return { id: rule.id, severity: rule.severity, group: rule.group, summary: rule.summary };
}

export function toFinding(rule: RuleMeta, file: string, hit: RuleHit, fallback?: SourceSpan): Finding {
  const span = hit.span ?? fallback;
  return {
    ruleId: rule.id,
    severity: rule.severity,
    message: hit.message,
    location: {
      file,
      line: span?.line ?? 0,
      column: span?.column ?? 0,
      ...(span ? { endLine: span.endLine, endColumn: span.endColumn } : {}),
      ...(hit.pointer ? { pointer: hit.pointer } : {}),
    },
    help: hit.help,
    ...(hit.fix ? { fix: hit.fix } : {}),
  };
}
