import type { Command } from 'commander';

/** Where a command writes; tests pass their own to capture output. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stderr is a terminal (progress and colour are shown only then). */
  readonly isTty: boolean;
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  get isTty() {
    return process.stderr.isTTY === true;
  },
};

export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

/** Set the exit code a command action wants `main` to return. */
export function setExitCode(command: Command, code: number): void {
  (command as Command & { exitCode?: number }).exitCode = code;
}
