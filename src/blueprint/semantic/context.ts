/**
 * What every semantic check shares: the raw document read defensively, the declared names, and
 * one place to push diagnostics. Checks read the raw value, not the typed `RawBlueprint`, because
 * they also run when the structure has errors elsewhere: a user sees every problem in one pass.
 */
import type { ErrorCode } from '../../errors.js';
import { type Diagnostic, diagnostic } from '../diagnostics.js';
import type { SourceLocation } from '../model.js';
import type { BlueprintSource, PathSegment } from '../source.js';

export type Dict = Record<string, unknown>;

/** Blueprint identifiers: lower snake_case, so they map one-to-one onto SQL and JSON names. */
export const NAME = /^[a-z][a-z0-9_]*$/;
/** Longest blueprint name; leaves room for suffixes in generated SQL names (63 bytes). */
export const MAX_NAME_LENGTH = 48;
export const ACCESS_AUDIENCES: ReadonlySet<string> = new Set(['any', 'authenticated', 'none']);
/** Columns the toolkit adds to every table (id only without a composite key). */
export const SYSTEM_COLUMNS = ['id', 'created_at', 'updated_at', 'version'] as const;
export const NUMERIC_TYPES: ReadonlySet<string> = new Set(['integer', 'bigint', 'decimal']);
export const STRING_TYPES: ReadonlySet<string> = new Set(['string', 'text', 'email', 'url']);
/** Tables the toolkit creates beside the entities' own. */
export const TOOLKIT_TABLES: ReadonlySet<string> = new Set([
  'audit_log',
  'architect_migrations',
  'idempotency_keys',
]);

export function isDict(value: unknown): value is Dict {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function entries(value: unknown): [string, unknown][] {
  return isDict(value) ? Object.entries(value) : [];
}

/** The strings of a list, or the string itself; anything else is ignored (structure reports it). */
export function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Field definition with the `type` shorthand expanded; undefined when malformed. */
export function fieldOf(value: unknown): Dict | undefined {
  if (typeof value === 'string') return { type: value };
  return isDict(value) ? value : undefined;
}

/** The document-wide facts every check reads, and the sink for diagnostics. */
export interface SemanticContext {
  readonly root: Dict;
  readonly enums: ReadonlyMap<string, string[]>;
  /** Entities whose definition is a mapping, in declaration order. */
  readonly entities: ReadonlyMap<string, Dict>;
  readonly roles: ReadonlySet<string>;
  /** Where a path lives; `key: true` points at the mapping key rather than its value. */
  at(path: readonly PathSegment[], key?: boolean): SourceLocation;
  report(
    code: ErrorCode,
    params: Readonly<Record<string, unknown>>,
    location: SourceLocation,
    hint?: string,
  ): void;
  readonly diagnostics: Diagnostic[];
}

export function createContext(source: BlueprintSource, root: Dict): SemanticContext {
  const diagnostics: Diagnostic[] = [];
  return {
    root,
    enums: new Map(entries(root.enums).map(([name, values]) => [name, strings(values)])),
    entities: new Map(entries(root.entities).filter((entry): entry is [string, Dict] => isDict(entry[1]))),
    roles: new Set(strings(isDict(root.auth) ? root.auth.roles : undefined)),
    at: (path, key = false) => source.locate(path, { key }),
    report: (code, params, location, hint) => diagnostics.push(diagnostic(code, params, location, hint)),
    diagnostics,
  };
}

/**
 * The facts about one entity that several concerns need: its fields, key, lifecycle column and
 * the columns already claimed (for collision checks).
 */
export interface EntityScope {
  readonly name: string;
  readonly raw: Dict;
  readonly base: readonly PathSegment[];
  /** Declared fields with the shorthand expanded (undefined when malformed). */
  readonly fields: ReadonlyMap<string, Dict | undefined>;
  readonly key: readonly string[];
  readonly isAppendOnly: boolean;
  readonly isSoftDelete: boolean;
  readonly lifecycle?: Dict;
  /** The lifecycle state column (`status` unless `lifecycle.field` says otherwise). */
  readonly lifecycleField?: string;
  readonly computed: ReadonlyMap<string, unknown>;
}

export function entityScope(name: string, raw: Dict): EntityScope {
  const lifecycle = isDict(raw.lifecycle) ? raw.lifecycle : undefined;
  return {
    name,
    raw,
    base: ['entities', name],
    fields: new Map(entries(raw.fields).map(([fieldName, value]) => [fieldName, fieldOf(value)])),
    key: strings(raw.key),
    isAppendOnly: raw.append_only === true,
    isSoftDelete: raw.soft_delete === true,
    lifecycle,
    lifecycleField: lifecycle
      ? typeof lifecycle.field === 'string'
        ? lifecycle.field
        : 'status'
      : undefined,
    computed: new Map(entries(raw.computed)),
  };
}

/** `fooBar` / `Foo-Bar` / `foo bar` -> `foo_bar`, when that is a valid name. */
export function snakeSuggestion(name: string): string | undefined {
  const suggestion = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  return NAME.test(suggestion) && suggestion !== name ? suggestion : undefined;
}
