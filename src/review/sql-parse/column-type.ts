/**
 * Column types as the rules see them: the parser's `TypeName` reduced to a canonical name
 * (`int4`, `varchar`, `timestamptz`, `serial`...), its modifiers and whether it is an array.
 */
import { constantValue, nodeAs, stringsOf, type TypeName } from './ast.js';

export interface ColumnType {
  /** Canonical lower-case name without `pg_catalog`: `int4`, `int8`, `varchar`, `timestamptz`, `serial`. */
  readonly name: string;
  /** Schema for user-defined types (`public` for `public.mpaa_rating`), undefined for built-ins. */
  readonly schema?: string;
  /** Numeric modifiers: `varchar(20)` -> [20], `numeric(10,2)` -> [10, 2]. */
  readonly modifiers: readonly number[];
  readonly isArray: boolean;
  /** How to print it in a message: `varchar(20)`, `timestamp`, `public.year[]`. */
  readonly display: string;
}

/** Spellings PostgreSQL accepts for one type, mapped to the canonical name. */
const ALIASES: Readonly<Record<string, string>> = {
  int: 'int4',
  integer: 'int4',
  bigint: 'int8',
  smallint: 'int2',
  serial4: 'serial',
  serial8: 'bigserial',
  serial2: 'smallserial',
  float: 'float8',
  real: 'float4',
  'double precision': 'float8',
  decimal: 'numeric',
  boolean: 'bool',
  'character varying': 'varchar',
  character: 'bpchar',
  char: 'bpchar',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  'time without time zone': 'time',
  'time with time zone': 'timetz',
};

const DISPLAY: Readonly<Record<string, string>> = {
  int4: 'integer',
  int8: 'bigint',
  int2: 'smallint',
  float8: 'double precision',
  float4: 'real',
  bpchar: 'char',
  bool: 'boolean',
};

export function canonicalTypeName(name: string): string {
  const lower = name.toLowerCase();
  return ALIASES[lower] ?? lower;
}

export function columnTypeOf(typeName: TypeName | undefined): ColumnType {
  const parts = stringsOf(typeName?.names);
  const builtin = parts.length === 2 && parts[0] === 'pg_catalog';
  const last = parts[parts.length - 1] ?? 'unknown';
  const schema = !builtin && parts.length > 1 ? parts[parts.length - 2] : undefined;
  const name = schema ? last : canonicalTypeName(last);
  const modifiers: number[] = [];
  for (const mod of typeName?.typmods ?? []) {
    const value = constantValue(mod);
    if (typeof value === 'number') modifiers.push(value);
    else if (nodeAs(mod, 'ColumnRef')) modifiers.push(Number.NaN);
  }
  const isArray = (typeName?.arrayBounds?.length ?? 0) > 0;
  const base = schema ? `${schema}.${name}` : (DISPLAY[name] ?? name);
  const display = `${base}${modifiers.length ? `(${modifiers.join(',')})` : ''}${isArray ? '[]' : ''}`;
  return schema ? { name, schema, modifiers, isArray, display } : { name, modifiers, isArray, display };
}

export const INTEGER_TYPES: ReadonlySet<string> = new Set(['int2', 'int4', 'int8']);
export const SERIAL_TYPES: ReadonlySet<string> = new Set(['serial', 'bigserial', 'smallserial']);
export const FLOAT_TYPES: ReadonlySet<string> = new Set(['float4', 'float8']);

/** Largest value a column of this integer type holds (for sequence exhaustion and key sizing). */
export const INTEGER_MAX: Readonly<Record<string, bigint>> = {
  int2: 32767n,
  int4: 2147483647n,
  int8: 9223372036854775807n,
  smallserial: 32767n,
  serial: 2147483647n,
  bigserial: 9223372036854775807n,
};

/** Storage width in bytes for fixed-width types; undefined for variable-width ones. */
export function fixedWidth(type: ColumnType): number | undefined {
  if (type.isArray) return undefined;
  const widths: Record<string, number> = {
    int2: 2,
    int4: 4,
    int8: 8,
    serial: 4,
    bigserial: 8,
    smallserial: 2,
    float4: 4,
    float8: 8,
    bool: 1,
    date: 4,
    timestamp: 8,
    timestamptz: 8,
    time: 8,
    uuid: 16,
  };
  return widths[type.name];
}
