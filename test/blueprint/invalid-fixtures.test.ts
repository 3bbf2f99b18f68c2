/**
 * Every file in fixtures/invalid/ is a broken blueprint whose header names the diagnostics it
 * must produce, each with its code and `line:column` and, where a typo is involved, the hint:
 *
 *   # expect: BLUEPRINT_UNKNOWN_TYPE 12:25 "did you mean `supplier`?"
 *
 * The list is exact: a fixture fails when a problem is missed, misplaced, or joined by a
 * spurious one. JSON cannot hold comments, so JSON fixtures list theirs in the table below.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkBlueprintText } from '../../src/blueprint/index.js';

interface Expectation {
  readonly code: string;
  readonly at: string;
  readonly hint?: string;
}

const folder = new URL('./fixtures/invalid/', import.meta.url);
const files = readdirSync(folder).sort();

const JSON_EXPECTATIONS: Record<string, Expectation[]> = {
  'json-blueprint.json': [
    { code: 'BLUEPRINT_UNKNOWN_TYPE', at: '8:29', hint: 'did you mean `integer`?' },
    { code: 'BLUEPRINT_UNKNOWN_KEY', at: '10:7', hint: 'did you mean `soft_delete`?' },
  ],
  'json-syntax-error.json': [{ code: 'BLUEPRINT_SYNTAX', at: '1:1' }],
};

function expectationsOf(file: string, text: string): Expectation[] {
  if (file.endsWith('.json')) return JSON_EXPECTATIONS[file] ?? [];
  return text
    .split('\n')
    .map((line) => /^# expect: (\S+) (\d+:\d+)(?: "(.*)")?$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, code, at, hint]) => ({ code: code!, at: at!, hint }));
}

describe('invalid blueprints', () => {
  it('has a fixture for every semantic check, and at least 25 in all', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
    const codes = new Set(
      files
        .flatMap((file) => expectationsOf(file, readFileSync(new URL(file, folder), 'utf8')))
        .map((item) => item.code),
    );
    for (const code of [
      'BLUEPRINT_SYNTAX',
      'BLUEPRINT_DUPLICATE_KEY',
      'BLUEPRINT_VERSION',
      'BLUEPRINT_UNKNOWN_KEY',
      'BLUEPRINT_MISSING_KEY',
      'BLUEPRINT_INVALID_VALUE',
      'BLUEPRINT_INVALID_NAME',
      'BLUEPRINT_UNKNOWN_TYPE',
      'BLUEPRINT_UNKNOWN_ENTITY',
      'BLUEPRINT_UNKNOWN_FIELD',
      'BLUEPRINT_DUPLICATE_NAME',
      'BLUEPRINT_NAME_COLLISION',
      'BLUEPRINT_RESERVED_WORD',
      'BLUEPRINT_REFERENCE_CYCLE',
      'BLUEPRINT_LIFECYCLE',
      'BLUEPRINT_UNKNOWN_ROLE',
      'BLUEPRINT_INVALID_DEFAULT',
      'BLUEPRINT_UNSUPPORTED_COMBINATION',
      'BLUEPRINT_INVALID_SQL',
      'BLUEPRINT_INVALID_KEY',
    ]) {
      expect(codes, `no fixture expects ${code}`).toContain(code);
    }
  });

  it.each(files)('%s reports exactly its expected diagnostics', async (file) => {
    const text = readFileSync(new URL(file, folder), 'utf8');
    const expected = expectationsOf(file, text);
    expect(expected.length, 'the fixture declares what it expects').toBeGreaterThan(0);

    const result = await checkBlueprintText(text, file);

    expect(result.model).toBeUndefined();
    const actual = result.diagnostics.map(
      (item) => `${item.code} ${item.location.line}:${item.location.column}`,
    );
    expect(actual.sort()).toEqual(expected.map((item) => `${item.code} ${item.at}`).sort());
    for (const item of result.diagnostics) {
      expect(item.location.file).toBe(file);
      expect(item.severity).toBe('error');
      expect(item.message.length).toBeGreaterThan(10);
      expect(item.message).not.toMatch(/\{[a-z][A-Za-z]*\}/); // every template placeholder filled
    }
    for (const { code, at, hint } of expected) {
      if (!hint) continue;
      const match = result.diagnostics.find(
        (item) => item.code === code && `${item.location.line}:${item.location.column}` === at,
      );
      expect(match?.hint).toContain(hint);
    }
  });

  it('reports every problem of a blueprint in one pass', async () => {
    const text = readFileSync(new URL('many-problems.yaml', folder), 'utf8');
    const { diagnostics } = await checkBlueprintText(text, 'many-problems.yaml');
    const kinds = new Set(diagnostics.map((item) => item.code));
    // structure, names, types, values, references, roles, combinations, lifecycle and SQL at once
    expect(diagnostics.length).toBeGreaterThanOrEqual(10);
    expect(kinds.size).toBeGreaterThanOrEqual(9);
    const lines = diagnostics.map((item) => item.location.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });
});
