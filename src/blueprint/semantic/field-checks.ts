/**
 * Fields of one entity: names, types that resolve, options that fit the type, defaults and
 * examples that fit the field, and columns (declared, generated, lifecycle, computed) that do not
 * collide with each other, with their JSON properties, or with PostgreSQL reserved words.
 */
import { isReservedWord } from '../../sql/identifiers.js';
import { didYouMean } from '../diagnostics.js';
import { BUILTIN_TYPES } from '../model.js';
import { camelCase } from '../naming.js';
import type { PathSegment } from '../source.js';
import {
  type Dict,
  type EntityScope,
  isDict,
  NUMERIC_TYPES,
  type SemanticContext,
  STRING_TYPES,
  SYSTEM_COLUMNS,
} from './context.js';
import { checkValue } from './field-values.js';
import { checkName } from './name-checks.js';

/** A required reference, an edge of the graph searched for cycles. */
export interface ReferenceEdge {
  readonly from: string;
  readonly to: string;
  readonly field: string;
}

/** Check the fields and computed columns of one entity; returns its required references. */
export function checkFields(context: SemanticContext, scope: EntityScope): ReferenceEdge[] {
  const { at, report, entities, enums } = context;
  const edges: ReferenceEdge[] = [];
  const columns = createColumnRegistry(context, scope);

  for (const [fieldName, field] of scope.fields) {
    const path: PathSegment[] = [...scope.base, 'fields', fieldName];
    if (!checkName(context, fieldName, 'field', path)) continue;
    if (!field) continue;
    const type = typeof field.type === 'string' ? field.type : undefined;
    const isReference = type !== undefined && entities.has(type);
    if (
      (SYSTEM_COLUMNS as readonly string[]).includes(fieldName) ||
      (fieldName === 'deleted_at' && scope.isSoftDelete)
    ) {
      report(
        'BLUEPRINT_NAME_COLLISION',
        { name: fieldName, other: `the generated column \`${fieldName}\`` },
        at(path, true),
        'The toolkit adds it to every table; remove the field.',
      );
      continue;
    }
    // A field named like the lifecycle column is reported once, by the registry.
    if (scope.lifecycleField !== fieldName) {
      columns.claim(isReference ? `${fieldName}_id` : fieldName, `field \`${fieldName}\``, path);
    }
    if (type === undefined) continue;
    if (!(BUILTIN_TYPES as readonly string[]).includes(type) && !enums.has(type) && !isReference) {
      const isShorthand = isDict(scope.raw.fields) && typeof scope.raw.fields[fieldName] === 'string';
      report(
        'BLUEPRINT_UNKNOWN_TYPE',
        { type, field: fieldName },
        at(isShorthand ? path : [...path, 'type']),
        didYouMean(type, [...BUILTIN_TYPES, ...enums.keys(), ...entities.keys()]) ??
          'Use a built-in type, an enum under `enums`, or an entity name.',
      );
      continue;
    }
    checkFieldOptions(context, fieldName, field, type, isReference, path);
    if (isReference && Array.isArray(entities.get(type)?.key)) {
      report(
        'BLUEPRINT_UNSUPPORTED_COMBINATION',
        { detail: `Field \`${fieldName}\` references \`${type}\`, which has a composite key` },
        at(typeof (scope.raw.fields as Dict)[fieldName] === 'string' ? path : [...path, 'type']),
        'Reference an entity with an `id` key, or reference the parts of its key one by one.',
      );
    }
    if (isReference && field.optional !== true) edges.push({ from: scope.name, to: type, field: fieldName });
  }

  for (const [name] of scope.computed) {
    const path: PathSegment[] = [...scope.base, 'computed', name];
    if (!checkName(context, name, 'computed column', path)) continue;
    if (scope.fields.has(name)) {
      report(
        'BLUEPRINT_DUPLICATE_NAME',
        { what: 'Column', name },
        at(path, true),
        'A computed column cannot share a name with a field; rename one of them.',
      );
      continue;
    }
    columns.claim(name, `computed column \`${name}\``, path);
  }
  return edges;
}

/**
 * Columns of one table and what produced each. A second claim on a column, or on the JSON
 * property it maps to (`a_b` and `a__b` are both `aB`), is a collision.
 */
