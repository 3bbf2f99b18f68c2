import type { Command } from 'commander';
import { BlueprintError, formatDiagnostics } from '../blueprint/diagnostics.js';
import { ArchitectError } from '../errors.js';

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

/**
 * An error as the CLI prints it: a blueprint's problems as `file:line:column` diagnostics, a
 * catalog error as `error CODE: message`, anything else as an internal error with its stack.
 */
export function formatError(error: unknown): string {
  if (error instanceof BlueprintError) return formatDiagnostics(error.diagnostics);
  if (error instanceof ArchitectError) return `error ${error.code}: ${error.message}`;
  return `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}
