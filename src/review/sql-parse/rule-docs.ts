/**
 * The docs page of a SQL, migration or database rule (`docs/rules/<group>-<kebab>.md`), built
 * from the rule's own metadata and its fixtures, so the page cannot drift from the rule.
 */
import type { RuleDefinition } from './rule.js';

export interface RuleDocInput {
  readonly rule: RuleDefinition & { readonly lock?: string };
  /** What the rule runs on: shown in the table. */
  readonly runs: string;
  readonly bad?: string;
  readonly good?: string;
}

/** `sql/fk-without-index` -> `sql-fk-without-index.md`. */
export function ruleDocFileName(id: string): string {
  return `${id.replace('/', '-')}.md`;
}

export function renderRuleDoc({ rule, runs, bad, good }: RuleDocInput): string {
  const live = rule.id.startsWith('database/');
  const parts = [
    `# ${rule.id}`,
    '',
    rule.summary,
    '',
    '| severity | group | runs |',
    '|---|---|---|',
    `| ${rule.severity} | ${rule.group} | ${runs} |`,
    '',
    '## Why',
    '',
    rule.meaning,
    '',
  ];
  if (rule.lock) parts.push('## Lock taken', '', rule.lock, '');
  if (bad) parts.push('## Bad', '', '```sql', bad.trimEnd(), '```', '');
  if (good) parts.push('## Good', '', '```sql', good.trimEnd(), '```', '');
  parts.push('## Suppress or configure', '');
  if (!live) {
    parts.push(
      `In SQL, \`-- architect-ignore: ${rule.id}\` at the end of the statement's line, or on the line before it, silences this rule for that statement. Project-wide, in \`.architect-review.yaml\`:`,
    );
  } else {
    parts.push(
      'A live database has no comments to carry a suppression; set the severity project-wide in `.architect-review.yaml`:',
    );
  }
  parts.push('', '```yaml', 'rules:', `  ${rule.id}: off   # or info, warn, error`, '```', '');
  return parts.join('\n');
}
