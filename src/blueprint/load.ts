import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { BlueprintError, type Diagnostic, diagnostic, sortDiagnostics } from './diagnostics.js';
import type { Model } from './model.js';
import { normalizeBlueprint } from './normalize.js';
import { checkSemantics } from './semantic/index.js';
import { readBlueprintSource } from './source.js';
import { checkSqlExpressions } from './sql-checks.js';
import { checkStructure } from './structural-checks.js';

/** File names looked for when a folder is given. */
export const BLUEPRINT_FILE_NAMES = ['blueprint.yaml', 'blueprint.yml', 'blueprint.json'];

export interface CheckResult {
  /** The resolved file path. */
  readonly file: string;
  /** Sorted by location; errors and warnings. */
  readonly diagnostics: readonly Diagnostic[];
  /** Present when there is no error. */
  readonly model?: Model;
}

/** Resolve a blueprint argument: a file, or a folder holding `blueprint.yaml`. */
export async function resolveBlueprintPath(input: string): Promise<string> {
  const info = await stat(input).catch(() => undefined);
  if (info?.isDirectory()) {
    for (const name of BLUEPRINT_FILE_NAMES) {
      const candidate = path.join(input, name);
      if (
        await stat(candidate)
          .then((entry) => entry.isFile())
          .catch(() => false)
      )
        return candidate;
    }
    throw new BlueprintError([
      diagnostic(
        'BLUEPRINT_FILE_NOT_FOUND',
        { path: input },
        { file: input, line: 1, column: 1 },
        `The folder has no ${BLUEPRINT_FILE_NAMES.join(' or ')}.`,
      ),
    ]);
  }
  if (!info) {
    throw new BlueprintError([
      diagnostic('BLUEPRINT_FILE_NOT_FOUND', { path: input }, { file: input, line: 1, column: 1 }),
    ]);
  }
  return input;
}

/**
 * Validate blueprint text and, when it has no error, build the model. Never throws for
 * problems in the blueprint: they come back as diagnostics.
 *
 * @example
 * const { diagnostics, model } = await checkBlueprintText(yamlText, 'blueprint.yaml');
 */
export async function checkBlueprintText(text: string, file: string): Promise<CheckResult> {
  const source = readBlueprintSource(file, text);
  if (source.syntaxErrors.length > 0) return { file, diagnostics: sortDiagnostics(source.syntaxErrors) };
  const structural = checkStructure(source);
  const semantic = checkSemantics(source);
  const sql = await checkSqlExpressions(source);
  const diagnostics = sortDiagnostics(dedupe([...structural, ...semantic, ...sql.diagnostics]));
  if (diagnostics.some((item) => item.severity === 'error')) return { file, diagnostics };
  return { file, diagnostics, model: normalizeBlueprint(source, sql.columns) };
}

/** Read and validate a blueprint file (or folder). */
export async function checkBlueprint(input: string): Promise<CheckResult> {
  const file = await resolveBlueprintPath(input);
  const text = await readFile(file, 'utf8').catch(() => {
    throw new BlueprintError([
      diagnostic('BLUEPRINT_FILE_NOT_FOUND', { path: file }, { file, line: 1, column: 1 }),
    ]);
  });
  return checkBlueprintText(text, file);
}

/**
 * Load a blueprint into the frozen model, or throw a `BlueprintError` carrying every problem.
 *
 * @example
 * const model = await loadBlueprint('examples/inventory');
 * model.entities.map((entity) => entity.table); // ['locations', 'suppliers', ...]
 */
export async function loadBlueprint(input: string): Promise<Model> {
  const result = await checkBlueprint(input);
  if (!result.model) throw new BlueprintError(result.diagnostics);
  return result.model;
}

function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((item) => {
    const key = `${item.code}|${item.location.line}|${item.location.column}|${item.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
