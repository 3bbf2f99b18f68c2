/**
 * A folder of the suite's own under the system's temporary folder: made before the suite's
 * tests, removed with everything in it after them.
 *
 * @example
 * const folder = useTempFolder('architect-migrate-');
 * it('...', () => writeFile(join(folder(), 'blueprint.yaml'), text));
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export function useTempFolder(prefix: string): () => string {
  let folder: string | undefined;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });
  return () => {
    if (!folder) throw new Error('useTempFolder: the folder exists only while the suite runs');
    return folder;
  };
}
