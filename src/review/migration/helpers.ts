/**
 * Helpers the migration rules share.
 */
import type { AlterTableCmd, Constraint } from 'libpg-query';
import { keyOfRangeVar, nodeAs } from '../sql-parse/ast.js';
import { defaultConstraintName } from '../sql-parse/constraints.js';
import type { MigrationContext } from './context.js';

export { quote, tableSql } from '../sql/helpers.js';

export interface AlterCommand {
  readonly table: string;
  readonly cmd: AlterTableCmd;
  readonly constraint?: Constraint;
}

/** The subcommands of an ALTER TABLE on a table that already existed before this file. */
export function alterCommandsOnExisting(context: MigrationContext): AlterCommand[] {
  const alter = context.node('AlterTableStmt');
  const table = keyOfRangeVar(alter?.relation);
  if (!alter || !table || (alter.objtype && alter.objtype !== 'OBJECT_TABLE') || !context.isExisting(table))
    return [];
  const commands: AlterCommand[] = [];
  for (const item of alter.cmds ?? []) {
    const cmd = nodeAs(item, 'AlterTableCmd');
    if (!cmd) continue;
    const constraint = nodeAs(cmd.def, 'Constraint');
    commands.push(constraint ? { table, cmd, constraint } : { table, cmd });
  }
  return commands;
}

/** The constraint's name, or the one PostgreSQL would choose, so a fix can VALIDATE it by name. */
export function constraintNameFor(
  table: string,
  constraint: Constraint,
  columns: string[],
  suffix: string,
): string {
  return constraint.conname ?? defaultConstraintName(table.slice(table.indexOf('.') + 1), columns, suffix);
}

/** The usual closing advice: keep the lock wait short. */
export const LOCK_TIMEOUT_ADVICE =
  "Run it with a short lock_timeout (SET lock_timeout = '2s') and retry on failure, so a long-running query ahead of it cannot queue every other query behind it.";
