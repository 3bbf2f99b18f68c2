import type { Command } from 'commander';
import { ArchitectError } from '../errors.js';
import { EXIT, type Io, setExitCode } from './io.js';

/** Kept here, not imported, so `--help` does not load the blueprint loader. */
const TEMPLATES = ['inventory', 'saas', 'chat', 'blank'] as const;

export function registerInitCommand(program: Command, io: Io): void {
  program
    .command('init')
    .description('start a project: write <dir>/blueprint.yaml from a template')
    .argument('<dir>', 'folder to create (or an existing one)')
    .option('-t, --template <name>', `one of ${TEMPLATES.join(', ')}`, 'blank')
    .option('-f, --force', 'overwrite an existing blueprint.yaml')
    .action(async (dir: string, options: { template: string; force?: boolean }, command: Command) => {
      if (!(TEMPLATES as readonly string[]).includes(options.template)) {
        throw new ArchitectError('CLI_USAGE', {
          detail: `Unknown template \`${options.template}\`; choose one of ${TEMPLATES.join(', ')}`,
        });
      }
      const { initProject } = await import('../blueprint/templates.js');
      const file = await initProject(dir, options.template as (typeof TEMPLATES)[number], {
        force: options.force === true,
      });
      io.stderr(
        [
          `created ${file} from the ${options.template} template`,
          '',
          'next steps:',
          `  architect check ${dir}      validate it: every problem with file:line:column`,
          `  architect design ${dir} --out ${joinPath(dir, 'design')}`,
          '                             schema.sql, openapi.yaml and erd.mmd from it',
          '  the language reference is docs/blueprint.md',
          '',
        ].join('\n'),
      );
      setExitCode(command, EXIT.ok);
    });
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}
