import type { Command } from 'commander';
import { EXIT, type Io, setExitCode } from './io.js';

export function registerCheckCommand(program: Command, io: Io): void {
  program
    .command('check')
    .description('validate a blueprint and report every problem with file:line:column')
    .argument('<blueprint>', 'blueprint file, or a folder holding blueprint.yaml')
    .option('--json', 'print diagnostics as JSON on stdout')
    .action(async (input: string, options: { json?: boolean }, command: Command) => {
      const { checkBlueprint, formatDiagnostics } = await import('../blueprint/index.js');
      const result = await checkBlueprint(input);
      const hasErrors = result.diagnostics.some((item) => item.severity === 'error');
      if (options.json) {
        io.stdout(
          `${JSON.stringify({ file: result.file, valid: !hasErrors, diagnostics: result.diagnostics }, null, 2)}\n`,
        );
      } else if (result.diagnostics.length > 0) {
        io.stderr(`${formatDiagnostics(result.diagnostics)}\n`);
      }
      if (!hasErrors && !options.json && result.model) {
        const entities = result.model.entities.length;
        io.stderr(`${result.file}: ok (${entities} ${entities === 1 ? 'entity' : 'entities'})\n`);
      }
      setExitCode(command, hasErrors ? EXIT.invalid : EXIT.ok);
    });
}
