/**
 * Every architect rule has a good and a bad fixture; the bad one states how many findings of
 * that rule it must produce (`# expect: N`). Only the rule under test runs, so each fixture can
 * stay minimal.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARCHITECT_RULES, runArchitectRules } from '../../../src/review/openapi/index.js';
import { parseOpenApiSource } from '../../../src/review/openapi/source.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

function run(ruleId: string, kind: 'good' | 'bad') {
  const rule = ARCHITECT_RULES.find((candidate) => candidate.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  const file = join(FIXTURES, ruleId.replace(/^architect\//, ''), `${kind}.yaml`);
  const text = readFileSync(file, 'utf8');
  return { text, findings: runArchitectRules(parseOpenApiSource(file, text), [rule]) };
}

describe('architect OpenAPI rules', () => {
  it('has at least 30 rules with unique, namespaced ids', () => {
    const ids = ARCHITECT_RULES.map((rule) => rule.id);
    expect(ids.length).toBeGreaterThanOrEqual(30);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^architect\/[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  for (const rule of ARCHITECT_RULES) {
    describe(rule.id, () => {
      it('has fixtures, meaning and help', () => {
        const folder = join(FIXTURES, rule.id.replace(/^architect\//, ''));
        expect(existsSync(join(folder, 'good.yaml')), 'good.yaml').toBe(true);
        expect(existsSync(join(folder, 'bad.yaml')), 'bad.yaml').toBe(true);
        expect(rule.meaning.length).toBeGreaterThan(80);
        expect(rule.help.length).toBeGreaterThan(10);
      });

      it('finds nothing in the good fixture', () => {
        const { findings } = run(rule.id, 'good');
        expect(findings.map((finding) => `${finding.location.line}: ${finding.message}`)).toEqual([]);
      });

      it('finds what the bad fixture expects, located in the file', () => {
        const { text, findings } = run(rule.id, 'bad');
        const expected = Number(/^# expect: (\d+)/.exec(text)?.[1]);
        expect(findings.map((finding) => finding.message)).toHaveLength(expected);
        for (const finding of findings) {
          expect(finding.ruleId).toBe(rule.id);
          expect(finding.severity).toBe(rule.severity);
          expect(finding.location.line).toBeGreaterThan(1);
          expect(finding.location.pointer).toMatch(/^\//);
        }
      });
    });
  }
});
