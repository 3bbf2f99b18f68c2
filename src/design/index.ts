/**
 * `architect design`: every design artifact of a model, as text, written atomically.
 *
 * Each artifact is a pure function of the model, so two runs on the same blueprint produce
 * byte-identical files.
 *
 * @example
 * const model = await loadBlueprint('examples/inventory');
 * await writeDesign(model, 'design'); // design/schema.sql, design/openapi.yaml, design/erd.mmd
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Model } from '../blueprint/model.js';
import { ArchitectError } from '../errors.js';
import { emitErd } from './erd/index.js';
import { renderOpenApiYaml } from './openapi/index.js';
import { emitSchemaSql } from './sql/index.js';

/** File name -> emitter, in the order the files are listed. */
export const DESIGN_ARTIFACTS = {
  'schema.sql': emitSchemaSql,
  'openapi.yaml': renderOpenApiYaml,
  'erd.mmd': emitErd,
} as const satisfies Record<string, (model: Model) => string>;

export type DesignArtifact = keyof typeof DESIGN_ARTIFACTS;

export const DESIGN_FILE_NAMES = Object.keys(DESIGN_ARTIFACTS) as DesignArtifact[];

/** Every artifact's text, keyed by file name. */
export function renderDesign(model: Model): Record<DesignArtifact, string> {
  return Object.fromEntries(DESIGN_FILE_NAMES.map((name) => [name, DESIGN_ARTIFACTS[name](model)])) as Record<
    DesignArtifact,
    string
  >;
}

/**
 * Render every artifact, then write each into `outDir` (created if missing) through a temporary
 * file renamed over the target: a reader never sees half a file, and an emitter that throws
 * leaves the previous files untouched. Resolves to the written paths.
 */
export async function writeDesign(model: Model, outDir: string): Promise<string[]> {
  const files = renderDesign(model);
  const written: string[] = [];
  try {
    await mkdir(outDir, { recursive: true });
  } catch (error) {
    throw new ArchitectError(
      'CLI_OUTPUT',
      { path: outDir, detail: (error as Error).message },
      { cause: error },
    );
  }
  for (const name of DESIGN_FILE_NAMES) {
    const target = path.join(outDir, name);
    const temporary = path.join(outDir, `.${name}.${process.pid}.tmp`);
    try {
      await writeFile(temporary, files[name]);
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw new ArchitectError(
        'CLI_OUTPUT',
        { path: target, detail: (error as Error).message },
        { cause: error },
      );
    }
    written.push(target);
  }
  return written;
}
