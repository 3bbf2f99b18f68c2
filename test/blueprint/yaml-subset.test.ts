/**
 * The subset reader stands in for the full YAML parser on the start-up path. Wherever it answers,
 * it must give what the full parser gives: the same value and the same `file:line:column` for
 * every key and value (and for paths that do not exist, the same closest ancestor).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { type PathSegment, readBlueprintSource } from '../../src/blueprint/source.js';
import { readYamlSubset } from '../../src/blueprint/yaml-subset.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const relative = path.join(dir, name);
    if (statSync(path.join(root, relative)).isDirectory()) {
      return relative === path.join('test', 'fixtures', 'corpus') || name === 'node_modules'
        ? []
        : yamlFiles(relative);
    }
    return /\.ya?ml$/.test(name) ? [relative] : [];
  });
}

/** Every path in the value, each followed by a child that does not exist. */
function paths(value: unknown, prefix: PathSegment[] = []): PathSegment[][] {
  const found: PathSegment[][] = [prefix, [...prefix, 'missing'], [...prefix, 7]];
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) found.push(...paths(item, [...prefix, index]));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) found.push(...paths(item, [...prefix, key]));
  }
  return found;
}

/** Compares the two readers on `text`; true when the subset reader took it. */
function expectSameAsFullParser(text: string): boolean {
  const subset = readYamlSubset(text);
  if (!subset) return false;
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, merge: false });
  expect(document.errors).toEqual([]);
  expect(subset.value).toStrictEqual(document.toJS({ maxAliasCount: 100 }));
  const fast = readBlueprintSource('blueprint.yaml', text);
  const full = readBlueprintSource('blueprint.yaml', text, { fullParser: true });
  expect(fast.value).toStrictEqual(full.value);
  for (const at of paths(subset.value)) {
    expect(fast.locate(at), JSON.stringify(at)).toEqual(full.locate(at));
    expect(fast.locate(at, { key: true }), JSON.stringify(at)).toEqual(full.locate(at, { key: true }));
  }
  return true;
}

