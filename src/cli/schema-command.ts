import type { Command } from 'commander';
import type { Io } from './io.js';

export function registerSchemaCommand(program: Command, io: Io): void {
  program
    .command('schema')
    .description('print the JSON Schema of the blueprint language (for editors)')
    .action(async () => {
      const { BLUEPRINT_JSON_SCHEMA } = await import('../blueprint/json-schema.js');
      io.stdout(`${JSON.stringify(BLUEPRINT_JSON_SCHEMA, null, 2)}\n`);
    });
}
