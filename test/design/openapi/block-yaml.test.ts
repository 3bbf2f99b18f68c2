/**
 * The block YAML printer behind `openapi.yaml`: whatever JSON data it prints, a YAML reader
 * gets the same data back, and the designed documents read back equal to the emitted objects.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadBlueprint } from '../../../src/blueprint/index.js';
import { toBlockYaml } from '../../../src/design/openapi/block-yaml.js';
import { emitOpenApi, renderOpenApiYaml } from '../../../src/design/openapi/index.js';

const ROOT = join(import.meta.dirname, '../../..');
const EXAMPLES = readdirSync(join(ROOT, 'examples')).filter((name) =>
  existsSync(join(ROOT, 'examples', name, 'blueprint.yaml')),
);

/** JSON data as JSON itself would carry it (no -0, no undefined). */
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value));

describe('toBlockYaml', () => {
  it('prints any JSON value so that YAML 1.2 and YAML 1.1 readers get it back', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = toBlockYaml(value);
        expect(parse(text)).toEqual(asJson(value));
        expect(parse(text, { version: '1.1' })).toEqual(asJson(value));
      }),
      { numRuns: 400 },
    );
  });

  it('prints multi-line and punctuated text so that it reads back exactly', () => {
    const character = fc.constantFrom(
      'a',
      'B',
      ' ',
      '\n',
      '\n',
      '#',
      ':',
      '-',
      '"',
      "'",
      '\t',
      '|',
      'é',
      '\\',
      '{',
    );
    const text = fc.array(character, { maxLength: 24 }).map((characters) => characters.join(''));
    fc.assert(
      fc.property(fc.array(text, { maxLength: 4 }), text, (values, key) => {
        const data = { [key]: values, nested: { [key]: values[0] ?? key } };
        expect(parse(toBlockYaml(data), { version: '1.1' })).toEqual(data);
      }),
      { numRuns: 500 },
    );
  });

  it('quotes strings a reader would take for something else', () => {
    const tricky = [
      'yes',
      'No',
      'on',
      '~',
      'null',
      '1.0',
      '0x1F',
      'e0',
      'E5',
      '2026-01-15',
      '- a',
      'a: b',
      'a #b',
      ' a',
      'a ',
      '',
    ];
    const text = toBlockYaml({ values: tricky, keys: Object.fromEntries(tricky.map((key) => [key, key])) });
    expect(parse(text, { version: '1.1' })).toEqual({
      values: tricky,
      keys: Object.fromEntries(tricky.map((key) => [key, key])),
    });
  });

  it('keeps readable text plain and nests collections in block style', () => {
    expect(
      toBlockYaml({ paths: { '/items/{id}': { get: { tags: ['Items'], responses: { '200': {} } } } } }),
    ).toBe(
      [
        'paths:',
        '  /items/{id}:',
        '    get:',
        '      tags:',
        '        - Items',
        '      responses:',
        '        "200": {}',
        '',
      ].join('\n'),
    );
    expect(toBlockYaml([{ name: 'a', in: 'query' }, []])).toBe('- name: a\n  in: query\n- []\n');
    expect(toBlockYaml({ openapi: '3.1.0', text: 'one\ntwo' })).toBe(
      'openapi: 3.1.0\ntext: |-\n  one\n  two\n',
    );
  });
});

describe.each(EXAMPLES)('openapi.yaml of examples/%s', (example) => {
  it('reads back equal to the emitted document', async () => {
    const model = await loadBlueprint(join(ROOT, 'examples', example));
    expect(parse(renderOpenApiYaml(model))).toEqual(asJson(emitOpenApi(model)));
  });
});
