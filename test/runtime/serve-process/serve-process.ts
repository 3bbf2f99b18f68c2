/**
 * Run `node bin/architect.js serve ...` as a real process: wait for its banner, find its URL,
 * stop it with a signal and collect its exit code. The binary runs the built CLI (`dist/`),
 * which `npm test` builds before the suites run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const BIN = resolve(ROOT, 'bin/architect.js');
export const NOTES_BLUEPRINT = resolve(import.meta.dirname, 'fixtures/notes');
export const LIMITED_BLUEPRINT = resolve(import.meta.dirname, 'fixtures/limited');

export interface ServeProcess {
  readonly child: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the origin (`http://127.0.0.1:41234`) once the banner is printed. */
  readonly started: Promise<string>;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  readonly exited: Promise<number | string>;
  /** Kill it if it still runs (test cleanup). */
  dispose(): void;
}

export function isBuilt(): boolean {
  return existsSync(resolve(ROOT, 'dist/cli/main.js'));
}

export function spawnServe(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): ServeProcess {
  // Any free port, unless the test names one.
  const port = args.includes('--port') ? [] : ['--port', '0'];
  const child = spawn(process.execPath, [BIN, 'serve', ...args, ...port, '--log-level', 'warn'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...{ DATABASE_URL: '', APP_DATABASE_URL: '', PORT: '', HOST: '' },
      ...{
        TRUST_PROXY: '',
        BODY_LIMIT: '',
        REQUEST_TIMEOUT_MS: '',
        METRICS_TOKEN: '',
        SHUTDOWN_DELAY_MS: '',
      },
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let text = '';
  const exited = new Promise<number | string>((done) => {
    child.on('exit', (code, signal) => done(code ?? signal ?? 'unknown'));
  });
  const started = new Promise<string>((done, fail) => {
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      text += chunk;
      const match = /API\s+(http:\/\/[^\s/]+)\//.exec(text);
      if (match) done(match[1]!);
    });
    void exited.then((code) => fail(new Error(`serve exited (${code}) before starting:\n${text}`)));
  });
  // A process expected to refuse to start is awaited through `exited`; nobody awaits `started`.
  started.catch(() => {});
  return {
    child,
    stderr: () => text,
    started,
    exited,
    dispose() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** Poll `GET /ready` until it answers 200. */
export async function waitReady(origin: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${origin}/ready`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${origin}/ready did not answer 200 in time`);
    await new Promise((done) => setTimeout(done, 100));
  }
}
