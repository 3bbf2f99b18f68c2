/**
 * Every example blueprint's OpenAPI document checked by real consumers: the OpenAPI 3.1 schema
 * validator, Spectral's `spectral:oas` ruleset (0 errors, 0 warnings), and ajv for every example
 * the document carries (Spectral skips examples whose schema is recursive, and the read
 * representations are: `include=` embeds related rows).
 */
import { readdirSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Document, Spectral } from '@stoplight/spectral-core';
import Parsers from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadBlueprint } from '../../../src/blueprint/index.js';
import {
  buildSchemas,
  COMPONENTS_ID,
  createApiAjv,
  registerComponents,
} from '../../../src/design/api/index.js';
import { emitOpenApi, renderOpenApiYaml } from '../../../src/design/openapi/index.js';

const blueprints = readdirSync('examples', { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && readdirSync(`examples/${entry.name}`).includes('blueprint.yaml'))
  .map((entry) => entry.name)
  .sort();

const SEVERITY = ['error', 'warning', 'info', 'hint'];

/** Every `{ schema, example }` and `{ examples: [...] }` in the document, with where it is. */
function examplesOf(node: unknown, path: string[] = []): { path: string; schema: unknown; value: unknown }[] {
  if (node === null || typeof node !== 'object') return [];
  const found: { path: string; schema: unknown; value: unknown }[] = [];
  const record = node as Record<string, unknown>;
  if (record.schema !== undefined && 'example' in record) {
    found.push({ path: path.join('.'), schema: record.schema, value: record.example });
  }
  if (Array.isArray(record.examples) && path.at(-2) !== 'properties') {
    for (const value of record.examples) found.push({ path: path.join('.'), schema: record, value });
  }
  for (const [key, child] of Object.entries(record)) found.push(...examplesOf(child, [...path, key]));
  return found;
}

describe('the OpenAPI document of every example blueprint', () => {
  it('finds the example blueprints', () => {
    expect(blueprints).toContain('inventory');
  });

  describe.each(blueprints)('%s', async (name) => {
    const model = await loadBlueprint(`examples/${name}`);
    const text = renderOpenApiYaml(model);
    const document = emitOpenApi(model);

    it('is valid OpenAPI 3.1', async () => {
      const result = await new Validator().validate(structuredClone(document) as never);
      expect(result.errors ?? []).toEqual([]);
      expect(result.valid).toBe(true);
    });

    it("passes Spectral's spectral:oas with no error and no warning", async () => {
      const spectral = new Spectral();
      spectral.setRuleset(oas as never);
      const results = await spectral.run(new Document(text, Parsers.Yaml as never, `${name}/openapi.yaml`));
      const report = results.map(
        (result) =>
          `${SEVERITY[result.severity]} ${result.code} at ${result.path.join('.')}: ${result.message}`,
      );
      // Info and hint results would be listed here too, so they stay visible when this fails.
      expect(report).toEqual([]);
    });

    it('carries only examples its own schemas accept', () => {
      const components = buildSchemas(model);
      const ajv = createApiAjv();
      registerComponents(ajv, components);
      const examples = examplesOf(document);
      expect(examples.length).toBeGreaterThan(10);
      const failures: string[] = [];
      for (const example of examples) {
        // Point the document's references at the components registered with ajv.
        const schema = JSON.stringify(example.schema).replaceAll(
          '"#/components/schemas/',
          `"${COMPONENTS_ID}#/$defs/`,
        );
        const validate = ajv.compile(JSON.parse(schema));
        // A copy: the API's ajv options insert defaults into what they validate.
        if (!validate(structuredClone(example.value)))
          failures.push(`${example.path}: ${ajv.errorsText(validate.errors)}`);
      }
      expect(failures).toEqual([]);
    });

    it('prints the same bytes every time, and the YAML is the object', () => {
      expect(renderOpenApiYaml(model)).toBe(text);
      expect(JSON.stringify(emitOpenApi(model))).toBe(JSON.stringify(document));
      expect(parse(text)).toEqual(JSON.parse(JSON.stringify(document)));
      expect(text).not.toMatch(/^\s*[^#\n]*[&*][a-z0-9]+\s*$/m); // no YAML anchors or aliases
    });
  });
});
