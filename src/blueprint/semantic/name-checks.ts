/**
 * Names: every identifier is lower snake_case and short enough for generated SQL names; enums,
 * entities and tables do not collide with each other, with built-in types, with tables the
 * toolkit creates, or with PostgreSQL reserved words.
 */
import { isReservedWord, MAX_IDENTIFIER_LENGTH } from '../../sql/identifiers.js';
import { didYouMean } from '../diagnostics.js';
import { BUILTIN_TYPES } from '../model.js';
import { pluralize } from '../naming.js';
import type { PathSegment } from '../source.js';
import { MAX_NAME_LENGTH, NAME, type SemanticContext, snakeSuggestion, TOOLKIT_TABLES } from './context.js';

/**
 * Report a name that is not lower snake_case or too long. The location is the mapping key for
 * named things (`fields.Foo`) and the item itself for list items (`states[2]`).
 * @returns true when the name is valid, so callers can skip checks that build on it.
 */
export function checkName(
  context: SemanticContext,
  name: string,
  what: string,
  path: readonly PathSegment[],
  options: { isListItem?: boolean } = {},
): boolean {
  const location = context.at(path, options.isListItem !== true);
  if (!NAME.test(name)) {
    const suggestion = snakeSuggestion(name);
    context.report(
      'BLUEPRINT_INVALID_NAME',
      { name, what },
      location,
      suggestion ? `did you mean \`${suggestion}\`?` : undefined,
    );
    return false;
  }
  if (name.length > MAX_NAME_LENGTH) {
    context.report(
      'BLUEPRINT_INVALID_VALUE',
      {
        where: `${what} \`${name}\``,
        detail: `names are limited to ${MAX_NAME_LENGTH} characters so generated SQL names fit in ${MAX_IDENTIFIER_LENGTH}`,
      },
      location,
    );
    return false;
  }
  return true;
}

/**
 * Enum and entity names, and the tables entities map to.
 * @returns table name -> entity name, for checks that accept either (`requirements.data`).
 */
export function checkDeclaredNames(context: SemanticContext): Map<string, string> {
  const { enums, entities, at, report } = context;
  for (const [name] of enums) {
    checkName(context, name, 'enum', ['enums', name]);
    if ((BUILTIN_TYPES as readonly string[]).includes(name)) {
      report(
        'BLUEPRINT_NAME_COLLISION',
        { name, other: 'the built-in type of the same name' },
        at(['enums', name], true),
        'Rename the enum, e.g. with a `_kind` suffix.',
      );
    }
    if (entities.has(name)) {
      report(
        'BLUEPRINT_NAME_COLLISION',
        { name, other: `entity \`${name}\`` },
        at(['enums', name], true),
        'Rename the enum, e.g. with a `_kind` suffix.',
      );
    }
  }

  // Tables must be distinct after pluralization (`person` and `people` would both be `people`).
  const tables = new Map<string, string>();
  for (const [name, entity] of entities) {
    if (!checkName(context, name, 'entity', ['entities', name])) continue;
    if ((BUILTIN_TYPES as readonly string[]).includes(name)) {
      report(
        'BLUEPRINT_NAME_COLLISION',
        { name, other: 'the built-in type of the same name' },
        at(['entities', name], true),
        'A field of this type could not tell a reference from the built-in; rename the entity.',
      );
    }
    const hasPlural = typeof entity.plural === 'string';
    const table = hasPlural ? (entity.plural as string) : pluralize(name);
    const tablePath: PathSegment[] = hasPlural ? ['entities', name, 'plural'] : ['entities', name];
    const other = tables.get(table);
    if (other) {
      report(
        'BLUEPRINT_DUPLICATE_NAME',
        { what: 'Table', name: table },
        at(tablePath, !hasPlural),
        `entities \`${other}\` and \`${name}\` both map to table \`${table}\`; set \`plural:\` on one of them`,
      );
    } else {
      tables.set(table, name);
    }
    if (isReservedWord(table)) {
      report(
        'BLUEPRINT_RESERVED_WORD',
        { name: table },
        at(tablePath, !hasPlural),
        'Set `plural:` to another table name.',
      );
    }
    if (TOOLKIT_TABLES.has(table)) {
      report(
        'BLUEPRINT_NAME_COLLISION',
        { name: table, other: 'a table the toolkit creates' },
        at(tablePath, !hasPlural),
        'Set `plural:` to another table name.',
      );
    }
  }

  return tables;
}

/** Names that point at entities from outside `entities`: `tenancy.by`, `requirements.data`. */
export function checkEntityNames(context: SemanticContext, tables: ReadonlyMap<string, string>): void {
  const { root, entities, at, report } = context;
  const tenancy = root.tenancy;
  if (tenancy && typeof tenancy === 'object' && !Array.isArray(tenancy)) {
    const by = (tenancy as Record<string, unknown>).by;
    if (typeof by === 'string' && !entities.has(by)) {
      report(
        'BLUEPRINT_UNKNOWN_ENTITY',
        { entity: by, where: '`tenancy.by`' },
        at(['tenancy', 'by']),
        didYouMean(by, entities.keys()),
      );
    }
  }
  const requirements = root.requirements;
  const data =
    requirements && typeof requirements === 'object' ? (requirements as Record<string, unknown>).data : {};
  if (!data || typeof data !== 'object' || Array.isArray(data)) return;
  for (const name of Object.keys(data)) {
    if (!entities.has(name) && !tables.has(name)) {
      report(
        'BLUEPRINT_UNKNOWN_ENTITY',
        { entity: name, where: '`requirements.data`' },
        at(['requirements', 'data', name], true),
        didYouMean(name, [...entities.keys(), ...tables.keys()]),
      );
    }
  }
}
