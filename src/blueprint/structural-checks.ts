/**
 * Structural validation: the blueprint against its published JSON Schema, with ajv's errors
 * turned into located diagnostics that say what is wrong and how to fix it.
 */
import type { ErrorObject } from 'ajv';
import { type Diagnostic, diagnostic, didYouMean } from './diagnostics.js';
import { validate as validateCompiled } from './generated/blueprint-validator.js';
import type { BlueprintSource, PathSegment } from './source.js';

/** The schema compiled ahead of time: compiling it at start-up would cost ~150 ms per command. */
const validator = () =>
  validateCompiled as unknown as ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

export function checkStructure(source: BlueprintSource): Diagnostic[] {
  const value = source.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [
      diagnostic(
        'BLUEPRINT_INVALID_VALUE',
        {
          where: 'the document',
          detail: 'a blueprint is a mapping with `blueprint: 1`, `name` and `entities`',
        },
        source.locate([]),
        'Start from `architect init <dir> --template blank`.',
      ),
    ];
  }
  const version = (value as Record<string, unknown>).blueprint;
  if (version !== undefined && version !== 1) {
    return [
      diagnostic('BLUEPRINT_VERSION', { version: JSON.stringify(version) }, source.locate(['blueprint'])),
    ];
  }
  const validate = validator();
  if (validate(value)) return [];
  return translateErrors(source, validate.errors ?? []);
}

function pathOf(instancePath: string): PathSegment[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/** A readable name for a place in the document: `entities.product.fields.sku`. */
function describePath(path: readonly PathSegment[]): string {
  return path.length === 0 ? 'the document' : `\`${path.join('.')}\``;
}

const ALTERNATIVE_KEYWORDS = new Set(['anyOf', 'oneOf', 'type', 'enum', 'const']);

function translateErrors(source: BlueprintSource, errors: readonly ErrorObject[]): Diagnostic[] {
  // ajv reports every failed branch of an anyOf. Keep the branch that got furthest: drop the
  // `type`/`anyOf`/`enum` errors at a path when a more specific error exists at that path, or
  // any error below it (`name: { max: ten }` is about `max`, not about `name` being no string).
  const isBelow = (other: ErrorObject, error: ErrorObject) =>
    other.instancePath.startsWith(`${error.instancePath}/`);
  const kept = errors.filter((error) => {
    if (!ALTERNATIVE_KEYWORDS.has(error.keyword)) return true;
    return !errors.some(
      (other) =>
        isBelow(other, error) ||
        (other.instancePath === error.instancePath && !ALTERNATIVE_KEYWORDS.has(other.keyword)),
    );
  });

  // Several failed branches at one path (e.g. "must be string", "must be array") become one.
  const alternatives = new Map<string, ErrorObject[]>();
  const diagnostics: Diagnostic[] = [];
  for (const error of kept) {
    if (ALTERNATIVE_KEYWORDS.has(error.keyword)) {
      const list = alternatives.get(error.instancePath) ?? [];
      list.push(error);
      alternatives.set(error.instancePath, list);
      continue;
    }
    diagnostics.push(translateOne(source, error));
  }
  for (const [instancePath, list] of alternatives) {
    diagnostics.push(translateAlternatives(source, instancePath, list));
  }
  return diagnostics;
}

function translateOne(source: BlueprintSource, error: ErrorObject): Diagnostic {
  const path = pathOf(error.instancePath);
  const where = describePath(path);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys(
        (error.parentSchema as { properties?: object } | undefined)?.properties ?? {},
      );
      return diagnostic(
        'BLUEPRINT_UNKNOWN_KEY',
        { key, where },
        source.locate([...path, key], { key: true }),
        didYouMean(key, allowed) ?? (allowed.length > 0 ? `allowed keys: ${allowed.join(', ')}` : undefined),
      );
    }
    case 'required': {
      const key = String((error.params as { missingProperty: string }).missingProperty);
      return diagnostic(
        'BLUEPRINT_MISSING_KEY',
        { key, where },
        source.locate(path, { key: true }),
        requiredHint(key),
      );
    }
    case 'pattern': {
      const value = String(error.data);
      const pattern = String((error.params as { pattern: string }).pattern);
      if (pattern === '^[a-z][a-z0-9_]*$') {
        const suggestion = value
          .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
          .replace(/[^A-Za-z0-9]+/g, '_')
          .toLowerCase();
        return diagnostic(
          'BLUEPRINT_INVALID_NAME',
          { name: value, what: describeNameKind(path) },
          source.locate(path),
          /^[a-z]/.test(suggestion) ? `did you mean \`${suggestion}\`?` : undefined,
        );
      }
      return diagnostic(
        'BLUEPRINT_INVALID_VALUE',
        { where, detail: `\`${value}\` does not match ${pattern}` },
        source.locate(path),
      );
    }
    case 'uniqueItems': {
      // ajv names the two equal items; point at the later one, the one to remove.
      const { i, j } = error.params as { i: number; j: number };
      const later = Math.max(i, j);
      const items = error.data as unknown[];
      return diagnostic(
        'BLUEPRINT_DUPLICATE_NAME',
        { what: sentenceStart(describeNameKind(path)), name: String(items[later]) },
        source.locate([...path, later]),
        'Remove the repeated entry.',
      );
    }
    case 'propertyNames':
      return diagnostic(
        'BLUEPRINT_INVALID_VALUE',
        { where, detail: error.message ?? 'bad key' },
        source.locate(path),
      );
    default: {
      const detail = `${error.message ?? error.keyword}${error.data === undefined ? '' : ` (got ${JSON.stringify(error.data)})`}`;
      return diagnostic('BLUEPRINT_INVALID_VALUE', { where, detail }, source.locate(path));
    }
  }
}

