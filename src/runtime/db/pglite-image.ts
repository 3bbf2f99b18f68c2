/**
 * Opening a new PGlite database without running initdb each time. initdb is most of what a new
 * PGlite costs (1.4 s of a 2.2 s start here, every `serve --memory`, every fresh data folder,
 * every test database); loading the files it writes costs 0.4 s. So the first new database a
 * user opens is kept as a tarball of its freshly initialized cluster (PGlite's own
 * `dumpDataDir`, the format its `clone()` uses) in the user's cache folder, and every new
 * database after it, in this process or another, starts from that tarball
 * (`loadDataDir`). A data folder that holds anything (a cluster, or files of the user's) opens as
 * PGlite opens it.
 *
 * The tarball is keyed by PGlite's version (it holds that PostgreSQL's catalog), written to a
 * temporary name and renamed, so a reader never sees half of one; one that does not load is
 * removed and initdb runs as before. `ARCHITECT_CACHE_DIR` moves the cache folder (default
 * `$XDG_CACHE_HOME/backend-architect`, else `~/.cache/backend-architect`); `off` keeps the
 * tarball in memory only.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';

const PGLITE_VERSION = (() => {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  let folder = dirname(entry);
  while (!existsSync(join(folder, 'package.json')) && dirname(folder) !== folder) folder = dirname(folder);
  return (JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version: string }).version;
})();

/** Where the tarball lives between processes; undefined: in memory only. */
function imagePath(): string | undefined {
  const configured = process.env.ARCHITECT_CACHE_DIR;
  if (configured === 'off') return undefined;
  const folder =
    configured || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'backend-architect');
  return join(folder, `pglite-${PGLITE_VERSION}-cluster.tar`);
}

/**
 * The image, held in memory only where the cache folder is off or could not be written: a
 * server opens one database, and should not carry 40 MB it no longer needs; a process that
 * opens many (a test run) reads the file again each time, in milliseconds.
 */
let inMemory: Blob | undefined;

async function readImage(): Promise<Blob | undefined> {
  if (inMemory) return inMemory;
  const path = imagePath();
  if (!path) return undefined;
  try {
    return new Blob([await readFile(path)]);
  } catch {
    return undefined; // not made yet, or unreadable: initdb, then keep what it wrote
  }
}

/** Keep a fresh cluster's files for the next database; failing to write the cache costs only time. */
async function keepImage(db: PGlite): Promise<void> {
  const tarball = await db.dumpDataDir('none');
  const path = imagePath();
  if (!path) {
    inMemory = tarball;
    return;
  }
  const partial = `${path}.${process.pid}.partial`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(partial, Buffer.from(await tarball.arrayBuffer()));
    await rename(partial, path);
  } catch {
    inMemory = tarball;
    await rm(partial, { force: true }).catch(() => {});
  }
}

async function emptyFolder(folder: string): Promise<void> {
  for (const name of await readdir(folder)) await rm(join(folder, name), { recursive: true, force: true });
}

/** `PGlite.create(options)`, starting a new cluster from the kept image when there is one. */
export async function createPglite(options: PGliteOptions & { readonly dataDir?: string }): Promise<PGlite> {
  // A folder holding anything (a cluster, or files of the user's) is left to PGlite as it is.
  if (options.dataDir && existsSync(options.dataDir) && readdirSync(options.dataDir).length > 0)
    return PGlite.create(options);
  const tarball = await readImage();
  if (tarball) {
    try {
      return await PGlite.create({ ...options, loadDataDir: tarball });
    } catch {
      // A damaged image: forget it, and let initdb make the cluster (and a new image).
      inMemory = undefined;
      const path = imagePath();
      if (path) await rm(path, { force: true }).catch(() => {});
      // The folder was empty: what is in it now is the failed load's.
      if (options.dataDir) await emptyFolder(options.dataDir);
    }
  }
  const db = await PGlite.create(options);
  await keepImage(db);
  return db;
}
