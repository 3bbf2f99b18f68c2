import type { Command } from 'commander';
import { BLUEPRINT_JSON_SCHEMA } from '../blueprint/index.js';
import type { Io } from './io.js';

export function registerSchemaCommand(program: Command, io: Io): void {
  program
    .command('schema')
    .description('print the JSON Schema of the blueprint language (for editors)')
    .action(() => {
      io.stdout(`${JSON.stringify(BLUEPRINT_JSON_SCHEMA, null, 2)}\n`);
    });
}
