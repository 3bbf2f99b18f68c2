/**
 * The blueprints every DDL test runs on: each `examples/<name>/blueprint.yaml` (globbed, so new
 * templates are covered as they land) plus a fixture exercising constructs the examples skip.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBlueprint, type Model } from '../../../../src/blueprint/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPOSITORY_ROOT = path.resolve(here, '../../../..');
export const COVERAGE_FIXTURE = path.join(here, '../fixtures/coverage/blueprint.yaml');

export function exampleBlueprints(): string[] {
  const examples = path.join(REPOSITORY_ROOT, 'examples');
  return readdirSync(examples)
    .map((name) => path.join(examples, name, 'blueprint.yaml'))
    .filter((file) => statSync(file, { throwIfNoEntry: false })?.isFile())
    .sort();
}

export interface NamedModel {
  /** `examples/inventory`, `fixtures/coverage`. */
  readonly label: string;
  readonly model: Model;
}

export async function loadTestModels(): Promise<NamedModel[]> {
  const files = [...exampleBlueprints(), COVERAGE_FIXTURE];
  return Promise.all(
    files.map(async (file) => ({
      label: path.relative(REPOSITORY_ROOT, path.dirname(file)).replace(/^test\/design\/sql\//, ''),
      model: await loadBlueprint(file),
    })),
  );
}
