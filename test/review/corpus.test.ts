/**
 * The real-world corpus (test/fixtures/corpus: 10 public OpenAPI documents, 10 public SQL
 * schemas and migration sets, origins in its README) reviewed end to end. The finding count of
 * every rule on every input is pinned in corpus-counts.json, so a change that makes a rule
 * noisier (or silences it) shows up in review as a diff of that file, next to the precision
 * notes in docs/review-precision.md. `UPDATE_CORPUS=1` rewrites the counts after a deliberate
 * change. Spectral's own rules are left out: they are Spectral's, and they take most of the time.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { review } from '../../src/review/engine.js';

const ROOT = join(import.meta.dirname, '../..');
const CORPUS = 'test/fixtures/corpus';
const COUNTS = join(import.meta.dirname, 'corpus-counts.json');

type Counts = Record<string, Record<string, number>>;

const inputs = (kind: 'openapi' | 'sql') =>
  readdirSync(join(ROOT, CORPUS, kind))
    .filter((name) => !name.startsWith('.'))
    .sort()
    .map((name) => `${CORPUS}/${kind}/${name}`);

describe('real-world corpus', () => {
  const openapi = inputs('openapi');
  const sql = inputs('sql');

  it('holds at least 10 OpenAPI documents and 10 SQL schemas or migration sets', () => {
    expect(openapi.length).toBeGreaterThanOrEqual(10);
    expect(sql.length).toBeGreaterThanOrEqual(10);
  });

  it('reviews every input without an error, and each rule finds what it found before', async () => {
    const actual: Counts = {};
    for (const path of [...openapi, ...sql]) {
      const result = await review({ paths: [path], cwd: ROOT, spectral: false });
      expect(result.errors, path).toEqual([]);
      expect(result.inputs.length, path).toBeGreaterThan(0);
      const counts: Record<string, number> = {};
      for (const finding of result.findings) counts[finding.ruleId] = (counts[finding.ruleId] ?? 0) + 1;
      actual[path] = Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
    }
    if (process.env.UPDATE_CORPUS === '1') writeFileSync(COUNTS, `${JSON.stringify(actual, null, 2)}\n`);
    const pinned = JSON.parse(readFileSync(COUNTS, 'utf8')) as Counts;
    expect(actual).toEqual(pinned);
  }, 120_000);
});
