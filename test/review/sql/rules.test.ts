import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES, reviewSqlSchema } from '../../../src/review/sql/index.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

async function findingsOf(ruleId: string, file: string) {
  const text = readFileSync(file, 'utf8');
  const findings = await reviewSqlSchema({ file, text });
  return findings.filter((finding) => finding.ruleId === ruleId);
}

describe('schema rules: each rule fires on its bad fixture and not on its good one', () => {
  for (const rule of RULES) {
    const folder = join(FIXTURES, rule.id.replace('sql/', ''));
    it(`${rule.id} has fixtures`, () => {
      expect(existsSync(join(folder, 'bad.sql')), `${folder}/bad.sql`).toBe(true);
      expect(existsSync(join(folder, 'good.sql')), `${folder}/good.sql`).toBe(true);
    });
    it(`${rule.id} reports the bad fixture`, async () => {
      const findings = await findingsOf(rule.id, join(folder, 'bad.sql'));
      expect(findings.length).toBeGreaterThan(0);
      for (const finding of findings) {
        expect(finding.severity).toBe(rule.severity);
        expect(finding.location.line).toBeGreaterThan(0);
        expect(finding.help.length).toBeGreaterThan(20);
      }
    });
    it(`${rule.id} accepts the good fixture`, async () => {
      expect(await findingsOf(rule.id, join(folder, 'good.sql'))).toEqual([]);
    });
  }

  it('has no fixture folder without a rule', () => {
    const ids = new Set(RULES.map((rule) => rule.id.replace('sql/', '')));
    expect(readdirSync(FIXTURES).filter((name) => !ids.has(name))).toEqual([]);
  });

  it('lists public metadata only, with stable ids', () => {
    for (const rule of RULES) {
      expect(Object.keys(rule).sort()).toEqual(['group', 'id', 'severity', 'summary']);
      expect(rule.id).toMatch(/^sql\/[a-z0-9]+(-[a-z0-9]+)*$/);
    }
    expect(RULES.length).toBeGreaterThanOrEqual(26);
  });
});
