/**
 * The schema a SQL file (or a folder of migrations) builds, replayed statement by statement:
 * tables, columns, constraints, indexes, types and functions, each with where it was declared.
 * Schema rules read the final state; migration rules read the state just before each statement.
 */
import { DEFAULT_SCHEMA, type Node } from './ast.js';
import type { ColumnType } from './column-type.js';
import type { SourceSpan } from './parse.js';

/** Where something was declared: which file of the set, which statement, and the span. */
export interface Origin {
  readonly fileIndex: number;
  readonly statementIndex: number;
  readonly span: SourceSpan;
  /** The same origin narrowed to a node's byte `location` inside the statement. */
  at?: (location: number | undefined, length?: number) => Origin;
}

export interface ColumnModel {
  name: string;
  type: ColumnType;
  notNull: boolean;
  /** The DEFAULT expression, when any (nextval(...) for serial-style columns from pg_dump). */
  defaultExpression?: Node;
  identity?: 'always' | 'by default';
  /** GENERATED ALWAYS AS (...) STORED. */
  generated: boolean;
  origin: Origin;
}

export type ForeignKeyAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

export interface ForeignKeyModel {
  name?: string;
  table: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: ForeignKeyAction;
  onUpdate: ForeignKeyAction;
  notValid: boolean;
  origin: Origin;
}

export interface CheckModel {
  name?: string;
  table: string;
  expression?: Node;
  notValid: boolean;
  origin: Origin;
}

export interface IndexKeyPart {
  /** Plain column, when the key is a column. */
  readonly column?: string;
  /** Printed expression, when the key is an expression (`lower(email)`). */
  readonly expression?: string;
  /** Operator class, collation and ordering, printed, so `text_pattern_ops` keys differ. */
  readonly options: string;
}

export interface IndexModel {
  /** `schema.name` key; constraint-backed indexes get PostgreSQL's generated name when unnamed. */
  key: string;
  name: string;
  table: string;
  method: string;
  keys: IndexKeyPart[];
  include: string[];
  unique: boolean;
  nullsNotDistinct: boolean;
  /** Printed WHERE clause of a partial index. */
  predicate?: string;
  /** Columns the predicate mentions (`WHERE deleted_at IS NULL` -> deleted_at). */
  predicateColumns: string[];
  /** Set when the index backs a constraint. */
  constraint?: 'primary key' | 'unique' | 'exclusion';
  origin: Origin;
}

export type RelationKind = 'table' | 'view' | 'materialized view' | 'foreign table';

export interface TableModel {
  key: string;
  schema: string;
  name: string;
  kind: RelationKind;
  columns: Map<string, ColumnModel>;
  primaryKey?: { name?: string; columns: string[]; origin: Origin };
  foreignKeys: ForeignKeyModel[];
  checks: CheckModel[];
  partitioned: boolean;
  /** Parent table key when this table is a partition (its keys and indexes come from the parent). */
  partitionOf?: string;
  /** Parents named in INHERITS (...): their columns were copied into this table. */
  inheritsFrom: string[];
  temporary: boolean;
  rowLevelSecurity: boolean;
  policies: { name: string; origin: Origin }[];
  /** Known only from ALTER statements: created before the reviewed files. */
  placeholder?: boolean;
  origin: Origin;
}

export interface TypeModel {
  key: string;
  kind: 'enum' | 'domain' | 'composite' | 'range';
  /** Base type of a domain. */
  baseType?: ColumnType;
  hasCheck: boolean;
  values: string[];
  origin: Origin;
}

export interface FunctionModel {
  key: string;
  securityDefiner: boolean;
  setsSearchPath: boolean;
  language?: string;
  origin: Origin;
}

export interface SequenceModel {
  key: string;
  /** `schema.table.column` when OWNED BY a column (how pg_dump spells serial). */
  ownedBy?: string;
  dataType?: ColumnType;
  origin: Origin;
}

export interface Catalog {
  readonly tables: Map<string, TableModel>;
  readonly indexes: Map<string, IndexModel>;
  readonly types: Map<string, TypeModel>;
  readonly functions: Map<string, FunctionModel>;
  readonly sequences: Map<string, SequenceModel>;
  /** Relations created by CREATE RULE (the PostgreSQL wiki's "don't do this"). */
  readonly rules: { name: string; table: string; origin: Origin }[];
}

export function createCatalog(): Catalog {
  return {
    tables: new Map(),
    indexes: new Map(),
    types: new Map(),
    functions: new Map(),
    sequences: new Map(),
    rules: [],
  };
}

/** Indexes on one table, in declaration order. */
export function indexesOf(catalog: Catalog, tableKey: string): IndexModel[] {
  const out: IndexModel[] = [];
  for (const index of catalog.indexes.values()) if (index.table === tableKey) out.push(index);
  return out;
}

/** Resolve a column type through domains (`public.year` -> `int4`). */
export function resolveType(catalog: Catalog, type: ColumnType): ColumnType {
  let current = type;
  for (let depth = 0; depth < 8; depth++) {
    const declared = catalog.types.get(`${current.schema ?? DEFAULT_SCHEMA}.${current.name}`);
    if (!declared?.baseType) break;
    current = declared.baseType;
  }
  return current;
}
