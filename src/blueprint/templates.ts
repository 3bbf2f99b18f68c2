/**
 * Starting points for a new project: the flagship and the other examples as they ship, and a
 * small commented blank blueprint. `architect init` is a thin wrapper over `initProject`.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArchitectError } from '../errors.js';
import { snakeSuggestion } from './semantic/context.js';

export const TEMPLATE_NAMES = ['inventory', 'saas', 'chat', 'blank'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** The package root: this file lives in `src/blueprint/` or `dist/blueprint/`. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCHEMA_FILE = path.join(PACKAGE_ROOT, 'schema', 'blueprint.schema.json');
const SCHEMA_COMMENT = /^# yaml-language-server: \$schema=.*$/m;

function templateFile(name: TemplateName): string {
  return name === 'blank'
    ? path.join(PACKAGE_ROOT, 'templates', 'blank', 'blueprint.yaml')
    : path.join(PACKAGE_ROOT, 'examples', name, 'blueprint.yaml');
}

/**
 * The template's text as it will be written into `dir`: the editor schema comment points at
 * this package's schema from there, and a blank blueprint is named after the folder.
 */
export async function renderTemplate(name: TemplateName, dir: string): Promise<string> {
  let text = await readFile(templateFile(name), 'utf8');
  const schemaPath = path.relative(path.resolve(dir), SCHEMA_FILE).split(path.sep).join('/');
  const schemaComment = `# yaml-language-server: $schema=${schemaPath}`;
  text = SCHEMA_COMMENT.test(text)
    ? text.replace(SCHEMA_COMMENT, schemaComment)
    : `${schemaComment}\n${text}`;
  if (name === 'blank') {
    const folder = path.basename(path.resolve(dir));
    const serviceName = /^[a-z][a-z0-9_]*$/.test(folder) ? folder : snakeSuggestion(folder);
    if (serviceName) {
      const title = serviceName
        .split('_')
        .filter(Boolean)
        .map((word) => word[0]!.toUpperCase() + word.slice(1))
        .join(' ');
      text = text
        .replace(/^name: my_service$/m, `name: ${serviceName}`)
        .replace(/^title: My Service$/m, `title: ${title}`);
    }
  }
  return text;
}

/**
 * Write `<dir>/blueprint.yaml` from a template and return its path. Refuses to replace an
 * existing file unless `force` is set; a replacement is written beside it and renamed over it,
 * so a failure never leaves half a blueprint.
 *
 * @example
 * await initProject('my-service', 'blank'); // 'my-service/blueprint.yaml'
 */
export async function initProject(
  dir: string,
  template: TemplateName,
  options: { force?: boolean } = {},
): Promise<string> {
  const file = path.join(dir, 'blueprint.yaml');
  const text = await renderTemplate(template, dir);
  try {
    await mkdir(dir, { recursive: true });
    if (options.force) {
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, text);
      await rename(temporary, file);
    } else {
      await writeFile(file, text, { flag: 'wx' });
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new ArchitectError('CLI_FILE_EXISTS', { path: file });
    throw new ArchitectError(
      'CLI_OUTPUT',
      { path: file, detail: (error as Error).message },
      { cause: error },
    );
  }
  return file;
}
