/**
 * Entity-level structure: the composite key, the field lists of indexes, unique groups and
 * search, the parent of nested routes, and option combinations that contradict each other.
 */
import { didYouMean } from '../diagnostics.js';
import type { PathSegment } from '../source.js';
import { type EntityScope, entries, isDict, type SemanticContext, STRING_TYPES, strings } from './context.js';
import { checkName } from './name-checks.js';

export function checkEntity(context: SemanticContext, scope: EntityScope): void {
  checkKey(context, scope);
  checkFieldLists(context, scope);
  checkParent(context, scope);
  checkCombinations(context, scope);
  for (const [name] of entries(scope.raw.checks))
    checkName(context, name, 'check', [...scope.base, 'checks', name]);
}

function checkKey(context: SemanticContext, scope: EntityScope): void {
  const { at, report } = context;
  const { key, fields, base, name: entity } = scope;
  if (key.length === 0) return;
  if (scope.raw.id !== undefined) {
    report(
      'BLUEPRINT_UNSUPPORTED_COMBINATION',
      { detail: `Entity \`${entity}\` sets both \`id\` and \`key\`` },
      at([...base, 'id'], true),
      'A composite `key` replaces the `id` column; remove one of them.',
    );
  }
  const seen = new Set<string>();
  key.forEach((name, index) => {
    const field = fields.get(name);
    const location = at([...base, 'key', index]);
    if (seen.has(name)) {
      report('BLUEPRINT_INVALID_KEY', { entity, detail: `\`${name}\` is listed twice` }, location);
    } else if (!fields.has(name)) {
      report(
        'BLUEPRINT_UNKNOWN_FIELD',
        { field: name, where: '`key`', entity },
        location,
        didYouMean(name, fields.keys()),
      );
    } else if (field?.optional === true) {
      report(
        'BLUEPRINT_INVALID_KEY',
        { entity, detail: `key field \`${name}\` is optional; key columns are NOT NULL` },
        location,
        'Remove `optional: true` from the field.',
      );
    } else if (field && typeof field.type === 'string' && ['json', 'text'].includes(field.type)) {
      report(
        'BLUEPRINT_INVALID_KEY',
        { entity, detail: `key field \`${name}\` has type ${field.type}, which makes a poor key` },
        location,
        'Use a bounded `string`, a number, a uuid or a reference.',
      );
    }
    seen.add(name);
  });
}

/** Indexes, unique groups and search name fields (or generated columns) of the same entity. */
function checkFieldLists(context: SemanticContext, scope: EntityScope): void {
  const { at, report } = context;
  const { base, fields, name: entity } = scope;
  const lifecycleColumns = scope.lifecycleField ? [scope.lifecycleField] : [];
  const indexable = [
    ...(scope.key.length === 0 ? ['id'] : []),
    ...fields.keys(),
    ...scope.computed.keys(),
    ...lifecycleColumns,
    'created_at',
    'updated_at',
  ];
  const checkList = (
    list: unknown,
    where: string,
    path: readonly PathSegment[],
    allowed: readonly string[],
  ) => {
    strings(list).forEach((name, index) => {
      if (!allowed.includes(name)) {
        report(
          'BLUEPRINT_UNKNOWN_FIELD',
          { field: name, where, entity },
          at([...path, index]),
          didYouMean(name, allowed) ?? referenceHint(name, fields),
        );
      }
    });
  };
  (Array.isArray(scope.raw.indexes) ? scope.raw.indexes : []).forEach((index, position) => {
    const path = [...base, 'indexes', position];
    if (Array.isArray(index)) checkList(index, '`indexes`', path, indexable);
    else if (isDict(index)) checkList(index.fields, '`indexes`', [...path, 'fields'], indexable);
  });
  (Array.isArray(scope.raw.unique) ? scope.raw.unique : []).forEach((group, position) => {
    checkList(group, '`unique`', [...base, 'unique', position], [...fields.keys(), ...lifecycleColumns]);
  });
  if (!Array.isArray(scope.raw.search)) return;
  scope.raw.search.forEach((name, index) => {
    if (typeof name !== 'string') return;
    const field = fields.get(name);
    if (!fields.has(name)) {
      report(
        'BLUEPRINT_UNKNOWN_FIELD',
        { field: name, where: '`search`', entity },
        at([...base, 'search', index]),
        didYouMean(name, fields.keys()),
      );
    } else if (field && typeof field.type === 'string' && !STRING_TYPES.has(field.type)) {
      report(
        'BLUEPRINT_INVALID_VALUE',
        {
          where: `\`entities.${entity}.search\``,
          detail: `\`${name}\` has type ${field.type}; only text fields can be searched`,
        },
        at([...base, 'search', index]),
      );
    }
  });
}

