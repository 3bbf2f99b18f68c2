import type { Command } from 'commander';
import { ArchitectError } from '../errors.js';
import { EXIT, type Io, setExitCode } from './io.js';

/** Kept here, not imported, so `--help` does not load the emitters. A test keeps it in step. */
export const ARTIFACT_NAMES = ['schema.sql', 'openapi.yaml', 'erd.mmd'] as const;

export function registerDesignCommand(program: Command, io: Io): void {
  program
    .command('design')
    .description('write schema.sql, openapi.yaml and erd.mmd for a blueprint')
    .argument('<blueprint>', 'blueprint file, or a folder holding blueprint.yaml')
    .option('-o, --out <dir>', 'output folder', 'design')
    .option(
      '--stdout <artifact>',
      `print one artifact instead of writing files: ${ARTIFACT_NAMES.join(', ')}`,
    )
    .action(async (input: string, options: { out: string; stdout?: string }, command: Command) => {
      if (options.stdout !== undefined && !(ARTIFACT_NAMES as readonly string[]).includes(options.stdout)) {
        throw new ArchitectError('CLI_USAGE', {
          detail: `Unknown artifact \`${options.stdout}\`; choose one of ${ARTIFACT_NAMES.join(', ')}`,
        });
      }
      const [{ loadBlueprint }, design] = await Promise.all([
        import('../blueprint/index.js'),
        import('../design/index.js'),
      ]);
      const model = await loadBlueprint(input);
      if (options.stdout !== undefined) {
        io.stdout(design.DESIGN_ARTIFACTS[options.stdout as (typeof ARTIFACT_NAMES)[number]](model));
      } else {
        const written = await design.writeDesign(model, options.out);
        io.stderr(`${written.map((file) => `wrote ${file}`).join('\n')}\n`);
      }
      setExitCode(command, EXIT.ok);
    });
}
