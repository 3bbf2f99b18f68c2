/**
 * From a list request's query string to a checked `ListRequest`: every parameter is known, every
 * value parses for its field's kind, every sort/fields/include name exists. Anything else is a
 * 400 `MALFORMED_REQUEST` naming the parameter (docs/api.md, "Lists").
 */
import type { Field, Relation } from '../../blueprint/model.js';
import { ArchitectError } from '../../errors.js';
import { decodeCursor } from './cursor.js';
import type { EntityPlan } from './entity-plan.js';
import {
  FILTER_OPERATORS,
  type Filter,
  type FilterOperator,
  likePattern,
  operatorsFor,
  prefixPattern,
} from './filters.js';
import { INVALID, parseValue } from './values.js';

export interface SortKey {
  readonly field: Field;
  readonly descending: boolean;
}

/** A relation to embed, with the relations to embed inside it (`include=lines.product`). */
export interface IncludeNode {
  readonly relation: Relation;
  readonly children: readonly IncludeNode[];
}

export interface ListRequest {
  readonly limit: number;
  /**
   * Sort keys, up to the first unique non-null one, which orders the rows alone; without one,
   * the key fields appended as tie-breakers.
   */
  readonly sort: readonly SortKey[];
  /** The `sort` parameter as given (normalized), which a cursor is bound to. */
  readonly sortText: string;
  /** Sort values of the last row of the previous page. */
  readonly after?: readonly unknown[];
  readonly filters: readonly Filter[];
  readonly search?: string;
  /** Properties to return; undefined means all. Always holds the key. */
  readonly fields?: readonly Field[];
  readonly include: readonly IncludeNode[];
  readonly count: boolean;
}

/** How deep `include=a.b.c` may nest. */
export const MAX_INCLUDE_DEPTH = 3;

const RESERVED = new Set(['limit', 'cursor', 'sort', 'fields', 'include', 'q', 'count']);
const FILTER_KEY = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[([a-z]+)\])?$/;

function malformed(detail: string): ArchitectError {
  return new ArchitectError('MALFORMED_REQUEST', { detail });
}

/**
 * The items of an `in` list (`status[in]=draft,submitted`): separated by commas, where an item
 * in double quotes may hold commas, with `\"` and `\\` for a quote and a backslash inside
 * (PostgREST's quoting: `name[in]="Smith, J",Jones`). Refused: a quote left open, or anything
 * but a comma after a closing quote. `name` is the parameter, for the message.
 */
export function splitInList(name: string, text: string): string[] {
  if (!text.includes('"')) return text.split(',');
  const items: string[] = [];
  let at = 0;
  for (;;) {
    if (text[at] !== '"') {
      const comma = text.indexOf(',', at);
      items.push(text.slice(at, comma === -1 ? undefined : comma));
      if (comma === -1) return items;
      at = comma + 1;
      continue;
    }
    let item = '';
    let closed = false;
    for (at += 1; at < text.length; at += 1) {
      const char = text[at]!;
      if (char === '\\' && at + 1 < text.length) item += text[++at];
      else if (char === '"') {
        closed = true;
        break;
      } else item += char;
    }
    if (!closed) throw malformed(`${name}: a quoted value is not closed`);
    items.push(item);
    at += 1;
    if (at === text.length) return items;
    if (text[at] !== ',') throw malformed(`${name}: a quoted value must be followed by a comma`);
    at += 1;
  }
}