/** Lists name fields, not columns: `supplier`, not `supplier_id`. */
function referenceHint(name: string, fields: ReadonlyMap<string, unknown>): string | undefined {
  const field = name.endsWith('_id') ? name.slice(0, -3) : undefined;
  return field && fields.has(field)
    ? `did you mean \`${field}\`? Lists name the field, not its \`_id\` column`
    : undefined;
}

function checkParent(context: SemanticContext, scope: EntityScope): void {
  const { at, report, entities } = context;
  const parent = scope.raw.parent;
  if (typeof parent !== 'string') return;
  const path = [...scope.base, 'parent'];
  if (parent === scope.name) {
    report(
      'BLUEPRINT_UNSUPPORTED_COMBINATION',
      { detail: `Entity \`${scope.name}\` cannot be its own parent` },
      at(path),
      'A tree is a self-reference: `parent_node: { type: <entity>, optional: true }`, without `parent:`.',
    );
    return;
  }
  if (!entities.has(parent)) {
    report(
      'BLUEPRINT_UNKNOWN_ENTITY',
      { entity: parent, where: '`parent`' },
      at(path),
      didYouMean(parent, entities.keys()),
    );
    return;
  }
  const pointing = [...scope.fields].filter(([, field]) => field?.type === parent);
  if (pointing.length === 0) {
    report(
      'BLUEPRINT_MISSING_KEY',
      { key: `a field of type ${parent}`, where: `entity \`${scope.name}\`` },
      at(path),
      `Nested routes bind the parent through a reference field, e.g. \`${parent}: { type: ${parent}, on_delete: cascade }\`.`,
    );
  } else if (pointing.every(([, field]) => field?.optional === true)) {
    report(
      'BLUEPRINT_UNSUPPORTED_COMBINATION',
      { detail: `The reference to parent \`${parent}\` is optional; a nested row always has its parent` },
      at(path),
      'Remove `optional: true` from the reference, or remove `parent:`.',
    );
  }
  if (typeof entities.get(parent)?.parent === 'string') {
    report(
      'BLUEPRINT_UNSUPPORTED_COMBINATION',
      { detail: `\`${parent}\` is itself nested; routes nest one level deep` },
      at(path),
    );
  }
}

function checkCombinations(context: SemanticContext, scope: EntityScope): void {
  const { at, report } = context;
  const { base, name, raw, isAppendOnly, isSoftDelete } = scope;
  const combination = (condition: boolean, detail: string, path: readonly PathSegment[], hint?: string) => {
    if (condition) report('BLUEPRINT_UNSUPPORTED_COMBINATION', { detail }, at(path, true), hint);
  };
  combination(
    isAppendOnly && isSoftDelete,
    `Entity \`${name}\` is append_only and soft_delete: an append-only row is never deleted`,
    [...base, 'soft_delete'],
    'Remove `soft_delete`; record a reversing entry instead.',
  );
  combination(
    isAppendOnly && scope.lifecycle !== undefined,
    `Entity \`${name}\` is append_only but has a lifecycle, which updates rows`,
    [...base, 'lifecycle'],
    'Record state changes as new rows, or drop `append_only`.',
  );
  combination(
    isAppendOnly && raw.writable === false,
    `Entity \`${name}\`: append_only already limits writes to inserts; writable: false would refuse those too`,
    [...base, 'writable'],
    'Keep one of the two.',
  );
  const access = isDict(raw.access) ? raw.access : undefined;
  combination(
    isAppendOnly && access !== undefined && (access.update !== undefined || access.delete !== undefined),
    `Entity \`${name}\` is append_only; update and delete access have no meaning`,
    [...base, 'access', access?.update !== undefined ? 'update' : 'delete'],
    'Remove them; use `create` (or `write`) for who may append.',
  );
  combination(
    scope.key.length > 0 && isSoftDelete,
    `Entity \`${name}\` has a composite key and soft_delete: a deleted row would block its key forever`,
    [...base, 'soft_delete'],
    'Remove `soft_delete`, or give the entity an `id` key and a `unique` group instead.',
  );
}
