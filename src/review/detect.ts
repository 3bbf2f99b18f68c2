/**
 * What an input is: an OpenAPI document, a SQL schema, a SQL migration, or a folder of
 * migrations. Content decides over names where it can (a `.yaml` that is not OpenAPI is not
 * reviewed as one); SQL files are told apart by the migration engine's `isMigrationText`.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, sep } from 'node:path';

export type InputKind = 'openapi' | 'sql-schema' | 'sql-migration' | 'migration-folder' | 'unknown';

const OPENAPI_KEY = /^(?:openapi|swagger)\s*:\s*["']?(\d+)\.|"(?:openapi|swagger)"\s*:\s*"(\d+)\./m;
const MIGRATION_NAME = /^(V\d+(\.\d+)*__|\d{3,}[_.-]|\d{8,})/i;

type IsMigrationText = (text: string, file: string) => boolean;
let migrationDetector: IsMigrationText | null | undefined;

/** The migration engine's detector, when that engine is part of this build. */
async function loadMigrationDetector(): Promise<IsMigrationText | null> {
  if (migrationDetector === undefined) {
    try {
      const module = (await import('./migration/index.js' as string)) as {
        isMigrationText?: IsMigrationText;
      };
      migrationDetector = module.isMigrationText ?? null;
    } catch {
      migrationDetector = null;
    }
  }
  return migrationDetector;
}

/** Fallback when no migration engine is present: names and folders that migration tools use. */
function looksLikeMigrationFile(file: string): boolean {
  const parts = file.split(/[\\/]/);
  return MIGRATION_NAME.test(basename(file)) || parts.some((part) => /migrat/i.test(part));
}

/**
 * Detect the kind of one file from its path and text; pass `text: undefined` for a directory.
 *
 * @example
 * await detectInputKind('api/openapi.yaml', text) // 'openapi'
 */
export async function detectInputKind(path: string, text: string | undefined): Promise<InputKind> {
  if (text === undefined) return 'migration-folder';
  const extension = extname(path).toLowerCase();
  if (['.yaml', '.yml', '.json'].includes(extension)) {
    const match = OPENAPI_KEY.exec(text.slice(0, 4096)) ?? OPENAPI_KEY.exec(text);
    const major = match?.[1] ?? match?.[2];
    return major === '2' || major === '3' ? 'openapi' : 'unknown';
  }
  if (extension === '.sql') {
    const detector = await loadMigrationDetector();
    const isMigration = detector ? detector(text, path) : looksLikeMigrationFile(path);
    return isMigration ? 'sql-migration' : 'sql-schema';
  }
  return 'unknown';
}

export interface ExpandedInput {
  readonly kind: InputKind;
  /** The file, or the folder for a migration folder. */
  readonly path: string;
  /** For a migration folder: its `.sql` files in the order they apply. */
  readonly files?: readonly string[];
}

/** Natural order: `2_x.sql` before `10_x.sql`, Prisma's `20240101_x/migration.sql` by folder. */
export function migrationOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

/**
 * A folder given on the command line: a migrations folder (named like one, or whose SQL files
 * all carry ordering prefixes) becomes one ordered input; any other folder is searched for
 * OpenAPI documents, SQL files and nested migration folders.
 */
export async function expandFolder(folder: string): Promise<ExpandedInput[]> {
  const files = (await listFiles(folder)).sort(migrationOrder);
  const sql = files.filter((file) => extname(file).toLowerCase() === '.sql');
  const ordered = (file: string) =>
    MIGRATION_NAME.test(basename(file)) ||
    MIGRATION_NAME.test(basename(dirname(file))) ||
    // Prisma's layout: `<n>_<name>/migration.sql`, where the prefix may be short (`01_init`).
    (basename(file) === 'migration.sql' && /^\d+_/.test(basename(dirname(file))));
  if (
    sql.length > 0 &&
    (/migrat/i.test(basename(folder)) || sql.every(ordered)) &&
    sql.length === files.filter((f) => !/\.(md|txt|json|toml|lock)$/i.test(f)).length
  ) {
    return [{ kind: 'migration-folder', path: folder, files: sql }];
  }
  const result: ExpandedInput[] = [];
  const nested = new Map<string, string[]>();
  for (const file of files) {
    const rel = relative(folder, file).split(sep);
    const migrationDir = rel.findIndex((part, index) => index < rel.length - 1 && /migrat/i.test(part));
    if (extname(file).toLowerCase() === '.sql' && migrationDir !== -1) {
      const key = join(folder, ...rel.slice(0, migrationDir + 1));
      nested.set(key, [...(nested.get(key) ?? []), file]);
      continue;
    }
    if (!/\.(ya?ml|json|sql)$/i.test(file)) continue;
    result.push({ kind: 'unknown', path: file });
  }
  for (const [path, group] of nested)
    result.push({ kind: 'migration-folder', path, files: group.sort(migrationOrder) });
  return result;
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
