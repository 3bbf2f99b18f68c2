/**
 * The docs page of an architect rule (`docs/rules/architect-<name>.md`), written from the rule's
 * own metadata and its fixtures so the page, the rule and the tests cannot drift apart. A test
 * keeps the committed pages in step (`UPDATE_RULE_DOCS=1` rewrites them).
 */
import type { RuleMeta } from '../finding.js';
import type { OpenApiRule } from './rule.js';

export function ruleDocFileName(ruleId: string): string {
  return `${ruleId.replace(/\//g, '-')}.md`;
}

export function renderRuleDoc(
  rule: Pick<OpenApiRule, 'id' | 'severity' | 'group' | 'summary' | 'meaning' | 'profile'> & {
    help?: string;
  },
  fixtures: { good?: string; bad?: string },
): string {
  const strip = (text: string) => text.replace(/^# expect: \d+\n/, '').trimEnd();
  const lines = [
    `# ${rule.id}`,
    '',
    rule.summary,
    '',
    '| severity | group | runs |',
    '|---|---|---|',
    `| ${rule.severity} | ${rule.group} | ${rule.profile ? `with the \`${rule.profile}\` profile` : 'always'} |`,
    '',
    '## Why',
    '',
    rule.meaning,
    '',
  ];
  if (rule.help) lines.push('## What to do', '', rule.help, '');
  if (fixtures.bad) lines.push('## Bad', '', '```yaml', strip(fixtures.bad), '```', '');
  if (fixtures.good) lines.push('## Good', '', '```yaml', strip(fixtures.good), '```', '');
  lines.push(
    '## Suppress or configure',
    '',
    rule.id === 'architect/unused-suppression'
      ? 'Remove the stale suppression. To stop reporting unused suppressions altogether:'
      : `In an OpenAPI document, \`x-architect-ignore: [${rule.id}]\` on an object silences this rule for that object and everything below it; in SQL, \`-- architect-ignore: ${rule.id}\` on the statement's line or the line before. Project-wide, in \`.architect-review.yaml\`:`,
    '',
    '```yaml',
    'rules:',
    `  ${rule.id}: off   # or info, warn, error`,
    '```',
    '',
  );
  return lines.join('\n');
}

/** `docs/rules/README.md`: the architect rules by group, and where the others are documented. */
export function renderRulesIndex(rules: readonly RuleMeta[]): string {
  const groups = new Map<string, RuleMeta[]>();
  for (const rule of rules) groups.set(rule.group, [...(groups.get(rule.group) ?? []), rule]);
  const lines = [
    '# Review rules',
    '',
    '`architect review` reports findings under stable rule ids. This index lists the `architect/*` rules of the',
    'OpenAPI review; SQL schema, migration and live-database rules have their pages beside these',
    "(`sql-*.md`, `migration-*.md`, `database-*.md`). Spectral's `spectral:oas` rules keep their own ids",
    '(`oas3-schema`, `operation-tags`, ...) and are documented at',
    'https://meta.stoplight.io/docs/spectral/docs/reference/openapi-rules.md.',
    '',
    'Rules marked with a profile run only when the rules file selects it (see [../review.md](../review.md)).',
    '',
  ];
  for (const [group, list] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`## ${group}`, '', '| rule | severity | profile | checks |', '|---|---|---|---|');
    for (const rule of [...list].sort((a, b) => a.id.localeCompare(b.id))) {
      lines.push(
        `| [${rule.id}](${ruleDocFileName(rule.id)}) | ${rule.severity} | ${rule.profile ?? ''} | ${rule.summary.replace(/\|/g, '\\|')} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
