import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArchitectError } from '../../src/errors.js';
import { createBaseline } from '../../src/review/baseline.js';
import { detectInputKind, expandFolder } from '../../src/review/detect.js';
import { review } from '../../src/review/engine.js';
import type { Finding } from '../../src/review/finding.js';
import { parseReviewConfig } from '../../src/review/rules-file.js';
import { applySuppressions, collectSqlSuppressions } from '../../src/review/suppressions.js';

const ORDERS = readFileSync(join(import.meta.dirname, 'fixtures/api/orders.yaml'), 'utf8');

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'architect-review-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const ids = (findings: readonly Finding[]) => findings.map((finding) => finding.ruleId);

describe('input detection', () => {
  it('tells OpenAPI 2 and 3 (YAML or JSON) from other YAML and JSON', async () => {
    expect(await detectInputKind('a.yaml', 'openapi: 3.1.0\ninfo: {}')).toBe('openapi');
    expect(await detectInputKind('a.yml', '# comment\nswagger: "2.0"\n')).toBe('openapi');
    expect(await detectInputKind('a.json', '{\n  "info": {},\n  "openapi": "3.0.3"\n}')).toBe('openapi');
    expect(await detectInputKind('a.yaml', 'blueprint: 1\nentities: {}')).toBe('unknown');
    expect(await detectInputKind('a.json', '{"name": "x", "version": "1.0.0"}')).toBe('unknown');
    expect(await detectInputKind('notes.txt', 'openapi: 3.0.0')).toBe('unknown');
    expect(await detectInputKind('db/migrations', undefined)).toBe('migration-folder');
  });
});

describe('folder expansion', () => {
  it('a Prisma-style folder with short prefixes (01_init/migration.sql) is one ordered migration input', async () => {
    const dir = workspace({
      '10_add_index/migration.sql': 'CREATE INDEX a_b ON a (b);',
      '02_add_column/migration.sql': 'ALTER TABLE a ADD COLUMN b int;',
      '01_init/migration.sql': 'CREATE TABLE a (id bigint PRIMARY KEY);',
    });
    const [input, ...rest] = await expandFolder(dir);
    expect(rest).toEqual([]);
    expect(input?.kind).toBe('migration-folder');
    expect(input?.files?.map((file) => file.slice(dir.length + 1))).toEqual([
      join('01_init', 'migration.sql'),
      join('02_add_column', 'migration.sql'),
      join('10_add_index', 'migration.sql'),
    ]);
  });
});

