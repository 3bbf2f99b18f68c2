/**
 * The reference model the property tests compare the API with: rows of the `pages` fixture kept
 * in memory, filtered and sorted the way docs/api.md says PostgreSQL does it (NULLs last
 * ascending and first descending, the key as the final tie-breaker, `ne` and comparisons never
 * matching NULL).
 */
import fc from 'fast-check';

export const PAGES_BLUEPRINT = 'test/runtime/property/fixtures/pages';

export interface ItemInput {
  readonly code: string;
  readonly label: string;
  readonly rank: number | null;
  readonly day: string | null;
  readonly price: string;
}

export interface ItemRow extends ItemInput {
  readonly id: string;
}

export type SortField = 'label' | 'rank' | 'day' | 'price' | 'code';

export interface SortKey {
  readonly field: SortField;
  readonly descending: boolean;
}

/** One filter: the query key (`rank[gte]`), its value, and the same test in memory. */
export interface FilterCase {
  readonly key: string;
  readonly value: string;
  readonly matches: (row: ItemRow) => boolean;
}

// Lower-case ASCII only: every collation (C on PGlite, the server's locale) orders them alike.
const LABEL = fc.stringMatching(/^[ab]{1,2}$/);
const RANK = fc.option(fc.integer({ min: 0, max: 5 }), { nil: null, freq: 4 });
const DAYS = ['2026-01-01', '2026-01-15', '2026-02-01', '2026-03-31', '2026-12-31'];
const DAY = fc.option(fc.constantFrom(...DAYS), { nil: null, freq: 4 });
const PRICE = fc.integer({ min: 0, max: 400 }).map((cents) => (cents / 100).toFixed(2));

/** Rows with distinct codes. */
export const itemsArbitrary = (maxLength: number) =>
  fc
    .array(fc.record({ label: LABEL, rank: RANK, day: DAY, price: PRICE }), { maxLength, size: 'max' })
    .map((rows) => rows.map((row, index): ItemInput => ({ ...row, code: `c${index}` })));

export const sortArbitrary: fc.Arbitrary<SortKey[]> = fc
  .shuffledSubarray<SortField>(['label', 'rank', 'day', 'price', 'code'], { maxLength: 3 })
  .chain((fields) =>
    fc.tuple(...fields.map((field) => fc.boolean().map((descending) => ({ field, descending })))),
  );

const compareOp = fc.constantFrom('eq', 'ne', 'lt', 'lte', 'gt', 'gte');

function compare(op: string, left: number | string, right: number | string): boolean {
  switch (op) {
    case 'eq':
      return left === right;
    case 'ne':
      return left !== right;
    case 'lt':
      return left < right;
    case 'lte':
      return left <= right;
    case 'gt':
      return left > right;
    default:
      return left >= right;
  }
}

function likeToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

const rankFilter: fc.Arbitrary<FilterCase> = fc.oneof(
  fc.tuple(compareOp, fc.integer({ min: 0, max: 5 })).map(([op, value]) => ({
    key: `rank[${op}]`,
    value: String(value),
    matches: (row: ItemRow) => row.rank !== null && compare(op, row.rank, value),
  })),
  fc.constantFrom('null', 'notnull').map((value) => ({
    key: 'rank[is]',
    value,
    matches: (row: ItemRow) => (row.rank === null) === (value === 'null'),
  })),
  fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 }).map((values) => ({
    key: 'rank[in]',
    value: values.join(','),
    matches: (row: ItemRow) => row.rank !== null && values.includes(row.rank),
  })),
);

const labelFilter: fc.Arbitrary<FilterCase> = fc.oneof(
  LABEL.map((value) => ({
    key: 'label[prefix]',
    value,
    matches: (row: ItemRow) => row.label.startsWith(value),
  })),
  fc.constantFrom('*a*', 'b*', '*b', 'a*b', 'a').map((value) => ({
    key: 'label[like]',
    value,
    matches: (row: ItemRow) => likeToRegExp(value).test(row.label),
  })),
  fc.uniqueArray(LABEL, { minLength: 1, maxLength: 3 }).map((values) => ({
    key: 'label[in]',
    value: values.join(','),
    matches: (row: ItemRow) => values.includes(row.label),
  })),
);

const dayFilter: fc.Arbitrary<FilterCase> = fc.oneof(
  fc.tuple(fc.constantFrom('lt', 'lte', 'gt', 'gte'), fc.constantFrom(...DAYS)).map(([op, value]) => ({
    key: `day[${op}]`,
    value,
    matches: (row: ItemRow) => row.day !== null && compare(op, row.day, value),
  })),
  fc.constantFrom('null', 'notnull').map((value) => ({
    key: 'day[is]',
    value,
    matches: (row: ItemRow) => (row.day === null) === (value === 'null'),
  })),
);

const priceFilter: fc.Arbitrary<FilterCase> = fc
  .tuple(fc.constantFrom('lt', 'gte'), fc.integer({ min: 0, max: 400 }))
  .map(([op, cents]) => ({
    key: `price[${op}]`,
    value: (cents / 100).toFixed(2),
    matches: (row: ItemRow) => compare(op, Math.round(Number(row.price) * 100), cents),
  }));

const FILTERS_BY_FIELD = { rank: rankFilter, label: labelFilter, day: dayFilter, price: priceFilter };

/** None, one or two filters, on different fields. */
export const filtersArbitrary: fc.Arbitrary<FilterCase[]> = fc
  .shuffledSubarray(Object.keys(FILTERS_BY_FIELD) as (keyof typeof FILTERS_BY_FIELD)[], { maxLength: 2 })
  .chain((fields) => fc.tuple(...fields.map((field) => FILTERS_BY_FIELD[field])));

function compareValues(field: SortField, left: ItemRow, right: ItemRow): number {
  const a = left[field];
  const b = right[field];
  if (a === b) return 0;
  // NULL sorts after every value ascending (and so before every value descending)
  if (a === null) return 1;
  if (b === null) return -1;
  if (field === 'price') return Number(a) - Number(b);
  if (field === 'rank') return (a as number) - (b as number);
  return a < b ? -1 : 1;
}

/** The rows the API must return, in the order it must return them. */
export function expectedRows(
  rows: readonly ItemRow[],
  filters: readonly FilterCase[],
  sort: readonly SortKey[],
): ItemRow[] {
  return rows
    .filter((row) => filters.every((filter) => filter.matches(row)))
    .sort((left, right) => {
      for (const key of sort) {
        const order = compareValues(key.field, left, right);
        if (order !== 0) return key.descending ? -order : order;
      }
      return left.id < right.id ? -1 : left.id > right.id ? 1 : 0;
    });
}
