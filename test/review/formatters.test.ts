import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { Finding, RuleMeta } from '../../src/review/finding.js';
import { formatGithub, formatJson, formatSarif, formatStylish } from '../../src/review/formatters/index.js';

const rules: RuleMeta[] = [
  {
    id: 'architect/path-plural-collections',
    severity: 'warn',
    group: 'naming',
    summary: 'Collections are plural',
  },
  { id: 'sql/fk-without-index', severity: 'warn', group: 'indexes', summary: 'Foreign keys have an index' },
  { id: 'operation-tags', severity: 'warn', group: 'spectral:oas', summary: 'Operations have tags' },
  {
    id: 'database/unused-index',
    severity: 'info',
    group: 'indexes',
    summary: 'Unused indexes',
    profile: 'x',
  },
];
const findings: Finding[] = [
  {
    ruleId: 'architect/path-plural-collections',
    severity: 'warn',
    message: 'Collection segment "order" in /order/{id} is singular, 100%',
    location: {
      file: 'api/openapi.yaml',
      line: 12,
      column: 3,
      endLine: 14,
      endColumn: 9,
      pointer: '/paths/~1order~1{id}',
    },
    help: 'Use the plural noun.',
    fix: { description: 'rename it to "orders"', replacement: 'orders' },
  },
  {
    ruleId: 'sql/fk-without-index',
    severity: 'error',
    message: 'orders.customer_id has no index,\nso deletes scan',
    location: { file: 'db/schema.sql', line: 3, column: 1 },
    help: 'CREATE INDEX ...',
  },
  {
    ruleId: 'database/unused-index',
    severity: 'info',
    message: 'idx_x was never used',
    location: { file: 'postgres://localhost/app', line: 0, column: 0, pointer: 'public.idx_x' },
    help: 'Drop it.',
  },
];
const context = {
  rules,
  cwd: '/work/project',
  toolVersion: '0.1.0',
  docsBaseUrl: 'file:///opt/architect/docs/rules/',
  fingerprint: (finding: Finding) => `fp-${finding.ruleId}`,
};

describe('formatters', () => {
  it('sarif output validates against the SARIF 2.1.0 schema and carries rules, help and fingerprints', () => {
    const schema = JSON.parse(
      readFileSync(join(import.meta.dirname, 'fixtures/sarif-schema-2.1.0.json'), 'utf8'),
    );
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    const log = JSON.parse(formatSarif(findings, context));
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const run = log.runs[0];
    const ids = run.tool.driver.rules.map((rule: { id: string }) => rule.id);
    expect(ids).toContain('architect/path-plural-collections');
    const plural = run.tool.driver.rules.find(
      (rule: { id: string }) => rule.id === 'architect/path-plural-collections',
    );
    expect(plural.helpUri).toBe('file:///opt/architect/docs/rules/architect-path-plural-collections.md');
    const spectral = run.tool.driver.rules.find((rule: { id: string }) => rule.id === 'operation-tags');
    expect(spectral.helpUri).toContain('stoplight');
    const [first, second, third] = run.results;
    expect(first.level).toBe('warning');
    expect(first.locations[0].physicalLocation.region).toEqual({
      startLine: 12,
      startColumn: 3,
      endLine: 14,
      endColumn: 9,
    });
    expect(first.locations[0].logicalLocations[0].fullyQualifiedName).toBe('/paths/~1order~1{id}');
    expect(first.partialFingerprints['architectFingerprint/v1']).toBe('fp-architect/path-plural-collections');
    expect(ids[first.ruleIndex]).toBe('architect/path-plural-collections');
    expect(second.level).toBe('error');
    // A live database has no file: only a logical location.
    expect(third.locations[0].physicalLocation).toBeUndefined();
    expect(third.level).toBe('note');
  });

  it('sarif output with no findings is still a valid log', () => {
    const schema = JSON.parse(
      readFileSync(join(import.meta.dirname, 'fixtures/sarif-schema-2.1.0.json'), 'utf8'),
    );
    const ajv = new Ajv({ strict: false });
    addFormats.default(ajv);
    expect(ajv.validate(schema, JSON.parse(formatSarif([], { rules: [] })))).toBe(true);
  });

  it('github annotations escape data and properties', () => {
    const lines = formatGithub(findings, context).trimEnd().split('\n');
    expect(lines[0]).toBe(
      '::warning file=api/openapi.yaml,line=12,col=3,endLine=14,title=architect/path-plural-collections::Collection segment "order" in /order/{id} is singular, 100%25',
    );
    expect(lines[1]).toBe(
      '::error file=db/schema.sql,line=3,col=1,title=sql/fk-without-index::orders.customer_id has no index,%0Aso deletes scan',
    );
    expect(lines[2]).toBe(
      '::notice file=postgres%3A//localhost/app,title=database/unused-index::idx_x was never used',
    );
  });

  it('stylish groups by file, prints no colour unless asked, and sums up', () => {
    const text = formatStylish(findings, { ...context, suppressed: 2 });
    expect(text).not.toContain('\u001b[');
    expect(text).toContain('api/openapi.yaml\n  12:3  warn   Collection segment');
    expect(text).toContain('db/schema.sql\n  3:1  error  orders.customer_id');
    expect(text.trimEnd().split('\n').pop()).toBe('3 findings (1 error, 1 warning, 1 info); 2 suppressed');
    expect(formatStylish(findings, { ...context, color: true })).toContain('\u001b[31merror');
    expect(formatStylish([], context)).toBe('No findings\n');
  });

  it('json keeps every field of a finding and adds fingerprints and a summary', () => {
    const parsed = JSON.parse(formatJson(findings, { ...context, baselined: 4 }));
    expect(parsed.findings[0]).toMatchObject({
      ...findings[0],
      fingerprint: 'fp-architect/path-plural-collections',
    });
    expect(parsed.summary).toEqual({
      total: 3,
      errors: 1,
      warnings: 1,
      infos: 1,
      suppressed: 0,
      baselined: 4,
    });
  });

  it('formatters are pure: same input, same output', () => {
    for (const format of [formatGithub, formatJson, formatSarif, formatStylish]) {
      expect(format(findings, context)).toBe(format(findings, context));
    }
  });
});