describe('review engine on OpenAPI', () => {
  it('reports architect and Spectral findings, sorted by location', async () => {
    const cwd = workspace({ 'orders.yaml': ORDERS });
    const result = await review({ paths: ['orders.yaml'], cwd });
    expect(ids(result.findings)).toContain('architect/path-plural-collections');
    expect(ids(result.findings)).toContain('architect/error-response-body');
    expect(ids(result.findings)).toContain('operation-tags');
    const lines = result.findings.map((finding) => finding.location.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(result.inputs).toEqual([{ path: 'orders.yaml', kind: 'openapi' }]);
    expect(result.rules.some((rule) => rule.id === 'oas3-schema')).toBe(true);
  });

  it('x-architect-ignore silences findings at and below the object; unused ones are reported', async () => {
    const text = ORDERS.replace(
      '  /order/{orderId}:\n',
      '  /order/{orderId}:\n    x-architect-ignore: [architect/path-plural-collections, architect/id-format]\n',
    );
    const cwd = workspace({ 'orders.yaml': text });
    const result = await review({ paths: ['orders.yaml'], cwd });
    expect(ids(result.findings)).not.toContain('architect/path-plural-collections');
    const unused = result.findings.filter((finding) => finding.ruleId === 'architect/unused-suppression');
    expect(unused.map((finding) => finding.message)).toEqual([
      'Suppression of architect/id-format matches no finding',
    ]);
    expect(unused[0]?.location.line).toBe(12);
    expect(result.suppressed).toBe(1);
  });

  it('the rules file turns rules off, changes severities and selects profiles', async () => {
    const cwd = workspace({ 'orders.yaml': ORDERS });
    const config = parseReviewConfig(
      {
        profiles: ['media-type-versioning'],
        rules: {
          'architect/path-plural-collections': 'off',
          'architect/error-response-body': 'error',
          'info-contact': 'off',
        },
      },
      '.architect-review.yaml',
    );
    const result = await review({ paths: ['orders.yaml'], cwd, config });
    expect(ids(result.findings)).not.toContain('architect/path-plural-collections');
    expect(
      result.findings.find((finding) => finding.ruleId === 'architect/error-response-body')?.severity,
    ).toBe('error');
    // The profile's rule runs: the server URL carries /v1.
    expect(ids(result.findings)).toContain('architect/no-url-versioning');
    const plain = await review({ paths: ['orders.yaml'], cwd });
    expect(ids(plain.findings)).not.toContain('architect/no-url-versioning');
  });

  it('refuses unknown rule ids, unknown keys and contradicting profiles in the rules file', async () => {
    const cwd = workspace({ 'orders.yaml': ORDERS });
    const misspelt = parseReviewConfig({ rules: { 'architect/path-plural': 'off' } }, 'rules.yaml');
    await expect(review({ paths: ['orders.yaml'], cwd, config: misspelt })).rejects.toThrow(
      /unknown rule id architect\/path-plural/,
    );
    expect(() => parseReviewConfig({ rule: {} }, 'rules.yaml')).toThrow(/unknown key `rule`/);
    expect(() =>
      parseReviewConfig({ profiles: ['url-versioning', 'media-type-versioning'] }, 'rules.yaml'),
    ).toThrow(/contradict/);
    expect(() => parseReviewConfig({ rules: { 'architect/x': 'warning' } }, 'rules.yaml')).toThrow(
      ArchitectError,
    );
  });

  it('ignore globs skip inputs', async () => {
    const cwd = workspace({ 'api/orders.yaml': ORDERS, 'legacy/old.yaml': ORDERS });
    const config = parseReviewConfig({ ignore: ['legacy/**'] }, 'rules.yaml');
    const result = await review({ paths: ['api', 'legacy'], cwd, config });
    expect(result.inputs.map((input) => input.path)).toEqual(['api/orders.yaml']);
  });

  it('a baseline hides recorded findings even after lines move, and new findings still show', async () => {
    const cwd = workspace({ 'orders.yaml': ORDERS });
    const before = await review({ paths: ['orders.yaml'], cwd });
    const baseline = createBaseline(before.unbaselined, cwd, before.sourceLines);
    const shifted = ORDERS.replace('paths:\n', 'x-note: moved\nx-more: lines\npaths:\n').replace(
      '        number: {type: string, example: PO-1}\n',
      '        number: {type: string, example: PO-1}\n        createdAt: {type: string}\n',
    );
    writeFileSync(join(cwd, 'orders.yaml'), shifted);
    const after = await review({ paths: ['orders.yaml'], cwd, baseline });
    expect(after.baselined).toBe(before.unbaselined.length);
    expect(ids(after.findings)).toEqual(['architect/date-time-format']);
  });

  it('parse errors and unknown inputs are errors, not findings', async () => {
    const cwd = workspace({ 'broken.yaml': 'openapi: 3.1.0\npaths: [unclosed\n', 'other.yaml': 'a: 1\n' });
    const result = await review({ paths: ['broken.yaml', 'other.yaml', 'missing.yaml'], cwd });
    expect(result.errors.map((error) => error.code)).toEqual([
      'REVIEW_UNKNOWN_INPUT',
      'REVIEW_INPUT_NOT_FOUND',
      'REVIEW_PARSE',
    ]);
    expect(result.findings).toEqual([]);
  });
});

describe('SQL suppressions', () => {
  const sql = [
    'CREATE TABLE a (id int); -- architect-ignore: sql/no-primary-key',
    '-- architect-ignore: sql/int-key, sql/other',
    '-- a comment between',
    '',
    'CREATE TABLE b (id int);',
    'CREATE TABLE c (id int);',
  ].join('\n');
  const finding = (ruleId: string, line: number): Finding => ({
    ruleId,
    severity: 'warn',
    message: ruleId,
    location: { file: 'schema.sql', line, column: 1 },
    help: '',
  });

  it('apply to their own line, or to the next statement, and report unused ids', () => {
    const suppressions = collectSqlSuppressions('schema.sql', sql);
    expect(suppressions.map((item) => [item.ruleIds, item.lines])).toEqual([
      [['sql/no-primary-key'], [1, 1]],
      [
        ['sql/int-key', 'sql/other'],
        [2, 5],
      ],
    ]);
    const result = applySuppressions(
      [finding('sql/no-primary-key', 1), finding('sql/int-key', 5), finding('sql/int-key', 6)],
      suppressions,
      (id) => id !== 'sql/other',
    );
    expect(result.findings.map((item) => `${item.ruleId}:${item.location.line}`)).toEqual([
      'sql/int-key:6',
      'architect/unused-suppression:2',
    ]);
    expect(result.findings[1]?.message).toBe('Suppression names sql/other, which is not a rule id');
  });
});