function createColumnRegistry(context: SemanticContext, scope: EntityScope) {
  const { at, report } = context;
  const columns = new Map<string, string>();
  const properties = new Map<string, string>();
  const reserve = (column: string, producer: string) => {
    columns.set(column, producer);
    properties.set(camelCase(column), column);
  };
  if (scope.key.length === 0) reserve('id', 'the generated key column `id`');
  for (const column of SYSTEM_COLUMNS.slice(1)) reserve(column, `the generated column \`${column}\``);
  if (scope.isSoftDelete) reserve('deleted_at', 'the soft-delete column `deleted_at`');
  if (Array.isArray(scope.raw.search))
    reserve('search_vector', 'the full-text search column `search_vector`');

  const claim = (column: string, producer: string, path: readonly PathSegment[]) => {
    const existing = columns.get(column);
    const propertyOwner = properties.get(camelCase(column));
    if (existing) {
      report('BLUEPRINT_NAME_COLLISION', { name: column, other: existing }, at(path, true));
    } else if (propertyOwner) {
      report(
        'BLUEPRINT_NAME_COLLISION',
        { name: column, other: `column \`${propertyOwner}\` (both are \`${camelCase(column)}\` in JSON)` },
        at(path, true),
      );
    } else {
      reserve(column, producer);
    }
    if (isReservedWord(column)) {
      report(
        'BLUEPRINT_RESERVED_WORD',
        { name: column },
        at(path, true),
        `Pick another name, e.g. \`${scope.name}_${column}\`.`,
      );
    }
  };

  if (scope.lifecycleField) {
    const lifecyclePath = [...scope.base, 'lifecycle'];
    if (scope.fields.has(scope.lifecycleField)) {
      report(
        'BLUEPRINT_NAME_COLLISION',
        { name: scope.lifecycleField, other: 'the lifecycle state column' },
        at([...scope.base, 'fields', scope.lifecycleField], true),
        'Remove the field; the lifecycle creates and guards it.',
      );
      reserve(scope.lifecycleField, 'the lifecycle state column');
    } else {
      claim(
        scope.lifecycleField,
        'the lifecycle state column',
        isDict(scope.lifecycle) && scope.lifecycle.field !== undefined
          ? [...lifecyclePath, 'field']
          : lifecyclePath,
      );
    }
  }
  return { claim };
}

function checkFieldOptions(
  context: SemanticContext,
  name: string,
  field: Dict,
  type: string,
  isReference: boolean,
  path: readonly PathSegment[],
): void {
  const { at, report, enums } = context;
  const kind = isReference ? 'reference' : enums.has(type) ? 'enum' : type;
  const misplaced = (option: string, allowedFor: string) => {
    if (field[option] !== undefined) {
      report(
        'BLUEPRINT_UNSUPPORTED_COMBINATION',
        { detail: `\`${option}\` applies to ${allowedFor}, not to field \`${name}\` of type ${type}` },
        at([...path, option], true),
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
    report(
      'BLUEPRINT_UNSUPPORTED_COMBINATION',
      { detail: `\`on_delete: set_null\` on required reference \`${name}\`` },
      at([...path, 'on_delete']),
      'Make the field `optional: true`, or choose restrict or cascade.',
    );
  }
  if (typeof field.min === 'number' && typeof field.max === 'number' && field.min > field.max) {
    report(
      'BLUEPRINT_INVALID_VALUE',
      { where: `field \`${name}\``, detail: `min ${field.min} is greater than max ${field.max}` },
      at([...path, 'min']),
    );
  }
  if (STRING_TYPES.has(kind) && typeof field.min === 'number' && field.min < 0) {
    report(
      'BLUEPRINT_INVALID_VALUE',
      { where: `field \`${name}\``, detail: 'a minimum length cannot be negative' },
      at([...path, 'min']),
    );
  }
  const precision = typeof field.precision === 'number' ? field.precision : 18;
  if (typeof field.scale === 'number' && field.scale > precision) {
    report(
      'BLUEPRINT_INVALID_VALUE',
      { where: `field \`${name}\``, detail: `scale ${field.scale} is larger than precision ${precision}` },
      at([...path, 'scale']),
    );
  }
  if (field.readonly === true && field.optional !== true && field.default === undefined) {
    report(
      'BLUEPRINT_UNSUPPORTED_COMBINATION',
      { detail: `Field \`${name}\` is readonly and required without a default: no insert could set it` },
      at([...path, 'readonly'], true),
      'Add a `default`, or make it `optional: true`.',
    );
  }
  if (typeof field.pattern === 'string') {
    try {
      new RegExp(field.pattern, 'u');
    } catch (error) {
      report(
        'BLUEPRINT_INVALID_VALUE',
        { where: `\`pattern\` of field \`${name}\``, detail: (error as Error).message },
        at([...path, 'pattern']),
      );
    }
  }
  const enumValues = enums.get(type);
  if (field.default !== undefined) {
    const problem = checkValue(field.default, field, kind, enumValues);
    if (problem) {
      report(
        'BLUEPRINT_INVALID_DEFAULT',
        { value: JSON.stringify(field.default), field: name, detail: problem.detail },
        at([...path, 'default']),
        problem.hint,
      );
    }
  }
  if (field.example !== undefined) {
    const problem = checkValue(field.example, field, kind, enumValues);
    if (problem) {
      report(
        'BLUEPRINT_INVALID_VALUE',
        { where: `\`example\` of field \`${name}\``, detail: problem.detail },
        at([...path, 'example']),
        problem.hint,
      );
    }
  }
}
