/**
 * What the database holds in the current schema (normally `public`), read from the system
 * catalogs: tables, columns with types and nullability, indexes, constraints, triggers and
 * functions. Works the same on PostgreSQL 15+ and PGlite.
 */
import type { Queryable } from '../db/driver.js';

export interface CatalogColumn {
  readonly name: string;
  /** `format_type()`: `numeric(18,4)`, `timestamp with time zone`, `text`. */
  readonly type: string;
  readonly notNull: boolean;
}

export interface CatalogConstraint {
  readonly name: string;
  /** `p` primary key, `f` foreign key, `c` check, `u` unique, `x` exclusion, `t` trigger. */
  readonly type: string;
  readonly validated: boolean;
  readonly definition: string;
}

export interface CatalogTable {
  readonly name: string;
  readonly columns: readonly CatalogColumn[];
  readonly constraints: readonly CatalogConstraint[];
  readonly indexes: readonly string[];
  readonly triggers: readonly string[];
}

export interface Catalog {
  readonly schema: string;
  readonly tables: ReadonlyMap<string, CatalogTable>;
  readonly functions: ReadonlySet<string>;
}

interface ColumnRow {
  table: string;
  column: string;
  type: string;
  not_null: boolean;
}

interface NamedRow {
  table: string;
  name: string;
}

interface ConstraintRow extends NamedRow {
  type: string;
  validated: boolean;
  definition: string;
}

const TABLES_SQL = `
SELECT c.relname AS name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')`;

const COLUMNS_SQL = `
SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY c.relname, a.attnum`;

const CONSTRAINTS_SQL = `
SELECT c.relname AS table, k.conname AS name, k.contype::text AS type, k.convalidated AS validated,
       pg_get_constraintdef(k.oid) AS definition
  FROM pg_constraint k
  JOIN pg_class c ON c.oid = k.conrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = current_schema()
 ORDER BY c.relname, k.conname`;

const INDEXES_SQL = `
SELECT t.relname AS table, i.relname AS name
  FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid
  JOIN pg_class t ON t.oid = x.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace
 WHERE n.nspname = current_schema()`;

const TRIGGERS_SQL = `
SELECT c.relname AS table, g.tgname AS name
  FROM pg_trigger g
  JOIN pg_class c ON c.oid = g.tgrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = current_schema() AND NOT g.tgisinternal`;

const FUNCTIONS_SQL = `
SELECT p.proname AS name
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = current_schema()`;

function groupByTable<T extends { table: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const list = groups.get(row.table) ?? [];
    list.push(row);
    groups.set(row.table, list);
  }
  return groups;
}

/** Read the current schema's objects. Run it inside the migration transaction for a stable view. */
export async function readCatalog(db: Queryable): Promise<Catalog> {
  const schema =
    (await db.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]?.schema ?? 'public';
  const tables = (await db.query<{ name: string }>(TABLES_SQL)).rows;
  const columns = groupByTable((await db.query<ColumnRow>(COLUMNS_SQL)).rows);
  const constraints = groupByTable((await db.query<ConstraintRow>(CONSTRAINTS_SQL)).rows);
  const indexes = groupByTable((await db.query<NamedRow>(INDEXES_SQL)).rows);
  const triggers = groupByTable((await db.query<NamedRow>(TRIGGERS_SQL)).rows);
  const functions = new Set((await db.query<{ name: string }>(FUNCTIONS_SQL)).rows.map((row) => row.name));
  const byName = new Map<string, CatalogTable>();
  for (const { name } of tables) {
    byName.set(name, {
      name,
      columns: (columns.get(name) ?? []).map((row) => ({
        name: row.column,
        type: row.type,
        notNull: row.not_null,
      })),
      constraints: (constraints.get(name) ?? []).map(({ name: constraint, type, validated, definition }) => ({
        name: constraint,
        type,
        validated,
        definition,
      })),
      indexes: (indexes.get(name) ?? []).map((row) => row.name),
      triggers: (triggers.get(name) ?? []).map((row) => row.name),
    });
  }
  return { schema, tables: byName, functions };
}

/**
 * The canonical spelling (`format_type`) of each type as the DDL writes it, asked of the database
 * itself through a temporary table, so `timestamptz`, `int4` and `numeric(18, 4)` compare equal
 * to what the catalog says. Must run inside a transaction (the table goes at commit).
 */
export async function canonicalTypes(db: Queryable, types: Iterable<string>): Promise<Map<string, string>> {
  const distinct = [...new Set(types)];
  const canonical = new Map<string, string>();
  if (distinct.length === 0) return canonical;
  const columns = distinct.map((type, index) => `c${index} ${type}`).join(', ');
  await db.query(`CREATE TEMPORARY TABLE architect_type_probe (${columns}) ON COMMIT DROP`);
  const { rows } = await db.query<{ column: string; type: string }>(
    `SELECT attname AS column, format_type(atttypid, atttypmod) AS type
       FROM pg_attribute WHERE attrelid = 'pg_temp.architect_type_probe'::regclass AND attnum > 0`,
  );
  await db.query('DROP TABLE pg_temp.architect_type_probe');
  for (const row of rows) canonical.set(distinct[Number(row.column.slice(1))]!, row.type);
  return canonical;
}
