/**
 * Comma lists in query parameters (`sort=-sku,id`, `fields=`, `include=`, `status[in]=`,
 * `id[in]=`): their pattern, and the `x-list` keyword that says what the items are beside it, so
 * a refused value is answered with the items it got wrong and what they must be, not with the
 * pattern (`"name" is not one of id, sku`; `"abc" is not a uuid`).
 */
import type { KeywordDefinition } from 'ajv';
import type { JsonSchema } from './types.js';

/** Items that are values of one kind. */
const VALUE_ITEMS = {
  uuid: {
    pattern: '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}',
    noun: 'a uuid',
  },
  integer: { pattern: '-?[0-9]+', noun: 'an integer' },
  decimal: { pattern: '-?[0-9]+(\\.[0-9]+)?', noun: 'a decimal number' },
  boolean: { pattern: '(true|false)', noun: 'true or false' },
  date: { pattern: '[0-9]{4}-[0-9]{2}-[0-9]{2}', noun: 'a date (YYYY-MM-DD)' },
} as const;

export type ValueItem = keyof typeof VALUE_ITEMS;

/** Levels a dotted name may have (`include=lines.product.supplier`). */
const MAX_LEVELS = 3;

/** What a comma list holds (`x-list` in the schema): values of a kind, or names. */
export type CommaList =
  | { readonly of: ValueItem }
  | {
      readonly of: 'name';
      readonly names: readonly string[];
      /** Each name may carry a leading `-` (sort: descending). */
      readonly descending?: boolean;
      /** Each name may go on with `.<name>`, up to 3 levels (include; the runtime checks those). */
      readonly dotted?: boolean;
    };

/** `x-list` is an annotation: ajv checks its shape, the pattern does the validating. */
export const listKeyword: KeywordDefinition = {
  keyword: 'x-list',
  schemaType: 'object',
  metaSchema: {
    type: 'object',
    properties: {
      of: { enum: ['name', ...Object.keys(VALUE_ITEMS)] },
      names: { type: 'array', items: { type: 'string' } },
      descending: { type: 'boolean' },
      dotted: { type: 'boolean' },
    },
    required: ['of'],
    additionalProperties: false,
  },
};

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function itemPattern(list: CommaList): string {
  if (list.of !== 'name') return VALUE_ITEMS[list.of].pattern;
  let item = `(${list.names.map(escapeRegex).join('|')})`;
  if (list.descending) item = `-?${item}`;
  if (list.dotted) item = `${item}(\\.[A-Za-z][A-Za-z0-9_]*){0,${MAX_LEVELS - 1}}`;
  return item;
}

/** `{ type: string, pattern: ^item(,item)*$, x-list }`. */
export function commaListSchema(list: CommaList): JsonSchema {
  const item = itemPattern(list);
  return { type: 'string', pattern: `^${item}(,${item})*$`, 'x-list': { ...list } };
}

/** Why one item of a list is refused, or undefined when it is fine. */
function itemProblem(list: CommaList, item: string): string | undefined {
  const quoted = JSON.stringify(item);
  if (list.of !== 'name') {
    const { pattern, noun } = VALUE_ITEMS[list.of];
    return new RegExp(`^${pattern}$`).test(item) ? undefined : `${quoted} is not ${noun}`;
  }
  const name = list.descending && item.startsWith('-') ? item.slice(1) : item;
  const [first, ...deeper] = list.dotted ? name.split('.') : [name];
  if (!list.names.includes(first!)) return `${quoted} is not one of ${list.names.join(', ')}`;
  if (deeper.length >= MAX_LEVELS) return `${quoted} goes deeper than ${MAX_LEVELS} levels`;
  if (deeper.some((part) => !/^[A-Za-z][A-Za-z0-9_]*$/.test(part))) return `${quoted} is not a relation path`;
  return undefined;
}

/**
 * What a refused list got wrong, item by item (`"name" is not one of id, sku; "" is not ...`);
 * undefined when no single item is to blame.
 */
export function commaListProblem(list: CommaList, value: string): string | undefined {
  const problems = value.split(',').flatMap((item) => itemProblem(list, item) ?? []);
  return problems.length === 0 ? undefined : problems.join('; ');
}