/** One query-string value as text; Fastify may have coerced it, or repeated keys made a list. */
function single(name: string, value: unknown): string {
  if (Array.isArray(value)) throw malformed(`query parameter ${name} is given more than once`);
  return String(value);
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/**
 * Parse a list request. `plans` resolves the entities named by relations (for `include`).
 *
 * @example
 * ```ts
 * const request = parseListQuery(plan, plans, { limit: '20', sort: '-number', 'status[in]': 'draft,submitted' });
 * ```
 */
export function parseListQuery(
  plan: EntityPlan,
  plans: ReadonlyMap<string, EntityPlan>,
  query: Readonly<Record<string, unknown>>,
): ListRequest {
  const { pagination } = plan.model.api;
  let limit: number = pagination.defaultLimit;
  let sortParam = '';
  let cursor: string | undefined;
  let search: string | undefined;
  let fields: Field[] | undefined;
  let include: IncludeNode[] = [];
  let count = false;
  const filters: Filter[] = [];

  for (const [name, raw] of Object.entries(query)) {
    if (raw === undefined) continue;
    if (RESERVED.has(name)) {
      const text = single(name, raw);
      switch (name) {
        case 'limit': {
          const value = Number(text);
          if (!/^\d+$/.test(text) || value < 1 || value > pagination.maxLimit) {
            throw malformed(`limit must be an integer from 1 to ${pagination.maxLimit}`);
          }
          limit = value;
          break;
        }
        case 'cursor':
          cursor = text;
          break;
        case 'sort':
          sortParam = text;
          break;
        case 'q':
          if (!plan.entity.search)
            throw malformed(`q is not available: ${plan.entity.tag} declares no search fields`);
          if (text.trim() === '') throw malformed('q must not be empty');
          search = text;
          break;
        case 'fields':
          fields = parseFields(plan, text);
          break;
        case 'include':
          include = parseInclude(plan, plans, text);
          break;
        case 'count':
          if (text !== 'true' && text !== 'false') throw malformed('count must be true or false');
          count = text === 'true';
          break;
      }
      continue;
    }
    filters.push(parseFilter(plan, name, raw));
  }

  const { sort, sortText } = parseSort(plan, sortParam);
  const after =
    cursor === undefined ? undefined : parseCursorValues(sort, decodeCursor(cursor, sortText, sort.length));
  return { limit, sort, sortText, after, filters, search, fields, include, count };
}

function parseFilter(plan: EntityPlan, name: string, raw: unknown): Filter {
  const match = FILTER_KEY.exec(name);
  const field = match ? plan.byProperty.get(match[1]!) : undefined;
  if (!match || !field) throw malformed(`unknown query parameter ${name}`);
  const operator = (match[2] ?? 'eq') as FilterOperator;
  const allowed = operatorsFor(field);
  if (!FILTER_OPERATORS.includes(operator) || !allowed.includes(operator)) {
    throw malformed(
      allowed.length === 0
        ? `${field.property} cannot be filtered`
        : `${name}: operator ${operator} is not available for ${field.property} (use ${allowed.join(', ')})`,
    );
  }
  const text = single(name, raw);
  const parse = (part: string) => {
    const value = parseValue(field, part);
    if (value === INVALID)
      throw malformed(`${name}: ${JSON.stringify(part)} is not a valid ${field.kind} value`);
    return value;
  };
  switch (operator) {
    case 'in': {
      const parts = splitInList(name, text);
      if (parts.length > 1000) throw malformed(`${name}: at most 1000 values`);
      return { field, operator, value: parts.map(parse) };
    }
    case 'is':
      if (text !== 'null' && text !== 'notnull') throw malformed(`${name} must be null or notnull`);
      return { field, operator, value: text };
    case 'like':
    case 'ilike':
      return { field, operator, value: likePattern(text) };
    case 'prefix':
      return { field, operator, value: prefixPattern(text) };
    default:
      return { field, operator, value: parse(text) };
  }
}

function parseSort(plan: EntityPlan, text: string): { sort: SortKey[]; sortText: string } {
  const sort: SortKey[] = [];
  for (const token of list(text)) {
    const descending = token.startsWith('-');
    const property = descending ? token.slice(1) : token;
    const field = plan.byProperty.get(property);
    if (!field?.sortable) {
      const sortable = plan.fields
        .filter((candidate) => candidate.sortable)
        .map((candidate) => candidate.property);
      throw malformed(`sort: ${property} is not sortable (use ${sortable.join(', ')})`);
    }
    if (sort.some((key) => key.field === field)) throw malformed(`sort: ${property} is given twice`);
    sort.push({ field, descending });
  }
  const sortText = sort.map((key) => (key.descending ? '-' : '') + key.field.property).join(',');
  // A unique, non-null field orders the rows a list can see (live ones: a soft-deleted entity's
  // unique index covers those) on its own, so the keys after it, and the key as tie-breaker,
  // would only cost a sort step on top of its index: `ORDER BY sku` reads the unique index in
  // order, `ORDER BY sku, id` reads it and sorts each run of equal skus.
  const total = sort.findIndex((key) => key.field.unique && !key.field.nullable);
  if (total >= 0) return { sort: sort.slice(0, total + 1), sortText };
  for (const field of plan.keyFields) {
    if (!sort.some((key) => key.field === field)) sort.push({ field, descending: false });
  }
  return { sort, sortText };
}

function parseCursorValues(sort: readonly SortKey[], values: unknown[]): unknown[] {
  return sort.map(({ field }, index) => {
    const value = values[index];
    if (value === null && field.nullable) return null;
    const parsed = value === null ? INVALID : parseValue(field, String(value));
    if (parsed === INVALID) throw malformed('cursor is not a cursor this API issued');
    return parsed;
  });
}

function parseFields(plan: EntityPlan, text: string): Field[] {
  const chosen = new Set<Field>(plan.keyFields);
  for (const property of list(text)) {
    const field = plan.byProperty.get(property);
    if (!field) throw malformed(`fields: unknown property ${property}`);
    chosen.add(field);
  }
  return plan.fields.filter((field) => chosen.has(field));
}

function parseInclude(plan: EntityPlan, plans: ReadonlyMap<string, EntityPlan>, text: string): IncludeNode[] {
  interface MutableNode {
    relation: Relation;
    children: MutableNode[];
  }
  const roots: MutableNode[] = [];
  for (const path of list(text)) {
    const names = path.split('.');
    if (names.length > MAX_INCLUDE_DEPTH)
      throw malformed(`include: ${path} nests deeper than ${MAX_INCLUDE_DEPTH}`);
    let level = roots;
    let current = plan;
    for (const name of names) {
      const relation = current.entity.relations.find((candidate) => candidate.name === name);
      if (!relation) {
        const known = current.entity.relations.map((candidate) => candidate.name);
        throw malformed(
          `include: ${current.entity.tag} has no relation ${name}${known.length ? ` (use ${known.join(', ')})` : ''}`,
        );
      }
      let node = level.find((candidate) => candidate.relation === relation);
      if (!node) {
        node = { relation, children: [] };
        level.push(node);
      }
      level = node.children;
      current = plans.get(relation.entity)!;
    }
  }
  return roots;
}
