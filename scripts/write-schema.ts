// Run with `npm run generate`: writes the published JSON Schema of the blueprint language.
import { writeFileSync } from 'node:fs';
import { BLUEPRINT_JSON_SCHEMA } from '../src/blueprint/json-schema.js';

export function renderBlueprintSchema(): string {
  return `${JSON.stringify(BLUEPRINT_JSON_SCHEMA, null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('../schema/blueprint.schema.json', import.meta.url), renderBlueprintSchema());
}
