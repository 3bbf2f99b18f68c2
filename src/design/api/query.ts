/**
 * Query parameters (docs/api.md, "Lists"): paging, sort, sparse fields, include, count, search
 * and one `deepObject` filter per property. Each operation gets them twice from the same specs:
 * as documented parameters, and as the flat querystring schema the runtime validates
 * (`status[in]` is one key to Fastify's parser).
 */
import type { Entity, Field, FieldKind, Model } from '../../blueprint/model.js';
import { commaListSchema } from './comma-lists.js';
import { includableRelations } from './entity-schemas.js';
import { urlValueSchema } from './field-schemas.js';
import type { FilterOperator, FilterSpec, JsonSchema, QueryParameter } from './types.js';

const EQUALITY: readonly FilterOperator[] = ['eq', 'ne', 'in'];
const RANGE: readonly FilterOperator[] = ['lt', 'lte', 'gt', 'gte'];
const TEXT: readonly FilterOperator[] = ['like', 'ilike', 'prefix'];

/** Operators per kind, before `is` (nullable fields only). Json fields are not filterable. */
const OPERATORS: Record<FieldKind, readonly FilterOperator[]> = {
  string: [...EQUALITY, ...TEXT],
  text: [...EQUALITY, ...TEXT],
  email: [...EQUALITY, ...TEXT],
  url: [...EQUALITY, ...TEXT],
  integer: [...EQUALITY, ...RANGE],
  bigint: [...EQUALITY, ...RANGE],
  decimal: [...EQUALITY, ...RANGE],
  date: [...EQUALITY, ...RANGE],
  datetime: [...EQUALITY, ...RANGE],
  boolean: EQUALITY,
  uuid: EQUALITY,
  enum: EQUALITY,
  reference: EQUALITY,
  json: [],
};

const OPERATOR_ORDER: readonly FilterOperator[] = [
  'eq',
  'ne',
  'in',
  'is',
  'lt',
  'lte',
  'gt',
  'gte',
  'like',
  'ilike',
  'prefix',
];

const OPERATOR_MEANING: Record<FilterOperator, string> = {
  eq: 'equal to',
  ne: 'not equal to',
  in: 'one of (comma list; an item in double quotes may hold commas, with \\" and \\\\ inside)',
  is: '`null` or `notnull`',
  lt: 'less than',
  lte: 'at most',
  gt: 'greater than',
  gte: 'at least',
  like: 'matches, case-sensitive, `*` as the wildcard',
  ilike: 'matches, ignoring case, `*` as the wildcard',
  prefix: 'starts with',
};

function listSchema(field: Field): JsonSchema {
  const value = urlValueSchema(field);
  if (field.kind === 'enum') return commaListSchema({ of: 'name', names: field.enum?.values ?? [] });
  if (value.format === 'uuid') return commaListSchema({ of: 'uuid' });
  if (value.type === 'integer') return commaListSchema({ of: 'integer' });
  if (field.kind === 'decimal') return commaListSchema({ of: 'decimal' });
  if (field.kind === 'boolean') return commaListSchema({ of: 'boolean' });
  if (field.kind === 'date') return commaListSchema({ of: 'date' });
  return { type: 'string' };
}

/** Query parameter names that are not filters; a field with one of these names is not filterable. */
export const RESERVED_QUERY_NAMES: ReadonlySet<string> = new Set([
  'limit',
  'cursor',
  'sort',
  'fields',
  'include',
  'count',
  'q',
  'mode',
]);

/** Filter specs of an entity: every field but json ones, in column order. */
export function entityFilters(entity: Entity): FilterSpec[] {
  return entity.fields
    .filter((field) => OPERATORS[field.kind].length > 0 && !RESERVED_QUERY_NAMES.has(field.property))
    .map((field) => {
      const operators = new Set(OPERATORS[field.kind]);
      if (field.nullable) operators.add('is');
      return {
        property: field.property,
        field: field.name,
        column: field.column,
        operators: OPERATOR_ORDER.filter((operator) => operators.has(operator)),
        value: urlValueSchema(field),
        list: listSchema(field),
      };
    });
}

function operatorSchema(filter: FilterSpec, operator: FilterOperator): JsonSchema {
  if (operator === 'in') return filter.list;
  if (operator === 'is') return { type: 'string', enum: ['null', 'notnull'] };
  if (operator === 'like' || operator === 'ilike' || operator === 'prefix') return { type: 'string' };
  return filter.value;
}

/** The documented `deepObject` parameter of one filter. */
export function filterParameter(filter: FilterSpec): QueryParameter {
  const properties: Record<string, JsonSchema> = {};
  for (const operator of filter.operators) {
    properties[operator] = { ...operatorSchema(filter, operator), description: OPERATOR_MEANING[operator] };
  }
  return {
    name: filter.property,
    description: `Filter on \`${filter.property}\`: \`${filter.property}[<op>]=<value>\` with op ${filter.operators.map((op) => `\`${op}\``).join(', ')}; \`${filter.property}=<value>\` is short for \`eq\`.`,
    schema: { type: 'object', properties, additionalProperties: false },
    required: false,
    style: 'deepObject',
  };
}

/** The flat querystring keys of one filter: `status` (eq shorthand) and `status[op]`. */
function flatFilterProperties(filter: FilterSpec): Record<string, JsonSchema> {
  const properties: Record<string, JsonSchema> = { [filter.property]: filter.value };
  for (const operator of filter.operators) {
    properties[`${filter.property}[${operator}]`] = operatorSchema(filter, operator);
  }
  return properties;
}

