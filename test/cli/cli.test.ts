import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBlueprint, TEMPLATE_NAMES } from '../../src/blueprint/index.js';
import { ARTIFACT_NAMES } from '../../src/cli/design-command.js';
import { DESIGN_FILE_NAMES } from '../../src/design/index.js';
import { runInProcess } from './harness.js';

describe('architect design', () => {
  it('is deterministic: two runs write byte-identical files', async () => {
    const tmp = await mkdtemp(path.join(tmpdir(), 'architect-design-'));
    const first = path.join(tmp, 'first');
    const second = path.join(tmp, 'second');
    expect((await runInProcess(['design', 'examples/inventory', '--out', first])).exitCode).toBe(0);
    expect((await runInProcess(['design', 'examples/inventory', '--out', second])).exitCode).toBe(0);
    expect((await readdir(first)).sort()).toEqual([...DESIGN_FILE_NAMES].sort());
    for (const name of DESIGN_FILE_NAMES) {
      expect(await readFile(path.join(second, name), 'utf8'), name).toBe(
        await readFile(path.join(first, name), 'utf8'),
      );
    }
  });

  it('offers exactly the artifacts the design module renders', () => {
    expect([...ARTIFACT_NAMES]).toEqual(DESIGN_FILE_NAMES);
  });
});

describe('architect init', () => {
  it.each(TEMPLATE_NAMES)('the %s template validates where it is written', async (template) => {
    const tmp = await mkdtemp(path.join(tmpdir(), 'architect-init-'));
    const dir = path.join(tmp, 'nested', 'project');
    const result = await runInProcess(['init', dir, '--template', template]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect((await checkBlueprint(dir)).diagnostics).toEqual([]);
    const text = await readFile(path.join(dir, 'blueprint.yaml'), 'utf8');
    const schema = /\$schema=(\S+)/.exec(text)?.[1];
    expect(path.resolve(dir, schema!)).toBe(path.resolve('schema/blueprint.schema.json'));
  });
});

describe('architect --help', () => {
  it('lists every command on one line with its summary', async () => {
    const { stdout, exitCode } = await runInProcess(['--help']);
    expect(exitCode).toBe(0);
    const commandLines = stdout
      .slice(stdout.indexOf('Commands:'))
      .split('\n')
      .slice(1)
      .filter((line) => line.trim() !== '');
    const names = commandLines.map((line) => line.trim().split(/\s+/)[0]);
    expect(names).toEqual(expect.arrayContaining(['init', 'check', 'design', 'schema', 'help']));
    for (const line of commandLines) {
      expect(line, 'each command line starts with its name and carries a summary').toMatch(
        /^ {2}\S.*\s{2,}\S/,
      );
    }
  });
});
