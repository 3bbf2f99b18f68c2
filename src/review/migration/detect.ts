/**
 * Is a SQL file a migration (a change run against a live database) or a schema (a description of
 * the whole database)? The answer decides which rule set applies.
 */
import { basename, dirname } from 'node:path';
import { loadModule, type Node, parseSync } from 'libpg-query';
import { keyOfRangeVar, kindOf, nodeAs } from '../sql-parse/ast.js';
import { locksOf } from '../sql-parse/locks.js';

// The synchronous parser needs the WASM module loaded once.
await loadModule();

/** Folder names migration tools use. */
const MIGRATION_FOLDERS = new Set([
  'migrations',
  'migrate',
  'migration',
  'db_migrations',
  'changesets',
  'deltas',
]);

/**
 * File names of migration tools: Flyway `V1__init.sql` / `V1_2__x.sql` / `R__views.sql`,
 * numbered `0001_add_users.sql`, timestamped `20240101120000_add_users.sql`, golang-migrate
 * `000058_name.up.sql`, Prisma `<timestamp>_<name>/migration.sql`.
 */
function hasMigrationName(file: string): boolean {
  const name = basename(file).toLowerCase();
  if (/^[vu]\d+(?:[._]\d+)*__.+\.sql$/.test(name) || /^r__.+\.sql$/.test(name)) return true;
  if (/^\d{3,}[_-].+\.sql$/.test(name)) return true;
  if (/\.(up|down)\.sql$/.test(name)) return true;
  if (name === 'migration.sql' && /^\d{8,}/.test(basename(dirname(file)))) return true;
  return false;
}

function inMigrationFolder(file: string): boolean {
  return file
    .split(/[\\/]/)
    .slice(0, -1)
    .some((part) => MIGRATION_FOLDERS.has(part.toLowerCase()));
}

/** Statement kinds that change an existing schema (as opposed to describing a new one). */
const CHANGE_KINDS = new Set([
  'AlterTableStmt',
  'DropStmt',
  'RenameStmt',
  'AlterEnumStmt',
  'TruncateStmt',
  'UpdateStmt',
  'DeleteStmt',
  'ReindexStmt',
]);

/**
 * A file is a migration when its path says so (a `migrations/` folder, a migration tool's file
 * name), or when its content changes tables it did not create itself (ALTER/DROP/RENAME of
 * tables created elsewhere). A pg_dump is CREATE-then-ALTER on the same tables: a schema.
 */
export function isMigrationText(text: string, file: string): boolean {
  if (hasMigrationName(file) || inMigrationFolder(file)) return true;
  let statements: { stmt?: Node }[];
  try {
    statements = parseSync(text).stmts ?? [];
  } catch {
    return false;
  }
  const created = new Set<string>();
  let changesOthers = 0;
  let creates = 0;
  for (const { stmt } of statements) {
    const kind = kindOf(stmt);
    if (!stmt || !kind) continue;
    if (kind === 'CreateStmt') {
      creates++;
      const key = keyOfRangeVar(nodeAs(stmt, 'CreateStmt')?.relation);
      if (key) created.add(key);
      continue;
    }
    if (!CHANGE_KINDS.has(kind)) continue;
    const target = locksOf(kind, nodeAs(stmt, kind))[0]?.table;
    if (!target || !created.has(target)) changesOthers++;
  }
  return changesOthers > 0 && changesOthers >= creates;
}
