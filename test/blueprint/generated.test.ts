import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileBlueprintValidator } from '../../scripts/compile-schemas.js';
import { renderBlueprintSchema } from '../../scripts/write-schema.js';

// Generated files are committed; these tests fail when someone edits the schema source and
// forgets `npm run generate`.
describe('generated files', () => {
  it('schema/blueprint.schema.json matches src/blueprint/json-schema.ts', () => {
    const committed = readFileSync(new URL('../../schema/blueprint.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(renderBlueprintSchema());
  });

  it('the precompiled validator matches the schema', () => {
    const committed = readFileSync(
      new URL('../../src/blueprint/generated/blueprint-validator.ts', import.meta.url),
      'utf8',
    );
    expect(committed).toBe(compileBlueprintValidator());
  });
});
