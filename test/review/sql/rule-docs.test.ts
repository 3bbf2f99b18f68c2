/**
 * Every SQL, migration and database rule has a docs page generated from its metadata and
 * fixtures. Regenerate with `UPDATE_RULE_DOCS=1 npx vitest run test/review/sql/rule-docs.test.ts`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_RULES } from '../../../src/review/database/index.js';
import { MIGRATION_RULES } from '../../../src/review/migration/index.js';
import { syntaxErrorRule as migrationSyntax } from '../../../src/review/migration/rules/index.js';
import { SCHEMA_RULES } from '../../../src/review/sql/index.js';
import { syntaxErrorRule as sqlSyntax } from '../../../src/review/sql/rules/index.js';
import {
  type RuleDocInput,
  renderRuleDoc,
  ruleDocFileName,
} from '../../../src/review/sql-parse/rule-docs.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);

function withFixtures(input: Omit<RuleDocInput, 'bad' | 'good'>, area: string): RuleDocInput {
  const folder = join(ROOT, 'test', 'review', area, 'fixtures', input.rule.id.split('/')[1]!);
  const bad = read(join(folder, 'bad.sql'));
  const good = read(join(folder, 'good.sql'));
  return { ...input, ...(bad ? { bad } : {}), ...(good ? { good } : {}) };
}

const PAGES: RuleDocInput[] = [
  ...[sqlSyntax, ...SCHEMA_RULES].map((rule) => withFixtures({ rule, runs: 'schema files' }, 'sql')),
  ...[migrationSyntax, ...MIGRATION_RULES].map((rule) =>
    withFixtures({ rule, runs: 'migration files' }, 'migration'),
  ),
  ...DATABASE_RULES.map((rule) => ({ rule, runs: 'live database (`--database-url`)' })),
];

describe('rule docs pages', () => {
  for (const page of PAGES) {
    it(`docs/rules/${ruleDocFileName(page.rule.id)} is in step with ${page.rule.id}`, () => {
      const path = join(ROOT, 'docs', 'rules', ruleDocFileName(page.rule.id));
      const expected = renderRuleDoc(page);
      if (process.env.UPDATE_RULE_DOCS) writeFileSync(path, expected);
      expect(read(path)).toBe(expected);
    });
  }
});
