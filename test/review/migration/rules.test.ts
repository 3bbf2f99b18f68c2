import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES, reviewMigrations } from '../../../src/review/migration/index.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

/**
 * Review `file` as the last migration of its folder; `before.sql`, when present, is an earlier
 * migration that created what the fixture changes (so the tables exist and are not new).
 */
async function findingsOf(ruleId: string, folder: string, name: 'good' | 'bad') {
  const inputs = [];
  const before = join(folder, 'before.sql');
  if (existsSync(before)) inputs.push({ file: before, text: readFileSync(before, 'utf8') });
  const file = join(folder, `${name}.sql`);
  inputs.push({ file, text: readFileSync(file, 'utf8') });
  const findings = await reviewMigrations(inputs);
  return findings.filter((finding) => finding.ruleId === ruleId && finding.location.file === file);
}

describe('migration rules: each rule fires on its bad fixture and not on its good one', () => {
  for (const rule of RULES) {
    const folder = join(FIXTURES, rule.id.replace('migration/', ''));
    it(`${rule.id} reports the bad fixture`, async () => {
      const findings = await findingsOf(rule.id, folder, 'bad');
      expect(findings.length).toBeGreaterThan(0);
      for (const finding of findings) {
        expect(finding.severity).toBe(rule.severity);
        expect(finding.location.line).toBeGreaterThan(0);
        expect(finding.help.length).toBeGreaterThan(20);
      }
    });
    it(`${rule.id} accepts the good fixture`, async () => {
      expect(await findingsOf(rule.id, folder, 'good')).toEqual([]);
    });
  }

  it('has no fixture folder without a rule', () => {
    const ids = new Set(RULES.map((rule) => rule.id.replace('migration/', '')));
    expect(readdirSync(FIXTURES).filter((name) => !ids.has(name))).toEqual([]);
  });

  it('lists public metadata only, with stable ids', () => {
    for (const rule of RULES) {
      expect(Object.keys(rule).sort()).toEqual(['group', 'id', 'severity', 'summary']);
      expect(rule.id).toMatch(/^migration\/[a-z0-9]+(-[a-z0-9]+)*$/);
    }
    expect(RULES.length).toBeGreaterThanOrEqual(21);
  });
});
