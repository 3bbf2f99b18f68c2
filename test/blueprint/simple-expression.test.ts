/**
 * Blueprint checks skip PostgreSQL's parser for expressions the simple recognizer accepts. That is
 * only sound if every expression it accepts is one PostgreSQL parses, reading the same columns in
 * the same order; these tests hold it to that against the real parser.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parse } from 'libpg-query';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { simpleExpressionColumns } from '../../src/sql/simple-expression.js';

/** Column references as the blueprint checks collect them from the parse tree, or the parser's error. */
async function parserColumns(sql: string): Promise<string[] | 'error'> {
  let ast: unknown;
  try {
    ast = await parse(`SELECT 1 FROM t WHERE ${sql}`);
  } catch {
    return 'error';
  }
  if (((ast as { stmts?: unknown[] }).stmts ?? []).length !== 1) return 'error';
  const columns: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'SubLink') columns.push('(subquery)');
      if (key === 'ColumnRef') {
        const fields = (value as { fields?: { String?: { sval?: string } }[] }).fields ?? [];
        columns.push(fields.map((field) => field.String?.sval ?? '*').join('.'));
        continue;
      }
      if (key === 'fromClause') continue;
      walk(value);
    }
  };
  walk(ast);
  return columns;
}

async function expectAgreement(sql: string): Promise<boolean> {
  const simple = simpleExpressionColumns(sql);
  if (simple === undefined) return false;
  expect(await parserColumns(sql), sql).toEqual(simple);
  return true;
}

function blueprintExpressions(): string[] {
  const found: string[] = [];
  for (const name of ['inventory', 'saas', 'chat']) {
    const file = fileURLToPath(new URL(`../../examples/${name}/blueprint.yaml`, import.meta.url));
    const blueprint = parseYaml(readFileSync(file, 'utf8')) as {
      entities: Record<
        string,
        { checks?: Record<string, { sql: string }>; computed?: Record<string, unknown> }
      >;
    };
    for (const entity of Object.values(blueprint.entities)) {
      for (const check of Object.values(entity.checks ?? {})) found.push(check.sql);
      for (const computed of Object.values(entity.computed ?? {})) {
        found.push(typeof computed === 'string' ? computed : (computed as { sql: string }).sql);
      }
    }
  }
  return found;
}

describe('simple SQL expressions', () => {
  it.each(blueprintExpressions())('the examples: %s', async (sql) => {
    expect(await expectAgreement(sql)).toBe(true);
  });

  it.each([
    ['qty > 0', ['qty']],
    ["kind <> 'x' OR parent_id IS NOT NULL", ['kind', 'parent_id']],
    ['NOT (a = b) AND c IS NULL', ['a', 'b', 'c']],
    ["-a * (b + 1.5) % 2 >= 'it''s'", ['a', 'b']],
    ['a + -b != +c', ['a', 'b', 'c']],
    ['TRUE = FALSE OR NULL IS NULL', []],
    ['a = a', ['a', 'a']],
    ['name = status', ['name', 'status']],
  ])('accepts %s', async (sql, columns) => {
    expect(simpleExpressionColumns(sql)).toEqual(columns);
    expect(await parserColumns(sql)).toEqual(columns);
  });

  it.each([
    'lower(name) = name', // functions
    'a::int > 0', // casts
    't.a > 0', // qualified names
    '"A" > 0', // quoted names
    'Price > 0', // folded to lower case by PostgreSQL
    'a < b < c', // comparisons do not chain
    'a = b IS NULL',
    'a <-1', // `<-` is two operators to PostgreSQL
    'a > 0 -- comment',
    'a > 0 /* comment */',
    "a = 'x\\y'", // backslashes depend on standard_conforming_strings
    "a = 'é'",
    'a > 1e3',
    'a > 1_000',
    'a > 0x10',
    'a > .5',
    'a > 1.',
    'a IN (1, 2)',
    'a BETWEEN 1 AND 2',
    'a LIKE b',
    'position > 0', // a keyword with syntax of its own
    'user = a', // reserved
    'a > 0;',
    '$1 > 0',
    'a\t> 0',
    'a >\n0',
    '',
    '()',
    'a >',
    'EXISTS (SELECT 1)',
    `${'a'.repeat(64)} > 0`, // PostgreSQL truncates long names
  ])('leaves %j to the real parser', (sql) => {
    expect(simpleExpressionColumns(sql)).toBeUndefined();
  });

  it('agrees with the parser on every keyword used as a column name', async () => {
    const { kwlist } = createRequire(import.meta.url)('@pgsql/quotes/kwlist.js') as {
      kwlist: Record<string, string[]>;
    };
    let accepted = 0;
    for (const word of Object.values(kwlist).flat()) {
      for (const sql of [
        `${word} = 1`,
        `1 < ${word}`,
        `${word} IS NULL`,
        `NOT ${word}`,
        `(${word}) + ${word}`,
      ]) {
        if (await expectAgreement(sql)) accepted += 1;
      }
    }
    expect(accepted).toBeGreaterThan(1000); // the unreserved keywords are ordinary column names
  });

  it('agrees with the parser on generated expressions', async () => {
    const token = fc.constantFrom(
      'a',
      'b_2',
      'name',
      'Amount',
      'user',
      'position',
      '1',
      '2.5',
      '1.',
      "'x'",
      "'it''s'",
      'TRUE',
      'null',
      '=',
      '<>',
      '!=',
      '<',
      '<=',
      '>',
      '>=',
      '+',
      '-',
      '*',
      '/',
      '%',
      '(',
      ')',
      'AND',
      'or',
      'NOT',
      'IS',
      'IS NOT',
      ',',
      '.',
      '::',
      '|',
    );
    const separator = fc.constantFrom(' ', ' ', '');
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(token, separator), { minLength: 1, maxLength: 9 }),
        async (parts) => {
          const sql = parts.map(([text, space]) => `${text}${space}`).join('');
          if (await expectAgreement(sql)) accepted += 1;
        },
      ),
      { numRuns: 3000, seed: 20261128 },
    );
    expect(accepted).toBeGreaterThan(50);
  });

  it('agrees with the parser on generated expressions of the accepted grammar', async () => {
    const operand = fc.constantFrom(
      'a',
      'b_2',
      'name',
      'value',
      'qty',
      '0',
      '17',
      '2.50',
      "''",
      "'x y'",
      'TRUE',
      'False',
      'NULL',
    );
    const expression = fc.letrec<{ node: string }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        operand,
        tie('node').map((inner) => `(${inner})`),
        tie('node').map((inner) => `NOT ${inner}`),
        fc.tuple(fc.constantFrom('-', '+', '- '), operand).map(([sign, inner]) => `${sign}${inner}`),
        fc
          .tuple(tie('node'), fc.constantFrom('IS NULL', 'is not null', 'IS  NOT NULL'))
          .map(([inner, test]) => `${inner} ${test}`),
        fc
          .tuple(
            tie('node'),
            fc.constantFrom('=', '<>', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', 'AND', 'or'),
            tie('node'),
          )
          .map(([left, operator, right]) => `${left} ${operator} ${right}`),
      ),
    })).node;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(expression, async (sql) => {
        if (await expectAgreement(sql)) accepted += 1;
      }),
      { numRuns: 3000, seed: 20261128 },
    );
    expect(accepted).toBeGreaterThan(500);
  });
});
