/**
 * Opening embedded PostgreSQL on a data folder: a path that is a file is refused as such and
 * left alone, and a folder another process holds is refused naming that process.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPgliteDriver, lockDataDir } from '../../../src/runtime/db/pglite-driver.js';
import { useTempFolder } from '../../support/temp-folder.js';

describe('the embedded data folder', () => {
  const folder = useTempFolder('architect-pglite-driver-');

  it('refuses a path that is a file, saying so, and leaves the file as it was', async () => {
    const file = join(folder(), 'data');
    await writeFile(file, 'not a folder\n');
    await expect(createPgliteDriver({ dataDir: file })).rejects.toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      message: `Cannot open the database ${file}: it is a file, not a folder; give a folder for the data (one that does not exist is made)`,
    });
    expect(await readFile(file, 'utf8')).toBe('not a folder\n');
  });

  it('refuses a folder that a running process holds, naming the process', async () => {
    const data = join(folder(), 'held');
    const release = await lockDataDir(data);
    try {
      await expect(createPgliteDriver({ dataDir: data })).rejects.toMatchObject({
        code: 'DATABASE_UNAVAILABLE',
        message: expect.stringContaining(`the data folder is in use by process ${process.pid}`),
      });
    } finally {
      await release();
    }
  });
});
