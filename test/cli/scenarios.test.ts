import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type OutputExpectation, readAfter, runScenario, type Scenario } from './harness.js';

const folder = new URL('./scenarios/', import.meta.url);
const scenarios = readdirSync(folder)
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((name) => ({ name, scenario: parse(readFileSync(new URL(name, folder), 'utf8')) as Scenario }));

function expectOutput(actual: string, expected: OutputExpectation | undefined, stream: string): void {
  if (!expected) return;
  if (expected.empty) expect(actual, `${stream} is empty`).toBe('');
  for (const text of expected.contains ?? []) expect(actual, `${stream} contains`).toContain(text);
  for (const text of expected.excludes ?? []) expect(actual, `${stream} excludes`).not.toContain(text);
  if (expected.json !== undefined) expect(JSON.parse(actual)).toMatchObject(expected.json as object);
}

describe('CLI scenarios', () => {
  it('cover every command', () => {
    const commands = new Set(scenarios.map(({ scenario }) => scenario.command.split(' ')[0]));
    for (const command of ['init', 'check', 'design', 'schema', '--help', '--version']) {
      expect(commands, command).toContain(command);
    }
    expect(scenarios.some(({ scenario }) => scenario.binary)).toBe(true);
  });

  it.each(scenarios)('$name', async ({ scenario }) => {
    const result = await runScenario(scenario);
    const context = `${scenario.title}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
    expect(result.exitCode, context).toBe(scenario.exit);
    expectOutput(result.stdout, scenario.stdout, 'stdout');
    expectOutput(result.stderr, scenario.stderr, 'stderr');
    for (const [name, expected] of Object.entries(scenario.after?.files ?? {})) {
      const content = await readAfter(result.tmp, name);
      expect(content, `${name} exists`).toBeDefined();
      for (const text of expected.contains ?? []) expect(content, name).toContain(text);
    }
    for (const name of scenario.after?.absent ?? []) {
      expect(existsSync(path.join(result.tmp, name)), `${name} is absent`).toBe(false);
    }
  });
});