describe('the YAML subset reader', () => {
  const files = ['examples', 'templates', 'test'].flatMap(yamlFiles);

  it.each(files)('reads %s as the full parser does, or leaves it to it', (file) => {
    expectSameAsFullParser(readFileSync(path.join(root, file), 'utf8'));
  });

  // examples/saas writes a flow mapping over several lines, which is left to the full parser.
  it.each([
    'examples/inventory/blueprint.yaml',
    'examples/chat/blueprint.yaml',
    'templates/blank/blueprint.yaml',
  ])('reads %s itself (the start-up path)', (file) => {
    expect(expectSameAsFullParser(readFileSync(path.join(root, file), 'utf8'))).toBe(true);
  });

  const taken = [
    'a: 1\nb: -2\nc: +3\nd: 007\ne: 1.50\nf: .5\ng: 1e3\nh: -1.5E-2\ni: 1.\n',
    'a: ~\nb: null\nc: Null\nd: NULL\ne: true\nf: False\ng: TRUE\nh: yes\ni: no\nj: on\n',
    'a: hello world\nb: x # comment\nc: x#y\nd: "q: #" # c\ne: \'it\'\'s\'\nf: "a\\"b\\\\c\\n"\n',
    'a: { x: 1, y: [p, q], z: {} , w: [] }\nb: [[a, b], [c]] # c\nc: {a: 1}\n',
    'a:\n  # comment\n  b: 1\n\n  c:\n    - x\n    - [y, z]\n    - k: 1\n      l: 2\n    -   m: 3\n# lower comment\n  d: 2\n',
    'description: >\n  folded text\n  goes on\n\nnext: 1\nliteral: |\n  line one\n  # not a comment\n  line three\nlast: end\n',
    "sql: kind <> 'x' OR parent_id IS NOT NULL\npattern: ^[A-Z]{3}$\nurl: http://example.com/a\namp: Inventory & Orders\n",
    'a: foo\n  # a more indented comment\nb: 1\n',
    'nested:\n    deep:\n          deeper: 1\n    back: 2\n',
    'a: x\n\n\n',
    'a:\n  { x: 1 }\nb:\n    [y] # c\n',
    'a: x',
  ];
  it.each(taken)('takes and matches %j', (text) => {
    expect(expectSameAsFullParser(text)).toBe(true);
  });

  const left = [
    'a: 1\na: 2\n', // duplicate key: the full parser reports it
    'a: &x 1\nb: *x\n',
    'a: !!str 1\n',
    '---\na: 1\n',
    'a: one\n  two\n', // multi-line plain scalar
    'a: "one\n  two"\n',
    'a:\n- x\n', // sequence at the key's indentation
    'a: >-\n  x\n',
    'a: >\n  x\n\n  y\n',
    'a: >\n  x\n    y\n',
    'a: >\n  x',
    'a: { x: 1,\n  y: 2 }\n',
    'a: [x, y,]\n',
    'a: {x:1}\n',
    'a: 0x1F\n',
    'a: .inf\n',
    'a:\n',
    'a: b: c\n',
    '"a": 1\n',
    'true: 1\n',
    '1: x\n',
    'a:\tb\n',
    'a: 1\r\nb: 2\r\n',
    '- a\n- b\n',
    '  a: 1\n',
    'a: "x" y\n',
    'a: [x] y\n',
    'a: - x\n',
    'a: "\\x41"\n',
    '__proto__: 1\n',
    'a: 1\n  b: 2\n',
    'a: [a#b]\n',
  ];
  it.each(left)('leaves %j to the full parser', (text) => {
    expect(readYamlSubset(text)).toBeUndefined();
  });

  it('agrees with the full parser on generated documents, or leaves them to it', () => {
    const mostly = (usual: string[], odd: string[]): fc.Arbitrary<string> =>
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...usual) },
        { weight: 1, arbitrary: fc.constantFrom(...odd) },
      );
    const scalar = mostly(
      [
        'a',
        'foo bar',
        'a  b',
        '1',
        '-2',
        '0.5',
        'true',
        'null',
        'x#y',
        "'it''s'",
        '"a\\"b"',
        '"x: #"',
        'http://x',
        '-a',
      ],
      [
        '+3',
        '007',
        '1e3',
        '.5',
        '1.',
        '1_000',
        'False',
        '~',
        'yes',
        'a: b',
        'a:',
        "'q'",
        '"d"',
        '-',
        '- a',
        '&a',
      ],
    );
    const oddScalar = fc.constantFrom(
      '*a',
      '!t',
      '%',
      '@',
      '?',
      ',',
      'x ]',
      'x }',
      '0x1F',
      '.inf',
      '.nan',
      'é',
      '"\\u0041"',
    );
    const key = mostly(
      ['a', 'b', 'c', 'key_1', '_x', 'd', 'e'],
      ['null', 'true', 'Yes', '1', 'a b', '"q"', '__proto__', 'a-b'],
    );
    const comment = fc.constantFrom('', '', '', ' # c', '#c', '  # c: { [');
    const flow: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        oddScalar,
        fc
          .array(fc.tuple(key, tie('node'), fc.constantFrom(': ', ':', ' : ')), {
            maxLength: 3,
          })
          .chain((pairs) =>
            fc
              .constantFrom(', ', ',', ' , ', ', ,')
              .map(
                (comma) => `{ ${pairs.map(([key, value, colon]) => `${key}${colon}${value}`).join(comma)} }`,
              ),
          ),
        fc
          .array(tie('node'), { maxLength: 3 })
          .chain((items) => fc.constantFrom(', ', ',').map((comma) => `[${items.join(comma)}]`)),
      ),
    })).node;
    const block = (depth: number): fc.Arbitrary<string[]> => {
      const value: fc.Arbitrary<string[]> =
        depth > 2
          ? fc.tuple(flow, comment).map(([text, note]) => [` ${text}${note}`])
          : fc.oneof(
              fc.tuple(flow, comment).map(([text, note]) => [` ${text}${note}`]),
              fc
                .tuple(fc.constantFrom(2, 4, 1), block(depth + 1))
                .map(([indent, lines]) => ['', ...lines.map((line) => `${' '.repeat(indent)}${line}`)]),
              fc
                .tuple(
                  fc.constantFrom(2, 3),
                  fc.array(fc.tuple(flow, fc.constantFrom('', '  ', '- ')), { minLength: 1, maxLength: 3 }),
                )
                .map(([indent, items]) => [
                  '',
                  ...items.map(([item, extra]) => `${' '.repeat(indent)}- ${extra}${item}`),
                ]),
              fc
                .tuple(
                  fc.constantFrom('>', '|', '>-', '|+'),
                  fc.array(fc.constantFrom('text', 'more # here', '', ' indented', 'x '), {
                    minLength: 1,
                    maxLength: 3,
                  }),
                )
                .map(([marker, lines]) => [
                  ` ${marker}`,
                  ...lines.map((line) => (line === '' ? '' : `  ${line}`)),
                ]),
            );
      return fc
        .array(fc.tuple(key, value, fc.constantFrom('', '# note', '   ', '  # indented note')), {
          minLength: 1,
          maxLength: 4,
        })
        .map((entries) =>
          entries.flatMap(([key, [first, ...rest], extra]) => [
            `${key}:${first}`,
            ...rest,
            ...(extra === '' ? [] : [extra]),
          ]),
        );
    };
    let taken = 0;
    fc.assert(
      fc.property(block(0), fc.boolean(), (lines, finalBreak) => {
        if (expectSameAsFullParser(`${lines.join('\n')}${finalBreak ? '\n' : ''}`)) taken += 1;
      }),
      { numRuns: 2000, seed: 20261128 },
    );
    // The generator must reach the subset often enough for this to test something.
    expect(taken).toBeGreaterThan(50);
  });
});
