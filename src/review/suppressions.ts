/**
 * Inline suppressions, applied the same way to every kind of input: `x-architect-ignore` on any
 * OpenAPI object silences findings at or below it; `-- architect-ignore: rule-id[, rule-id]` in
 * SQL silences the statement on the same line or the next one. A suppression that silences
 * nothing is itself reported (`architect/unused-suppression`), so stale ones do not pile up.
 */
import type { Finding, RuleMeta } from './finding.js';

export interface Suppression {
  readonly file: string;
  /** Where the suppression is written. */
  readonly line: number;
  readonly column: number;
  readonly ruleIds: readonly string[];
  /** OpenAPI: JSON pointer of the object carrying it; findings at or below are silenced. */
  readonly pointer?: string;
  /** SQL: the lines whose findings are silenced. */
  readonly lines?: readonly number[];
}

export const UNUSED_SUPPRESSION: RuleMeta & { meaning: string } = {
  id: 'architect/unused-suppression',
  severity: 'warn',
  group: 'suppressions',
  summary: 'An inline suppression silences no finding',
  meaning:
    'A suppression outlives its reason: the rule was fixed, renamed or the code moved. Left in place it would silently hide the next real finding at that spot, so a suppression that matches nothing is reported and should be removed.',
};

function covers(suppression: Suppression, finding: Finding): boolean {
  if (finding.location.file !== suppression.file || !suppression.ruleIds.includes(finding.ruleId))
    return false;
  if (suppression.pointer !== undefined) {
    const pointer = finding.location.pointer ?? '';
    return pointer === suppression.pointer || pointer.startsWith(`${suppression.pointer}/`);
  }
  return suppression.lines?.includes(finding.location.line) ?? false;
}

/**
 * Drop suppressed findings and add one `architect/unused-suppression` finding per rule id that
 * silenced nothing. `isKnownRule` lets a misspelt id be called out as such.
 */
export function applySuppressions(
  findings: readonly Finding[],
  suppressions: readonly Suppression[],
  isKnownRule: (ruleId: string) => boolean,
): { findings: Finding[]; suppressed: number } {
  const used = new Set<string>();
  let suppressed = 0;
  const kept = findings.filter((finding) => {
    let silenced = false;
    suppressions.forEach((suppression, index) => {
      if (covers(suppression, finding)) {
        used.add(`${index}:${finding.ruleId}`);
        silenced = true;
      }
    });
    if (silenced) suppressed++;
    return !silenced;
  });
  suppressions.forEach((suppression, index) => {
    for (const ruleId of suppression.ruleIds) {
      if (used.has(`${index}:${ruleId}`)) continue;
      const known = isKnownRule(ruleId);
      kept.push({
        ruleId: UNUSED_SUPPRESSION.id,
        severity: UNUSED_SUPPRESSION.severity,
        message: known
          ? `Suppression of ${ruleId} matches no finding`
          : `Suppression names ${ruleId}, which is not a rule id`,
        location: {
          file: suppression.file,
          line: suppression.line,
          column: suppression.column,
          ...(suppression.pointer !== undefined ? { pointer: suppression.pointer } : {}),
        },
        help: known ? 'Remove the suppression.' : 'Correct the rule id or remove the suppression.',
      });
    }
  });
  return { findings: kept, suppressed };
}

const SQL_IGNORE = /--\s*architect-ignore:\s*([\w/,\s-]+?)\s*$/;

/**
 * `-- architect-ignore: rule-id[, rule-id]` comments in SQL text. A comment after code applies to
 * its own line; a comment on a line of its own applies to the next line that is not blank or a
 * comment (so several ignore lines can stack above one statement).
 */
export function collectSqlSuppressions(file: string, text: string): Suppression[] {
  const lines = text.split(/\r?\n/);
  const result: Suppression[] = [];
  lines.forEach((content, index) => {
    const match = SQL_IGNORE.exec(content);
    if (!match) return;
    const ruleIds = (match[1] as string).split(/[,\s]+/).filter((id) => id !== '');
    const before = content.slice(0, match.index).trim();
    let target = index;
    if (before === '') {
      target = index + 1;
      while (target < lines.length && /^\s*(--.*)?$/.test(lines[target] as string)) target++;
    }
    result.push({ file, line: index + 1, column: match.index + 1, ruleIds, lines: [index + 1, target + 1] });
  });
  return result;
}
