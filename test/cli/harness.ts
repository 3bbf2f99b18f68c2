/**
 * Runs one CLI scenario: write its files into a fresh temporary folder, run the command (in
 * process through `main()`, or through the real `bin/architect.js` when `binary: true`), and
 * return what a user would see. `{tmp}` in arguments stands for the temporary folder.
 *
 * Scenario files (test/cli/scenarios/*.yaml), in the style of Spectral's test harness:
 *
 *   title: check reports an unknown type with its location
 *   command: check {tmp}/blueprint.yaml
 *   files: { blueprint.yaml: "..." }
 *   exit: 1
 *   stdout: { empty: true }
 *   stderr: { contains: ["blueprint.yaml:6:25: error BLUEPRINT_UNKNOWN_TYPE"] }
 *   after: { files: { out/erd.mmd: { contains: [erDiagram] } }, absent: [out] }
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../src/cli/main.js';

export interface OutputExpectation {
  readonly empty?: boolean;
  readonly contains?: readonly string[];
  readonly excludes?: readonly string[];
  /** Parse as JSON and match this subset. */
  readonly json?: unknown;
}

export interface Scenario {
  readonly title: string;
  readonly command: string;
  readonly files?: Readonly<Record<string, string>>;
  readonly binary?: boolean;
  readonly exit: number;
  readonly stdout?: OutputExpectation;
  readonly stderr?: OutputExpectation;
  readonly after?: {
    readonly files?: Readonly<Record<string, { readonly contains?: readonly string[] }>>;
    readonly absent?: readonly string[];
  };
}

export interface RunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly tmp: string;
}

const ROOT = path.resolve(new URL('../../', import.meta.url).pathname);
export const BINARY = path.join(ROOT, 'bin', 'architect.js');

/** Split a command line on spaces, keeping "quoted words" together. */
export function splitArguments(command: string, tmp: string): string[] {
  const words = command.match(/"[^"]*"|\S+/g) ?? [];
  return words.map((word) => word.replace(/^"|"$/g, '').replaceAll('{tmp}', tmp));
}

export async function runScenario(scenario: Scenario): Promise<RunResult> {
  const tmp = await mkdtemp(path.join(tmpdir(), 'architect-cli-'));
  for (const [name, content] of Object.entries(scenario.files ?? {})) {
    const file = path.join(tmp, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  const args = splitArguments(scenario.command, tmp);
  return scenario.binary ? { ...(await runBinary(args)), tmp } : { ...(await runInProcess(args)), tmp };
}

export async function runInProcess(args: readonly string[]): Promise<Omit<RunResult, 'tmp'>> {
  let stdout = '';
  let stderr = '';
  const exitCode = await main(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    isTty: false,
  });
  return { exitCode, stdout, stderr };
}

export async function runBinary(args: readonly string[]): Promise<Omit<RunResult, 'tmp'>> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BINARY, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failure.code !== 'number') throw error;
    return { exitCode: failure.code, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

export async function readAfter(tmp: string, name: string): Promise<string | undefined> {
  return readFile(path.join(tmp, name), 'utf8').catch(() => undefined);
}
