/**
 * The `architect` command line. Each command lives in its own file and only wires arguments to
 * library functions a user could call directly.
 */
import { Command, CommanderError } from 'commander';
// Only light modules load up front; each command imports what it needs when it runs.
import { ArchitectError } from '../errors.js';
import { registerCheckCommand } from './check-command.js';
import { registerDesignCommand } from './design-command.js';
import { registerInitCommand } from './init-command.js';
import { EXIT, formatError, type Io, processIo } from './io.js';
import { registerReviewCommand } from './review-command.js';
import { registerSchemaCommand } from './schema-command.js';
import { registerServeCommand } from './serve-command.js';
import { version } from './version.js';

/** Every command registers itself here, in the order `--help` lists them. */
const COMMANDS: ((program: Command, io: Io) => void)[] = [
  registerInitCommand,
  registerCheckCommand,
  registerDesignCommand,
  registerSchemaCommand,
  registerReviewCommand,
  registerServeCommand,
];

/**
 * Run the CLI with the given arguments (without `node` and the script) and resolve to the exit
 * code: 0 success, 1 invalid input or findings, 2 usage error.
 */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  preloadFor(argv[0]);
  const program = new Command('architect')
    .description('Describe a backend once in a blueprint; design, serve, review and verify it.')
    .version(version(), '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    // Wide enough that every command's summary stays on one line of `--help`.
    .configureHelp({ helpWidth: 120 })
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) })
    .exitOverride();
  for (const register of COMMANDS) register(program, io);
  for (const command of program.commands) {
    command
      .exitOverride()
      .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) });
  }

  let exitCode: number = EXIT.ok;
  program.hook('postAction', (_thisCommand, actionCommand) => {
    const code = (actionCommand as Command & { exitCode?: number }).exitCode;
    if (typeof code === 'number') exitCode = code;
  });
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

/**
 * Commands that read a blueprint start loading the loader before the command line is even
 * parsed: its module graph (the reader, the validator, the checks) then overlaps with
 * commander's work. The command's own `import()` gets the same module; a failure surfaces there,
 * so this one is silenced.
 */
function preloadFor(command: string | undefined): void {
  if (command === 'check' || command === 'design') {
    import('../blueprint/index.js').catch(() => undefined);
  }
  if (command === 'design') import('../design/index.js').catch(() => undefined);
}

function reportError(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    // --help and --version exit through here with code 0.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  io.stderr(`${formatError(error)}\n`);
  return error instanceof ArchitectError && error.code === 'CLI_USAGE' ? EXIT.usage : EXIT.invalid;
}
