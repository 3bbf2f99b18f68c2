/**
 * Catalog reads shared by the DDL tests: a snapshot of everything the schema creates (to prove
 * a second run changes nothing) and the facts the structure tests assert on.
 */
import type { Row, TestDatabase } from './databases.js';

/**
 * Every object in the public schema with its full definition, one sorted line each: columns,
 * constraints, indexes, triggers, functions and comments.
 */
export async function catalogSnapshot(db: TestDatabase): Promise<string[]> {
  const rows = await db.query(`
    SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' nullable=' || is_nullable
           || ' default=' || coalesce(column_default, '') || ' generated=' || coalesce(generation_expression, '')
           || ' identity=' || is_identity AS line
      FROM information_schema.columns WHERE table_schema = 'public'
    UNION ALL
    SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL
    SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
    UNION ALL
    SELECT 'function ' || proname || ' ' || md5(pg_get_functiondef(oid))
      FROM pg_proc WHERE pronamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'comment ' || classoid::regclass::text || ' ' || coalesce(c.relname, k.conname, p.proname, '?')
           || '.' || d.objsubid || ' ' || d.description
      FROM pg_description d
      LEFT JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND c.oid = d.objoid
      LEFT JOIN pg_constraint k ON d.classoid = 'pg_constraint'::regclass AND k.oid = d.objoid
      LEFT JOIN pg_proc p ON d.classoid = 'pg_proc'::regclass AND p.oid = d.objoid
     WHERE coalesce(c.relnamespace, k.connamespace, p.pronamespace) = 'public'::regnamespace
  `);
  return rows.map((row) => String(row.line)).sort();
}

/** Foreign keys whose first column leads no index: each one makes deletes on the target scan. */
export function unindexedForeignKeys(db: TestDatabase): Promise<Row[]> {
  return db.query(`
    SELECT k.conrelid::regclass::text AS table, k.conname AS constraint
      FROM pg_constraint k
     WHERE k.contype = 'f' AND k.connamespace = 'public'::regnamespace
       AND NOT EXISTS (
         SELECT 1 FROM pg_index i WHERE i.indrelid = k.conrelid AND i.indkey[0] = k.conkey[1]
       )
  `);
}

export async function foreignKeyNames(db: TestDatabase): Promise<string[]> {
  const rows = await db.query(
    `SELECT conname FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`,
  );
  return rows.map((row) => String(row.conname)).sort();
}

/** Check constraints by name, with their comment. */
export async function checkConstraints(db: TestDatabase): Promise<Map<string, string | null>> {
  const rows = await db.query(`
    SELECT conname, obj_description(oid, 'pg_constraint') AS comment
      FROM pg_constraint WHERE contype = 'c' AND connamespace = 'public'::regnamespace
  `);
  return new Map(rows.map((row) => [String(row.conname), (row.comment as string | null) ?? null]));
}

/** Indexes by name: table, whether unique, and the predicate of partial ones. */
export async function indexes(
  db: TestDatabase,
): Promise<Map<string, { table: string; unique: boolean; definition: string }>> {
  const rows = await db.query(`
    SELECT c.relname AS name, i.indrelid::regclass::text AS table, i.indisunique AS unique,
           pg_get_indexdef(i.indexrelid) AS definition
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE c.relnamespace = 'public'::regnamespace
  `);
  return new Map(
    rows.map((row) => [
      String(row.name),
      { table: String(row.table), unique: row.unique === true, definition: String(row.definition) },
    ]),
  );
}

/** Columns as `table.column` -> type (as format_type prints it) and nullability. */
export async function columns(db: TestDatabase): Promise<Map<string, { type: string; nullable: boolean }>> {
  const rows = await db.query(`
    SELECT c.relname || '.' || a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
           NOT a.attnotnull AS nullable
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
  `);
  return new Map(
    rows.map((row) => [String(row.name), { type: String(row.type), nullable: row.nullable === true }]),
  );
}

export async function publicTables(db: TestDatabase): Promise<string[]> {
  const rows = await db.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  return rows.map((row) => String(row.table_name)).sort();
}
