import { ERROR_CATALOG, type ErrorCode, formatMessage } from '../errors.js';
import type { SourceLocation } from './model.js';

/** One problem found in a blueprint. */
export interface Diagnostic {
  readonly code: ErrorCode;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly location: SourceLocation;
  /** How to fix it: "did you mean `supplier`?" */
  readonly hint?: string;
}

/** Raised by `loadBlueprint` when the blueprint has errors; carries all of them. */
export class BlueprintError extends Error {
  readonly code: ErrorCode;
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[]) {
    const first = diagnostics[0];
    super(
      diagnostics.length === 1 && first
        ? `${formatLocation(first.location)}: ${first.message}`
        : `The blueprint has ${diagnostics.length} problems`,
    );
    this.name = 'BlueprintError';
    this.code = first?.code ?? 'BLUEPRINT_INVALID_VALUE';
    this.diagnostics = diagnostics;
  }
}

export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

/** `file:line:column: error CODE message (hint)` lines, one per diagnostic. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((diagnostic) => {
      const head = `${formatLocation(diagnostic.location)}: ${diagnostic.severity} ${diagnostic.code} ${diagnostic.message}`;
      return diagnostic.hint ? `${head}\n  hint: ${diagnostic.hint}` : head;
    })
    .join('\n');
}

export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.location.file.localeCompare(b.location.file) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column ||
      a.code.localeCompare(b.code),
  );
}

/** Build a diagnostic from a catalog code and its params. */
export function diagnostic(
  code: ErrorCode,
  params: Readonly<Record<string, unknown>>,
  location: SourceLocation,
  hint?: string,
  severity: Diagnostic['severity'] = 'error',
): Diagnostic {
  return { code, severity, message: formatMessage(ERROR_CATALOG[code].message, params), location, hint };
}

/** The closest candidate by edit distance, when it is close enough to be a likely typo. */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return bestDistance <= limit ? best : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const match = closestMatch(word, candidates);
  return match ? `did you mean \`${match}\`?` : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      }
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}