function translateAlternatives(
  source: BlueprintSource,
  instancePath: string,
  errors: readonly ErrorObject[],
): Diagnostic {
  const path = pathOf(instancePath);
  const where = describePath(path);
  const data = errors[0]?.data;
  const choices = new Set<string>();
  const expectedTypes = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'enum') {
      for (const value of (error.params as { allowedValues: unknown[] }).allowedValues)
        choices.add(String(value));
    } else if (error.keyword === 'const') {
      choices.add(String((error.params as { allowedValue: unknown }).allowedValue));
    } else if (error.keyword === 'type') {
      const type = (error.params as { type: string | string[] }).type;
      for (const name of Array.isArray(type) ? type : [type]) expectedTypes.add(name);
    }
  }
  if (choices.size > 0 && typeof data === 'string') {
    return diagnostic(
      'BLUEPRINT_INVALID_VALUE',
      { where, detail: `\`${data}\` is not one of ${[...choices].join(', ')}` },
      source.locate(path),
      didYouMean(data, choices) ??
        (choices.has('authenticated') && expectedTypes.has('array')
          ? `Roles go in a list: \`[${data}]\`.`
          : undefined),
    );
  }
  const expected = [...choices].map((choice) => `\`${choice}\``).concat([...expectedTypes]);
  const detail =
    expected.length > 0
      ? `expected ${expected.join(' or ')}, got ${describeValue(data)}`
      : `${describeValue(data)} is not allowed here`;
  return diagnostic('BLUEPRINT_INVALID_VALUE', { where, detail }, source.locate(path));
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function describeNameKind(path: readonly PathSegment[]): string {
  if (path[0] === 'entities' && path.length === 2) return 'entity';
  if (path.includes('fields')) return 'field';
  if (path[0] === 'enums') return 'enum value';
  if (path.includes('states')) return 'state';
  if (path.includes('roles')) return 'role';
  if (path.includes('methods')) return 'auth method';
  return 'identifier';
}

function sentenceStart(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function requiredHint(key: string): string | undefined {
  switch (key) {
    case 'blueprint':
      return 'Add `blueprint: 1` at the top of the file.';
    case 'type':
      return 'Every field needs a type, e.g. `{ type: string, max: 200 }`.';
    case 'fields':
      return 'An entity lists its columns under `fields:`.';
    default:
      return undefined;
  }
}
