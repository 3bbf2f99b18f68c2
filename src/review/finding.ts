/**
 * Findings are data: every review rule (OpenAPI, SQL schema, migration, live database) returns
 * these, and pure formatters render them (stylish, json, sarif, github).
 */

export type Severity = 'error' | 'warn' | 'info';

export const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { error: 3, warn: 2, info: 1 };

export interface FindingLocation {
  /** File path as given on the command line, or `postgres://host/db` for live databases. */
  readonly file: string;
  /** 1-based; 0 when the finding has no line (a whole database, a whole document). */
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  /** JSON pointer inside an OpenAPI document (`/paths/~1users/get`), or an object name (`public.orders`). */
  readonly pointer?: string;
}

export interface Fix {
  /** What the fix does, in one line. */
  readonly description: string;
  /** Replacement text (SQL statements to run, a YAML snippet), when one can be given. */
  readonly replacement?: string;
}

export interface Finding {
  /** Stable public id, e.g. `architect/path-plural`, `sql/fk-without-index`, `migration/add-index-without-concurrently`. */
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly location: FindingLocation;
  /** Why it matters and what to do: the rule's help, specialised to this finding. */
  readonly help: string;
  readonly fix?: Fix;
}

/** Sort by file, line, column, then rule id: the order every formatter prints. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      a.location.file.localeCompare(b.location.file) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.message.localeCompare(b.message),
  );
}

/**
 * What every rule engine publishes about its rules (`RULES: RuleMeta[]`), so the review engine
 * can list them, apply severity overrides, profiles and suppressions generically, and describe
 * them in SARIF output.
 */
export interface RuleMeta {
  /** Stable public id: `architect/<kebab>`, `sql/<kebab>`, `migration/<kebab>`, `database/<kebab>`. */
  readonly id: string;
  /** Default severity; a rules file may change it or turn the rule off. */
  readonly severity: Severity;
  /** Theme the rule belongs to (`naming`, `pagination`, `locking`, ...), for docs and listings. */
  readonly group: string;
  /** One line saying what the rule checks. */
  readonly summary: string;
  /**
   * Opt-in profile that must be selected for the rule to run (`url-versioning`, `rest-strict`, ...);
   * absent for rules that always run.
   */
  readonly profile?: string;
}