/** The querystring schema the runtime validates, built from the documented parameters. */
export function flatQuerySchema(
  parameters: readonly QueryParameter[],
  filters: readonly FilterSpec[],
): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const parameter of parameters) {
    if (parameter.style === 'deepObject') continue;
    properties[parameter.name] = parameter.schema;
  }
  for (const filter of filters) Object.assign(properties, flatFilterProperties(filter));
  return { type: 'object', properties, additionalProperties: false };
}

/** Shared parameters, documented once under `components.parameters`. */
export function pagingParameters(model: Model): QueryParameter[] {
  const { defaultLimit, maxLimit } = model.api.pagination;
  return [
    {
      name: 'limit',
      description: `Page size, 1 to ${maxLimit}.`,
      schema: { type: 'integer', minimum: 1, maximum: maxLimit, default: defaultLimit },
      required: false,
      component: 'Limit',
    },
    {
      name: 'cursor',
      description: 'Opaque cursor from `page.nextCursor` of the previous page (bound to its sort).',
      schema: { type: 'string', minLength: 1, maxLength: 2048, pattern: '^[A-Za-z0-9_-]+$' },
      required: false,
      component: 'Cursor',
    },
  ];
}

/** `sort` of an entity, or undefined when nothing is sortable. */
function sortParameter(entity: Entity, sortable: readonly string[]): QueryParameter | undefined {
  if (sortable.length === 0) return undefined;
  return {
    name: 'sort',
    description: `Comma list of ${sortable.map((name) => `\`${name}\``).join(', ')}; \`-\` for descending. Default: the key ascending; the key always breaks ties.`,
    schema: commaListSchema({ of: 'name', names: sortable, descending: true }),
    required: false,
    component: `${entity.pascalName}Sort`,
  };
}

/** `fields` and `include`, shared by the list and the read of an entity. */
export function representationParameters(model: Model, entity: Entity): QueryParameter[] {
  const properties = entity.fields.map((field) => field.property);
  const parameters: QueryParameter[] = [
    {
      name: 'fields',
      description: 'Comma list of properties to return (sparse fieldset); the key is always returned.',
      schema: commaListSchema({ of: 'name', names: properties }),
      required: false,
      component: `${entity.pascalName}Fields`,
    },
  ];
  const relations = includableRelations(model, entity).map((relation) => relation.name);
  if (relations.length > 0) {
    parameters.push({
      name: 'include',
      description: `Comma list of relations to embed: ${relations.map((name) => `\`${name}\``).join(', ')}; a dotted path embeds the next level, up to 3 (\`${relations[0]}.<relation>\`).`,
      // Deeper levels (`lines.product`, up to 3) name the next entity's relations; the runtime checks them.
      schema: commaListSchema({ of: 'name', names: relations, dotted: true }),
      required: false,
      component: `${entity.pascalName}Include`,
    });
  }
  return parameters;
}

/** Sortable properties: the key, fields that lead an index, the lifecycle state. */
export function sortableProperties(entity: Entity): string[] {
  return entity.fields.filter((field) => field.sortable).map((field) => field.property);
}

/** Every documented query parameter of a list. */
export function listParameters(
  model: Model,
  entity: Entity,
  filters: readonly FilterSpec[],
): QueryParameter[] {
  const parameters: QueryParameter[] = [...pagingParameters(model)];
  const sort = sortParameter(entity, sortableProperties(entity));
  if (sort) parameters.push(sort);
  parameters.push(...representationParameters(model, entity));
  parameters.push({
    name: 'count',
    description: '`true` adds `page.count`, an exact count of the matching rows (a second query).',
    schema: { type: 'boolean', default: false },
    required: false,
    component: 'Count',
  });
  if (entity.search) {
    parameters.push({
      name: 'q',
      description: `Full-text search over ${entity.search.fields.map((name) => `\`${name}\``).join(', ')}.`,
      schema: { type: 'string', minLength: 1, maxLength: 200 },
      required: false,
      component: 'Search',
    });
  }
  parameters.push(...filters.map(filterParameter));
  return parameters;
}

/** `mode` of a bulk request. */
export const BULK_MODE_PARAMETER: QueryParameter = {
  name: 'mode',
  description: '`atomic`: all or nothing; `partial`: every item on its own (207 when some fail).',
  schema: { type: 'string', enum: ['atomic', 'partial'], default: 'atomic' },
  required: false,
  component: 'BulkMode',
};

/** Filters of `GET /audit`. */
export function auditFilters(model: Model): FilterSpec[] {
  const name = (camel: string, snake: string) => (model.api.jsonCase === 'camel' ? camel : snake);
  const audited = model.entities.filter((entity) => entity.audit).map((entity) => entity.name);
  const actions = ['create', 'update', 'delete', 'transition'];
  const text: JsonSchema = { type: 'string', minLength: 1 };
  return [
    {
      property: 'entity',
      field: '',
      column: 'entity',
      operators: ['eq', 'in'],
      value: { type: 'string', enum: audited },
      list: commaListSchema({ of: 'name', names: audited }),
    },
    {
      property: name('entityId', 'entity_id'),
      field: '',
      column: 'entity_id',
      operators: ['eq'],
      value: text,
      list: text,
    },
    {
      property: 'action',
      field: '',
      column: 'action',
      operators: ['eq', 'in'],
      value: { type: 'string', enum: actions },
      list: commaListSchema({ of: 'name', names: actions }),
    },
    { property: 'actor', field: '', column: 'actor', operators: ['eq'], value: text, list: text },
    {
      property: name('createdAt', 'created_at'),
      field: '',
      column: 'created_at',
      operators: RANGE,
      value: { type: 'string', format: 'date-time' },
      list: text,
    },
  ];
}
