import { describe, expect, it } from 'vitest';
import { ArchitectError } from '../../../src/errors.js';
import { splitInList } from '../../../src/runtime/query/index.js';

describe('the items of an in list', () => {
  it('splits on commas, keeping empty items and quotes inside an unquoted item', () => {
    expect(splitInList('code[in]', 'a,b,,c')).toEqual(['a', 'b', '', 'c']);
    expect(splitInList('code[in]', 'a"b,c')).toEqual(['a"b', 'c']);
    expect(splitInList('code[in]', '')).toEqual(['']);
  });

  it('reads an item in double quotes whole, commas included, with \\" and \\\\ inside', () => {
    expect(splitInList('name[in]', '"Smith, J",Jones')).toEqual(['Smith, J', 'Jones']);
    expect(splitInList('name[in]', 'Jones,"Smith, J"')).toEqual(['Jones', 'Smith, J']);
    expect(splitInList('name[in]', '"say \\"hi\\"","back\\\\slash",""')).toEqual([
      'say "hi"',
      'back\\slash',
      '',
    ]);
    expect(splitInList('name[in]', '"a,b","c,d"')).toEqual(['a,b', 'c,d']);
  });

  it('refuses a quote left open, or text after a closing quote, naming the parameter', () => {
    for (const text of ['"open', 'a,"open, still', '"closed"tail', '"ends with backslash\\"']) {
      let refused: unknown;
      try {
        splitInList('name[in]', text);
      } catch (error) {
        refused = error;
      }
      expect(refused, text).toBeInstanceOf(ArchitectError);
      expect((refused as ArchitectError).code, text).toBe('MALFORMED_REQUEST');
      expect((refused as ArchitectError).message, text).toContain('name[in]');
    }
  });
});
