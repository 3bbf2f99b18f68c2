/**
 * Filter operators: which ones each field kind accepts (docs/api.md, "Lists") and the SQL each
 * one renders. Dispatch is by kind and by operator through records, so both lists stay complete.
 */
import type { Field, FieldKind } from '../../blueprint/model.js';
import type { EntityPlan } from './entity-plan.js';
import { arrayLiteral, type Binder, qualified } from './sql.js';

export type FilterOperator =
  | 'eq'
  | 'ne'
  | 'lt'
  | 'lte'
  | 'gt'
  | 'gte'
  | 'in'
  | 'is'
  | 'like'
  | 'ilike'
  | 'prefix';

export const FILTER_OPERATORS: readonly FilterOperator[] = [
  'eq',
  'ne',
  'lt',
  'lte',
  'gt',
  'gte',
  'in',
  'is',
  'like',
  'ilike',
  'prefix',
];

export interface Filter {
  readonly field: Field;
  readonly operator: FilterOperator;
  /** Parsed value: a scalar, an array for `in`, `'null' | 'notnull'` for `is`, a LIKE pattern for the string operators. */
  readonly value: unknown;
}

const BASE: readonly FilterOperator[] = ['eq', 'ne', 'in', 'is'];
const ORDERED: readonly FilterOperator[] = [...BASE, 'lt', 'lte', 'gt', 'gte'];
const TEXTUAL: readonly FilterOperator[] = [...BASE, 'like', 'ilike', 'prefix'];

/** Operators per kind; `json` is not filterable. */
export const OPERATORS_BY_KIND: Record<FieldKind, readonly FilterOperator[]> = {
  string: TEXTUAL,
  text: TEXTUAL,
  email: TEXTUAL,
  url: TEXTUAL,
  integer: ORDERED,
  bigint: ORDERED,
  decimal: ORDERED,
  date: ORDERED,
  datetime: ORDERED,
  boolean: BASE,
  uuid: BASE,
  enum: BASE,
  reference: BASE,
  json: [],
};

/** The operators a field accepts (`is` only for nullable fields). */
export function operatorsFor(field: Field): readonly FilterOperator[] {
  const operators = OPERATORS_BY_KIND[field.kind];
  return field.nullable ? operators : operators.filter((operator) => operator !== 'is');
}

/** `*` is the wildcard; `%`, `_` and `\` in the value match themselves. */
export function likePattern(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`).replace(/\*/g, '%');
}

export function prefixPattern(text: string): string {
  return `${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

type Renderer = (column: string, filter: Filter, plan: EntityPlan, binder: Binder) => string;

const compare =
  (sqlOperator: string): Renderer =>
  (column, filter, plan, binder) =>
    `${column} ${sqlOperator} ${plan.cast(filter.field, binder.bind(plan.toParam(filter.field, filter.value)))}`;

const RENDERERS: Record<FilterOperator, Renderer> = {
  eq: compare('='),
  ne: compare('<>'),
  lt: compare('<'),
  lte: compare('<='),
  gt: compare('>'),
  gte: compare('>='),
  // One array literal, not a JavaScript array: postgres.js sent `[true, false]` as a boolean.
  in: (column, filter, plan, binder) => {
    const values = (filter.value as unknown[]).map((value) => plan.toParam(filter.field, value));
    return `${column} = ANY(${plan.cast(filter.field, binder.bind(arrayLiteral(values)))}[])`;
  },
  is: (column, filter) => `${column} IS ${filter.value === 'null' ? 'NULL' : 'NOT NULL'}`,
  like: (column, filter, _plan, binder) => `${column} LIKE ${binder.bind(filter.value)}`,
  ilike: (column, filter, _plan, binder) => `${column} ILIKE ${binder.bind(filter.value)}`,
  prefix: (column, filter, _plan, binder) => `${column} LIKE ${binder.bind(filter.value)}`,
};

export function renderFilter(filter: Filter, plan: EntityPlan, binder: Binder, alias: string): string {
  return RENDERERS[filter.operator](qualified(alias, filter.field.column), filter, plan, binder);
}
