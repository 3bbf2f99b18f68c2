/**
 * Semantic validation: what the JSON Schema cannot say. Names must resolve, references must not
 * form an unbreakable cycle, lifecycles must agree with themselves, roles must be declared,
 * defaults must fit their fields, generated names must not collide.
 *
 * The checks read the raw value defensively, so they also run (and report) when the structure
 * has errors elsewhere: a user sees every problem in one pass.
 */
import { isReservedWord, MAX_IDENTIFIER_LENGTH } from '../sql/identifiers.js';
import { type Diagnostic, diagnostic, didYouMean } from './diagnostics.js';
import { BUILTIN_TYPES } from './model.js';
import { pluralize } from './naming.js';
import type { BlueprintSource, PathSegment } from './source.js';

type Dict = Record<string, unknown>;

const NAME = /^[a-z][a-z0-9_]*$/;
const ACCESS_AUDIENCES = new Set(['any', 'authenticated', 'none']);
const SYSTEM_COLUMNS = ['id', 'created_at', 'updated_at', 'version'];
const NUMERIC_TYPES = new Set(['integer', 'bigint', 'decimal']);
const STRING_TYPES = new Set(['string', 'text', 'email', 'url']);

function isDict(value: unknown): value is Dict {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function entries(value: unknown): [string, unknown][] {
  return isDict(value) ? Object.entries(value) : [];
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Field definition with the shorthand expanded; undefined when malformed. */
function fieldOf(value: unknown): Dict | undefined {
  if (typeof value === 'string') return { type: value };
  return isDict(value) ? value : undefined;
}

export function checkSemantics(source: BlueprintSource): Diagnostic[] {
  const root = source.value;
  if (!isDict(root)) return [];
  const out: Diagnostic[] = [];
  const at = (path: PathSegment[], key = false) => source.locate(path, { key });

  const enums = new Map(entries(root.enums).map(([name, values]) => [name, strings(values)]));
  const entities = new Map(
    entries(root.entities).filter((entry): entry is [string, Dict] => isDict(entry[1])),
  );
  const roles = new Set(strings(isDict(root.auth) ? root.auth.roles : undefined));
  const tenancy = root.tenancy;

  // ── names ────────────────────────────────────────────────────────────────────────────────
  const checkName = (name: string, what: string, path: PathSegment[]) => {
    if (!NAME.test(name)) {
      const suggestion = name
        .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
        .replace(/[^A-Za-z0-9]+/g, '_')
        .replace(/^_+|_+$/g, '')
        .toLowerCase();
      out.push(
        diagnostic(
          'BLUEPRINT_INVALID_NAME',
          { name, what },
          at(path, true),
          NAME.test(suggestion) ? `did you mean \`${suggestion}\`?` : undefined,
        ),
      );
      return false;
    }
    if (name.length > 48) {
      out.push(
        diagnostic(
          'BLUEPRINT_INVALID_VALUE',
          {
            where: `${what} \`${name}\``,
            detail: `names are limited to 48 characters so generated SQL names fit in ${MAX_IDENTIFIER_LENGTH}`,
          },
          at(path, true),
        ),
      );
      return false;
    }
    return true;
  };

  for (const [name] of enums) {
    checkName(name, 'enum', ['enums', name]);
    if (BUILTIN_TYPES.includes(name as never)) {
      out.push(
        diagnostic(
          'BLUEPRINT_NAME_COLLISION',
          { name, other: 'the built-in type of the same name' },
          at(['enums', name], true),
        ),
      );
    }
    if (entities.has(name)) {
      out.push(
        diagnostic(
          'BLUEPRINT_NAME_COLLISION',
          { name, other: `entity \`${name}\`` },
          at(['enums', name], true),
          'Rename the enum, e.g. with a `_kind` suffix.',
        ),
      );
    }
  }

  // Tables must be distinct after pluralization (`person` and `people` would both be `people`).
  const tables = new Map<string, string>();
  for (const [name, entity] of entities) {
    if (!checkName(name, 'entity', ['entities', name])) continue;
    if (BUILTIN_TYPES.includes(name as never)) {
      out.push(
        diagnostic(
          'BLUEPRINT_NAME_COLLISION',
          { name, other: 'the built-in type of the same name' },
          at(['entities', name], true),
        ),
      );
    }
    const table = typeof entity.plural === 'string' ? entity.plural : pluralize(name);
    const other = tables.get(table);
    if (other) {
      out.push(
        diagnostic(
          'BLUEPRINT_DUPLICATE_NAME',
          { what: 'Table', name: table },
          at(['entities', name], true),
          `entities \`${other}\` and \`${name}\` both map to table \`${table}\`; set \`plural:\` on one of them`,
        ),
      );
    }
    tables.set(table, name);
    if (isReservedWord(table)) {
      out.push(
        diagnostic(
          'BLUEPRINT_RESERVED_WORD',
          { name: table },
          at(['entities', name], true),
          'Set `plural:` to another table name.',
        ),
      );
    }
  }
  for (const [transitionTable] of tables) {
    if (transitionTable === 'audit_log' || transitionTable === 'architect_migrations') {
      out.push(
        diagnostic(
          'BLUEPRINT_NAME_COLLISION',
          { name: transitionTable, other: 'a table the toolkit creates' },
          at(['entities', tables.get(transitionTable)!], true),
        ),
      );
    }
  }

  // ── roles ────────────────────────────────────────────────────────────────────────────────
  const checkAccess = (rule: unknown, path: PathSegment[]) => {
    if (typeof rule === 'string') {
      if (!ACCESS_AUDIENCES.has(rule) && !roles.has(rule)) {
        out.push(
          diagnostic(
            'BLUEPRINT_UNKNOWN_ROLE',
            { role: rule },
            at(path),
            didYouMean(rule, [...roles, ...ACCESS_AUDIENCES]),
          ),
        );
      }
      return;
    }
    strings(rule).forEach((role, index) => {
      if (ACCESS_AUDIENCES.has(role)) {
        out.push(
          diagnostic(
            'BLUEPRINT_INVALID_VALUE',
            {
              where: `\`${path.join('.')}\``,
              detail: `\`${role}\` is an audience, not a role; write \`${path.at(-1)}: ${role}\` without the list`,
            },
            at([...path, index]),
          ),
        );
      } else if (!roles.has(role)) {
        out.push(
          diagnostic(
            'BLUEPRINT_UNKNOWN_ROLE',
            { role },
            at([...path, index]),
            didYouMean(role, roles) ?? 'Declare it under `auth.roles`.',
          ),
        );
      }
    });
  };

  // ── tenancy ──────────────────────────────────────────────────────────────────────────────
  if (isDict(tenancy) && typeof tenancy.by === 'string' && !entities.has(tenancy.by)) {
    out.push(
      diagnostic(
        'BLUEPRINT_UNKNOWN_ENTITY',
        { entity: tenancy.by, where: '`tenancy.by`' },
        at(['tenancy', 'by']),
        didYouMean(tenancy.by, entities.keys()),
      ),
    );
  }

  // ── requirements.data names entities ─────────────────────────────────────────────────────
  const requirements = isDict(root.requirements) ? root.requirements : {};
  for (const [name] of entries(requirements.data)) {
    if (!entities.has(name) && !tables.has(name)) {
      out.push(
        diagnostic(
          'BLUEPRINT_UNKNOWN_ENTITY',
          { entity: name, where: '`requirements.data`' },
          at(['requirements', 'data', name], true),
          didYouMean(name, entities.keys()),
        ),
      );
    }
  }

  // ── entities ─────────────────────────────────────────────────────────────────────────────
  const requiredEdges = new Map<string, { to: string; field: string }[]>();
  for (const [entityName, entity] of entities) {
    const base: PathSegment[] = ['entities', entityName];
    const fields = new Map(entries(entity.fields).map(([name, value]) => [name, fieldOf(value)]));
    const isAppendOnly = entity.append_only === true;
    const isSoftDelete = entity.soft_delete === true;
    const lifecycle = isDict(entity.lifecycle) ? entity.lifecycle : undefined;
    const lifecycleField = lifecycle
      ? typeof lifecycle.field === 'string'
        ? lifecycle.field
        : 'status'
      : undefined;
    const computed = new Map(entries(entity.computed));
    const key = strings(entity.key);

    // Columns each field produces, for collision and reference checks.
    const columns = new Map<string, string>(); // column -> what produced it
    const claim = (column: string, producer: string, path: PathSegment[]) => {
      const existing = columns.get(column);
      if (existing) {
        out.push(diagnostic('BLUEPRINT_NAME_COLLISION', { name: column, other: existing }, at(path, true)));
      } else {
        columns.set(column, producer);
      }
      if (isReservedWord(column)) {
        out.push(
          diagnostic(
            'BLUEPRINT_RESERVED_WORD',
            { name: column },
            at(path, true),
            `Pick another name, e.g. \`${entityName}_${column}\`.`,
          ),
        );
      }
    };
    if (key.length === 0) columns.set('id', 'the generated key column `id`');
    for (const column of SYSTEM_COLUMNS.slice(1)) columns.set(column, `the generated column \`${column}\``);
    if (isSoftDelete) columns.set('deleted_at', 'the soft-delete column `deleted_at`');
    if (Array.isArray(entity.search))
      columns.set('search_vector', 'the full-text search column `search_vector`');
    if (lifecycleField) {
      if (fields.has(lifecycleField)) {
        out.push(
          diagnostic(
            'BLUEPRINT_NAME_COLLISION',
            { name: lifecycleField, other: 'the lifecycle state column' },
            at([...base, 'fields', lifecycleField], true),
            'Remove the field; the lifecycle creates and guards it.',
          ),
        );
      } else {
        claim(lifecycleField, 'the lifecycle state column', [...base, 'lifecycle']);
      }
    }

    for (const [fieldName, field] of fields) {
      const path: PathSegment[] = [...base, 'fields', fieldName];
      if (!checkName(fieldName, 'field', path)) continue;
      if (!field) continue;
      const type = typeof field.type === 'string' ? field.type : undefined;
      const isReference = type !== undefined && entities.has(type);
      const column = isReference ? `${fieldName}_id` : fieldName;
      if (SYSTEM_COLUMNS.includes(fieldName) || (fieldName === 'deleted_at' && isSoftDelete)) {
        out.push(
          diagnostic(
            'BLUEPRINT_NAME_COLLISION',
            { name: fieldName, other: `the generated column \`${fieldName}\`` },
            at(path, true),
            'The toolkit adds it to every table; remove the field.',
          ),
        );
        continue;
      }
      claim(column, `field \`${fieldName}\``, path);
      if (type === undefined) continue;
      if (!BUILTIN_TYPES.includes(type as never) && !enums.has(type) && !entities.has(type)) {
        out.push(
          diagnostic(
            'BLUEPRINT_UNKNOWN_TYPE',
            { type, field: fieldName },
            at(
              typeof entity.fields === 'object' && typeof (entity.fields as Dict)[fieldName] === 'string'
                ? path
                : [...path, 'type'],
            ),
            didYouMean(type, [...BUILTIN_TYPES, ...enums.keys(), ...entities.keys()]) ??
              'Use a built-in type, an enum under `enums`, or an entity name.',
          ),
        );
        continue;
      }
      checkFieldOptions(fieldName, field, type, isReference, enums, path);
      if (isReference && Array.isArray(entities.get(type)?.key)) {
        out.push(
          diagnostic(
            'BLUEPRINT_UNSUPPORTED_COMBINATION',
            { detail: `Field \`${fieldName}\` references \`${type}\`, which has a composite key` },
            at([...path, 'type']),
            'Reference an entity with an `id` key, or reference the parts of the key one by one.',
          ),
        );
      }
      if (isReference && field.optional !== true) {
        const list = requiredEdges.get(entityName) ?? [];
        list.push({ to: type, field: fieldName });
        requiredEdges.set(entityName, list);
      }
    }

    // computed columns
    for (const [name, definition] of computed) {
      const path: PathSegment[] = [...base, 'computed', name];
      if (!checkName(name, 'computed column', path)) continue;
      if (fields.has(name)) {
        out.push(
          diagnostic(
            'BLUEPRINT_DUPLICATE_NAME',
            { what: 'Column', name },
            at(path, true),
            'A computed column cannot share a name with a field.',
          ),
        );
        continue;
      }
      claim(name, `computed column \`${name}\``, path);
      if (isDict(definition) && definition.type === undefined && typeof definition.sql !== 'string') continue;
    }

    // the composite key
    if (key.length > 0) {
      if (entity.id !== undefined) {
        out.push(
          diagnostic(
            'BLUEPRINT_UNSUPPORTED_COMBINATION',
            { detail: `Entity \`${entityName}\` sets both \`id\` and \`key\`` },
            at([...base, 'id'], true),
            'A composite `key` replaces the `id` column; remove one of them.',
          ),
        );
      }
      key.forEach((name, index) => {
        const field = fields.get(name);
        if (!fields.has(name)) {
          out.push(
            diagnostic(
              'BLUEPRINT_UNKNOWN_FIELD',
              { field: name, where: '`key`', entity: entityName },
              at([...base, 'key', index]),
              didYouMean(name, fields.keys()),
            ),
          );
        } else if (field?.optional === true) {
          out.push(
            diagnostic(
              'BLUEPRINT_INVALID_KEY',
              { entity: entityName, detail: `key field \`${name}\` is optional; key columns are NOT NULL` },
              at([...base, 'key', index]),
            ),
          );
        } else if (field && typeof field.type === 'string' && ['json', 'text'].includes(field.type)) {
          out.push(
            diagnostic(
              'BLUEPRINT_INVALID_KEY',
              {
                entity: entityName,
                detail: `key field \`${name}\` has type ${field.type}, which makes a poor key`,
              },
              at([...base, 'key', index]),
            ),
          );
        }
      });
      if (new Set(key).size !== key.length) {
        out.push(
          diagnostic(
            'BLUEPRINT_INVALID_KEY',
            { entity: entityName, detail: 'a field is listed twice' },
            at([...base, 'key']),
          ),
        );
      }
    }

    // indexes, unique groups, search name fields of this entity
    const fieldNames = [
      ...(key.length === 0 ? ['id'] : []),
      ...fields.keys(),
      ...computed.keys(),
      ...(lifecycleField ? [lifecycleField] : []),
      'created_at',
      'updated_at',
    ];
    const checkFieldList = (list: unknown, where: string, path: PathSegment[], allowed = fieldNames) => {
      strings(list).forEach((name, index) => {
        if (!allowed.includes(name)) {
          out.push(
            diagnostic(
              'BLUEPRINT_UNKNOWN_FIELD',
              { field: name, where, entity: entityName },
              at([...path, index]),
              didYouMean(name, allowed),
            ),
          );
        }
      });
    };
    (Array.isArray(entity.indexes) ? entity.indexes : []).forEach((index, position) => {
      if (Array.isArray(index)) checkFieldList(index, '`indexes`', [...base, 'indexes', position]);
      else if (isDict(index))
        checkFieldList(index.fields, '`indexes`', [...base, 'indexes', position, 'fields']);
    });
    (Array.isArray(entity.unique) ? entity.unique : []).forEach((group, position) => {
      checkFieldList(
        group,
        '`unique`',
        [...base, 'unique', position],
        [...fields.keys(), ...(lifecycleField ? [lifecycleField] : [])],
      );
    });
    if (Array.isArray(entity.search)) {
      entity.search.forEach((name, index) => {
        if (typeof name !== 'string') return;
        const field = fields.get(name);
        if (!fields.has(name)) {
          out.push(
            diagnostic(
              'BLUEPRINT_UNKNOWN_FIELD',
              { field: name, where: '`search`', entity: entityName },
              at([...base, 'search', index]),
              didYouMean(name, fields.keys()),
            ),
          );
        } else if (field && typeof field.type === 'string' && !STRING_TYPES.has(field.type)) {
          out.push(
            diagnostic(
              'BLUEPRINT_INVALID_VALUE',
              {
                where: `\`entities.${entityName}.search\``,
                detail: `\`${name}\` has type ${field.type}; only text fields can be searched`,
              },
              at([...base, 'search', index]),
            ),
          );
        }
      });
    }

    // parent
    if (typeof entity.parent === 'string') {
      const parent = entity.parent;
      if (!entities.has(parent)) {
        out.push(
          diagnostic(
            'BLUEPRINT_UNKNOWN_ENTITY',
            { entity: parent, where: '`parent`' },
            at([...base, 'parent']),
            didYouMean(parent, entities.keys()),
          ),
        );
      } else {
        const pointing = [...fields].filter(([, field]) => field?.type === parent);
        if (pointing.length === 0) {
          out.push(
            diagnostic(
              'BLUEPRINT_MISSING_KEY',
              { key: `a field of type ${parent}`, where: `entity \`${entityName}\`` },
              at([...base, 'parent']),
              `Nested routes bind the parent through a reference field, e.g. \`${parent}: { type: ${parent}, on_delete: cascade }\`.`,
            ),
          );
        } else if (pointing.every(([, field]) => field?.optional === true)) {
          out.push(
            diagnostic(
              'BLUEPRINT_UNSUPPORTED_COMBINATION',
              {
                detail: `The reference to parent \`${parent}\` is optional; a nested row always has its parent`,
              },
              at([...base, 'parent']),
            ),
          );
        }
        const parentEntity = entities.get(parent);
        if (parentEntity && typeof parentEntity.parent === 'string') {
          out.push(
            diagnostic(
              'BLUEPRINT_UNSUPPORTED_COMBINATION',
              { detail: `\`${parent}\` is itself nested; routes nest one level deep` },
              at([...base, 'parent']),
            ),
          );
        }
        if (parent === entityName) {
          out.push(
            diagnostic(
              'BLUEPRINT_UNSUPPORTED_COMBINATION',
              { detail: `Entity \`${entityName}\` cannot be its own parent` },
              at([...base, 'parent']),
            ),
          );
        }
      }
    }

    // combinations
    const combination = (condition: boolean, detail: string, path: PathSegment[], hint?: string) => {
      if (condition)
        out.push(diagnostic('BLUEPRINT_UNSUPPORTED_COMBINATION', { detail }, at(path, true), hint));
    };
    combination(
      isAppendOnly && isSoftDelete,
      `Entity \`${entityName}\` is append_only and soft_delete: an append-only row is never deleted`,
      [...base, 'soft_delete'],
      'Remove `soft_delete`; record a reversing entry instead.',
    );
    combination(
      isAppendOnly && lifecycle !== undefined,
      `Entity \`${entityName}\` is append_only but has a lifecycle, which updates rows`,
      [...base, 'lifecycle'],
    );
    combination(
      isAppendOnly && entity.writable === false,
      `Entity \`${entityName}\`: append_only already limits writes to inserts; writable: false would refuse those too`,
      [...base, 'writable'],
      'Keep one of the two.',
    );
    combination(
      isAppendOnly &&
        isDict(entity.access) &&
        (entity.access.update !== undefined || entity.access.delete !== undefined),
      `Entity \`${entityName}\` is append_only; update and delete access have no meaning`,
      [...base, 'access'],
    );
    combination(
      key.length > 0 && isSoftDelete,
      `Entity \`${entityName}\` has a composite key and soft_delete: a deleted row would block the key forever`,
      [...base, 'soft_delete'],
    );

    // lifecycle
    if (lifecycle) checkLifecycle(entityName, lifecycle, base, checkAccess);

    // access
    for (const [operation, rule] of entries(entity.access)) checkAccess(rule, [...base, 'access', operation]);
    if (isDict(entity.access) && entity.access.write !== undefined) {
      for (const operation of ['create', 'update', 'delete']) {
        if (entity.access[operation] !== undefined) {
          out.push(
            diagnostic(
              'BLUEPRINT_UNSUPPORTED_COMBINATION',
              { detail: `\`access.write\` and \`access.${operation}\` both set` },
              at([...base, 'access', operation], true),
              '`write` is shorthand for create, update and delete; set one or the other.',
            ),
          );
        }
      }
    }

    // checks: names here; SQL is checked by sql-checks.ts
    for (const [name] of entries(entity.checks)) checkName(name, 'check', [...base, 'checks', name]);
  }

  // ── reference cycles that no optional field breaks ─────────────────────────────────────
  for (const cycle of findCycles(requiredEdges)) {
    const first = cycle[0]!;
    const cycleText = cycle.map((edge) => `${edge.from}.${edge.field} -> ${edge.to}`).join(', ');
    out.push(
      diagnostic(
        'BLUEPRINT_REFERENCE_CYCLE',
        { cycle: cycleText },
        at(['entities', first.from, 'fields', first.field], true),
        `Make one of them optional, e.g. \`${first.field}: { type: ${first.to}, optional: true }\`.`,
      ),
    );
  }

  return out;

  // ── helpers that need `out` ──────────────────────────────────────────────────────────────
  function checkFieldOptions(
    name: string,
    field: Dict,
    type: string,
    isReference: boolean,
    enumMap: Map<string, string[]>,
    path: PathSegment[],
  ) {
    const kind = isReference ? 'reference' : enumMap.has(type) ? 'enum' : type;
    const misplaced = (option: string, allowedFor: string) => {
      if (field[option] !== undefined) {
        out.push(
          diagnostic(
            'BLUEPRINT_UNSUPPORTED_COMBINATION',
            { detail: `\`${option}\` applies to ${allowedFor}, not to field \`${name}\` of type ${type}` },
            at([...path, option], true),
          ),
        );
      }
    };
    if (!isReference) misplaced('on_delete', 'references');
    if (kind !== 'decimal') {
      misplaced('precision', 'decimal fields');
      misplaced('scale', 'decimal fields');
    }
    if (!STRING_TYPES.has(kind)) {
      misplaced('length', 'text fields');
      misplaced('pattern', 'text fields');
    }
    if (!NUMERIC_TYPES.has(kind) && !STRING_TYPES.has(kind)) {
      misplaced('min', 'numbers and text fields');
      misplaced('max', 'numbers and text fields');
    }
    if (kind === 'json') misplaced('unique', 'comparable fields');
    if (field.on_delete === 'set_null' && field.optional !== true) {
      out.push(
        diagnostic(
          'BLUEPRINT_UNSUPPORTED_COMBINATION',
          { detail: `\`on_delete: set_null\` on required reference \`${name}\`` },
          at([...path, 'on_delete']),
          'Make the field `optional: true`, or choose restrict or cascade.',
        ),
      );
    }
    if (typeof field.min === 'number' && typeof field.max === 'number' && field.min > field.max) {
      out.push(
        diagnostic(
          'BLUEPRINT_INVALID_VALUE',
          { where: `field \`${name}\``, detail: `min ${field.min} is greater than max ${field.max}` },
          at([...path, 'min']),
        ),
      );
    }
    if (
      typeof field.scale === 'number' &&
      field.scale > (typeof field.precision === 'number' ? field.precision : 18)
    ) {
      out.push(
        diagnostic(
          'BLUEPRINT_INVALID_VALUE',
          { where: `field \`${name}\``, detail: 'scale is larger than precision' },
          at([...path, 'scale']),
        ),
      );
    }
    if (field.readonly === true && field.optional !== true && field.default === undefined) {
      out.push(
        diagnostic(
          'BLUEPRINT_UNSUPPORTED_COMBINATION',
          { detail: `Field \`${name}\` is readonly and required without a default: no insert could set it` },
          at([...path, 'readonly'], true),
          'Add a `default`, or make it `optional: true`.',
        ),
      );
    }
    if (typeof field.pattern === 'string') {
      try {
        new RegExp(field.pattern, 'u');
      } catch (error) {
        out.push(
          diagnostic(
            'BLUEPRINT_INVALID_VALUE',
            { where: `\`pattern\` of field \`${name}\``, detail: (error as Error).message },
            at([...path, 'pattern']),
          ),
        );
      }
    }
    if (field.default !== undefined) {
      const problem = checkValue(field.default, field, kind, enumMap.get(type));
      if (problem) {
        out.push(
          diagnostic(
            'BLUEPRINT_INVALID_DEFAULT',
            { value: JSON.stringify(field.default), field: name, detail: problem.detail },
            at([...path, 'default']),
            problem.hint,
          ),
        );
      }
    }
    if (field.example !== undefined) {
      const problem = checkValue(field.example, field, kind, enumMap.get(type));
      if (problem) {
        out.push(
          diagnostic(
            'BLUEPRINT_INVALID_VALUE',
            { where: `\`example\` of field \`${name}\``, detail: problem.detail },
            at([...path, 'example']),
            problem.hint,
          ),
        );
      }
    }
  }

  function checkLifecycle(
    entityName: string,
    lifecycle: Dict,
    base: PathSegment[],
    checkAccessRule: (rule: unknown, path: PathSegment[]) => void,
  ) {
    const path = [...base, 'lifecycle'];
    const states = strings(lifecycle.states);
    const stateSet = new Set(states);
    const problem = (detail: string, where: PathSegment[], hint?: string) =>
      out.push(diagnostic('BLUEPRINT_LIFECYCLE', { entity: entityName, detail }, at(where), hint));
    states.forEach((state, index) => {
      checkName(state, 'state', [...path, 'states', index]);
    });
    if (typeof lifecycle.initial === 'string' && !stateSet.has(lifecycle.initial)) {
      problem(
        `initial state \`${lifecycle.initial}\` is not in states`,
        [...path, 'initial'],
        didYouMean(lifecycle.initial, states),
      );
    }
    const seenEdges = new Map<string, string>();
    for (const [name, transition] of entries(lifecycle.transitions)) {
      const tpath = [...path, 'transitions', name];
      checkName(name, 'transition', tpath);
      if (!isDict(transition)) continue;
      const from = strings(transition.from);
      from.forEach((state, index) => {
        if (!stateSet.has(state)) {
          problem(
            `transition \`${name}\` starts from unknown state \`${state}\``,
            Array.isArray(transition.from) ? [...tpath, 'from', index] : [...tpath, 'from'],
            didYouMean(state, states),
          );
        }
      });
      if (typeof transition.to === 'string') {
        if (!stateSet.has(transition.to)) {
          problem(
            `transition \`${name}\` leads to unknown state \`${transition.to}\``,
            [...tpath, 'to'],
            didYouMean(transition.to, states),
          );
        } else if (from.includes(transition.to)) {
          problem(`transition \`${name}\` goes from \`${transition.to}\` to itself`, [...tpath, 'to']);
        }
        for (const state of from) {
          const edge = `${state}->${transition.to}`;
          const other = seenEdges.get(edge);
          if (other)
            problem(`transitions \`${other}\` and \`${name}\` both move ${state} to ${transition.to}`, tpath);
          seenEdges.set(edge, name);
        }
      }
      if (transition.roles !== undefined) checkAccessRule(transition.roles, [...tpath, 'roles']);
    }
  }
}

/** Checks a default or example against the field; returns what is wrong, or undefined. */
function checkValue(
  value: unknown,
  field: Dict,
  kind: string,
  enumValues: string[] | undefined,
): { detail: string; hint?: string } | undefined {
  if (value === null) return field.optional === true ? undefined : { detail: 'null on a required field' };
  switch (kind) {
    case 'enum':
      if (typeof value !== 'string' || !enumValues?.includes(value)) {
        return {
          detail: `not one of ${enumValues?.join(', ')}`,
          hint: typeof value === 'string' ? didYouMean(value, enumValues ?? []) : undefined,
        };
      }
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : { detail: 'expected true or false' };
    case 'integer':
    case 'bigint':
      if (typeof value !== 'number' || !Number.isInteger(value)) return { detail: 'expected an integer' };
      return checkBounds(value, field);
    case 'decimal': {
      const number = typeof value === 'string' ? Number(value) : value;
      if (typeof number !== 'number' || Number.isNaN(number)) return { detail: 'expected a decimal number' };
      return checkBounds(number, field);
    }
    case 'string':
    case 'text':
    case 'email':
    case 'url': {
      if (typeof value !== 'string') return { detail: 'expected a string' };
      if (typeof field.max === 'number' && value.length > field.max)
        return { detail: `longer than max ${field.max}` };
      if (typeof field.min === 'number' && value.length < field.min)
        return { detail: `shorter than min ${field.min}` };
      if (typeof field.length === 'number' && value.length !== field.length)
        return { detail: `length must be ${field.length}` };
      if (typeof field.pattern === 'string') {
        try {
          if (!new RegExp(field.pattern, 'u').test(value))
            return { detail: `does not match ${field.pattern}` };
        } catch {
          return undefined;
        }
      }
      if (kind === 'email' && !/^[^@\s]+@[^@\s]+$/.test(value)) return { detail: 'not an email address' };
      return undefined;
    }
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? undefined
        : { detail: 'expected YYYY-MM-DD' };
    case 'datetime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value))
        ? undefined
        : { detail: 'expected an ISO 8601 date-time' };
    case 'uuid':
      return typeof value === 'string' &&
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
        ? undefined
        : { detail: 'expected a UUID' };
    case 'reference':
      return { detail: 'a reference cannot have a fixed default or example value', hint: 'Remove it.' };
    default:
      return undefined;
  }
}

function checkBounds(value: number, field: Dict): { detail: string } | undefined {
  if (typeof field.min === 'number' && value < field.min) return { detail: `below min ${field.min}` };
  if (typeof field.max === 'number' && value > field.max) return { detail: `above max ${field.max}` };
  if (field.not !== undefined && Number(field.not) === value)
    return { detail: `equals the forbidden value ${field.not}` };
  return undefined;
}

interface Edge {
  from: string;
  to: string;
  field: string;
}

/** Elementary cycles over required references, each reported once (rotated to a canonical start). */
function findCycles(edges: Map<string, { to: string; field: string }[]>): Edge[][] {
  const cycles: Edge[][] = [];
  const seen = new Set<string>();
  const visit = (start: string, node: string, trail: Edge[], onTrail: Set<string>) => {
    for (const edge of edges.get(node) ?? []) {
      const step: Edge = { from: node, to: edge.to, field: edge.field };
      if (edge.to === start) {
        const cycle = [...trail, step];
        const signature = cycle
          .map((item) => `${item.from}.${item.field}`)
          .sort()
          .join('|');
        if (!seen.has(signature)) {
          seen.add(signature);
          cycles.push(cycle);
        }
      } else if (!onTrail.has(edge.to) && edge.to > start) {
        onTrail.add(edge.to);
        visit(start, edge.to, [...trail, step], onTrail);
        onTrail.delete(edge.to);
      }
    }
  };
  for (const start of [...edges.keys()].sort()) visit(start, start, [], new Set([start]));
  return cycles;
}
