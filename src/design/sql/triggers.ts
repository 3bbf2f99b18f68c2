/**
 * Row triggers: the version/updated_at touch on writable tables, and the refusal on
 * append-only ones. `CREATE OR REPLACE TRIGGER` (PostgreSQL 14+) keeps the script idempotent.
 */
import type { Entity } from '../../blueprint/model.js';
import { constraintName, quoteIdentifier } from '../../sql/identifiers.js';
import { APPEND_ONLY_FUNCTION, TOUCH_FUNCTION } from './functions.js';
import type { SchemaStatement } from './statements.js';

/** Name of the row trigger refusing UPDATE/DELETE; it is the error's constraint name too. */
export function appendOnlyTriggerName(table: string): string {
  return constraintName(table, 'append_only');
}

export function touchTriggerName(table: string): string {
  return constraintName(table, 'touch');
}

function trigger(table: string, name: string, timing: string, level: 'ROW' | 'STATEMENT', fn: string) {
  return {
    kind: 'trigger' as const,
    table,
    name,
    sql: `CREATE OR REPLACE TRIGGER ${quoteIdentifier(name)}\n  ${timing} ON ${quoteIdentifier(table)}\n  FOR EACH ${level} EXECUTE FUNCTION ${fn}();`,
  };
}

/** BEFORE UPDATE: bump version and updated_at. */
export function touchTrigger(table: string): SchemaStatement {
  return trigger(table, touchTriggerName(table), 'BEFORE UPDATE', 'ROW', TOUCH_FUNCTION);
}

/**
 * Refuse changes. `operations` is `UPDATE OR DELETE` for append-only tables; TRUNCATE bypasses
 * row triggers, so a statement trigger refuses it as well.
 */
export function refusalTriggers(
  table: string,
  operations: 'UPDATE' | 'UPDATE OR DELETE',
  refuseTruncate: boolean,
): SchemaStatement[] {
  const statements = [
    trigger(table, appendOnlyTriggerName(table), `BEFORE ${operations}`, 'ROW', APPEND_ONLY_FUNCTION),
  ];
  if (refuseTruncate) {
    statements.push(
      trigger(
        table,
        constraintName(table, 'append_only_truncate'),
        'BEFORE TRUNCATE',
        'STATEMENT',
        APPEND_ONLY_FUNCTION,
      ),
    );
  }
  return statements;
}

const hasColumn = (entity: Entity, column: string) => entity.fields.some((field) => field.column === column);

export function entityTriggers(entity: Entity): SchemaStatement[] {
  if (entity.appendOnly) return refusalTriggers(entity.table, 'UPDATE OR DELETE', true);
  if (hasColumn(entity, 'version') && hasColumn(entity, 'updated_at')) return [touchTrigger(entity.table)];
  return [];
}
