/**
 * Every architect rule has a docs page generated from its metadata and fixtures; the committed
 * pages must match. Run with UPDATE_RULE_DOCS=1 to rewrite them after changing a rule.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARCHITECT_RULES } from '../../../src/review/openapi/index.js';
import { renderRuleDoc, renderRulesIndex, ruleDocFileName } from '../../../src/review/openapi/rule-docs.js';
import { UNUSED_SUPPRESSION } from '../../../src/review/suppressions.js';

const ROOT = join(import.meta.dirname, '../../..');
const DOCS = join(ROOT, 'docs/rules');
const FIXTURES = join(import.meta.dirname, 'fixtures');
const update = process.env.UPDATE_RULE_DOCS === '1';

function expected(): Map<string, string> {
  const pages = new Map<string, string>();
  for (const rule of ARCHITECT_RULES) {
    const folder = join(FIXTURES, rule.id.replace(/^architect\//, ''));
    const read = (name: string) =>
      existsSync(join(folder, name)) ? readFileSync(join(folder, name), 'utf8') : undefined;
    pages.set(
      ruleDocFileName(rule.id),
      renderRuleDoc(rule, { good: read('good.yaml'), bad: read('bad.yaml') }),
    );
  }
  pages.set(ruleDocFileName(UNUSED_SUPPRESSION.id), renderRuleDoc(UNUSED_SUPPRESSION, {}));
  pages.set('README.md', renderRulesIndex([...ARCHITECT_RULES, UNUSED_SUPPRESSION]));
  return pages;
}

describe('rule docs pages', () => {
  it('exist for every architect rule and match the rule and its fixtures', () => {
    const pages = expected();
    if (update) {
      mkdirSync(DOCS, { recursive: true });
      for (const [name, text] of pages) writeFileSync(join(DOCS, name), text);
    }
    for (const [name, text] of pages) {
      expect(existsSync(join(DOCS, name)), `docs/rules/${name} (run with UPDATE_RULE_DOCS=1)`).toBe(true);
      expect(
        readFileSync(join(DOCS, name), 'utf8'),
        `docs/rules/${name} is stale (run with UPDATE_RULE_DOCS=1)`,
      ).toBe(text);
    }
  });
});
