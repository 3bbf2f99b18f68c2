/**
 * New PGlite databases start from a kept image of a freshly initialized cluster instead of
 * running initdb again (src/runtime/db/pglite-image.ts): each is still a cluster of its own and
 * empty, the image is kept in the cache folder for the next process, and a damaged image costs
 * only the initdb it was meant to save.
 */
import { execFile } from 'node:child_process';
import { readdir, stat, truncate } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createPglite } from '../../../src/runtime/db/pglite-image.js';
import { useTempFolder } from '../../support/temp-folder.js';

const run = promisify(execFile);
const SCRIPT = resolve(import.meta.dirname, 'fixtures/open-pglite.ts');

describe('databases started from the kept cluster image', () => {
  const folder = useTempFolder('architect-pglite-image-');

  /** Open a database in a new process with the cache in `cache`; what it found. */
  async function openInProcess(cache: string, dataDir = ''): Promise<{ notes: number }> {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', SCRIPT, dataDir], {
      env: { ...process.env, ARCHITECT_CACHE_DIR: cache },
    });
    return JSON.parse(stdout);
  }

  it('gives each database a cluster of its own, empty, whatever the one before it holds', async () => {
    const first = await createPglite({});
    await first.exec('CREATE TABLE kept (id int PRIMARY KEY); INSERT INTO kept VALUES (1)');
    const second = await createPglite({});
    const { rows } = await second.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'kept'",
    );
    expect(rows[0]!.n).toBe(0);
    await second.exec('CREATE TABLE kept (id int PRIMARY KEY); INSERT INTO kept VALUES (2), (3)');
    expect((await first.query<{ n: number }>('SELECT count(*)::int AS n FROM kept')).rows[0]!.n).toBe(1);
    expect((await second.query<{ n: number }>('SELECT count(*)::int AS n FROM kept')).rows[0]!.n).toBe(2);
    await Promise.all([first.close(), second.close()]);
  });

  it('keeps the image in the cache folder for the next process, and replaces one that is damaged', async () => {
    const cache = join(folder(), 'cache');
    expect(await openInProcess(cache)).toEqual({ notes: 1 });
    const [name] = await readdir(cache);
    expect(name).toMatch(/^pglite-\d+\.\d+\.\d+-cluster\.tar$/);
    const image = join(cache, name!);
    const kept = await stat(image);
    expect(kept.size).toBeGreaterThan(1_000_000);
    expect(await openInProcess(cache)).toEqual({ notes: 1 });
    expect((await stat(image)).mtimeMs).toBe(kept.mtimeMs); // read, not made again
    expect(await readdir(cache)).toEqual([name]); // no partial file left behind

    // Damaged: the database still opens (into a new data folder here), and the image is whole again.
    await truncate(image, 4096);
    const data = join(folder(), 'data');
    expect(await openInProcess(cache, data)).toEqual({ notes: 1 });
    expect((await stat(image)).size).toBe(kept.size);
    // the folder now holds a cluster, opened as it is
    expect(await openInProcess(cache, data)).toEqual({ notes: 2 });
  });

  it('off: the image stays in memory, no file is written in any cache folder', async () => {
    const cache = join(folder(), 'xdg');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', SCRIPT, ''], {
      env: { ...process.env, ARCHITECT_CACHE_DIR: 'off', XDG_CACHE_HOME: cache, HOME: cache },
    });
    expect(JSON.parse(stdout)).toEqual({ notes: 1 });
    expect(await readdir(cache).catch(() => [])).toEqual([]);
  });
});
