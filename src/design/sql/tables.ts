/**
 * CREATE TABLE statements: columns, primary key, foreign keys and checks, all named, so a
 * violation names the rule broken. Foreign keys to tables created later (`reference.deferred`)
 * are added after every table exists, by an idempotent DO block.
 */
import type { Entity, Field, OnDelete } from '../../blueprint/model.js';
import { quoteIdentifier, quoteLiteral } from '../../sql/identifiers.js';
import { alignedColumnLines, type ColumnSpec, columnDefinition, entityColumns } from './columns.js';
import type { SchemaStatement, TableConstraint } from './statements.js';

const ON_DELETE: Record<OnDelete, string> = {
  restrict: 'ON DELETE RESTRICT',
  cascade: 'ON DELETE CASCADE',
  set_null: 'ON DELETE SET NULL',
  no_action: 'ON DELETE NO ACTION',
};

const list = (columns: readonly string[]) => columns.map(quoteIdentifier).join(', ');

export function primaryKey(name: string, columns: readonly string[]): TableConstraint {
  return { name, kind: 'primary_key', definition: `PRIMARY KEY (${list(columns)})` };
}

export function foreignKey(
  name: string,
  columns: readonly string[],
  target: { table: string; columns: readonly string[] },
  onDelete: OnDelete,
): TableConstraint {
  return {
    name,
    kind: 'foreign_key',
    definition: `FOREIGN KEY (${list(columns)}) REFERENCES ${quoteIdentifier(target.table)} (${list(target.columns)}) ${ON_DELETE[onDelete]}`,
  };
}

export function check(name: string, sql: string): TableConstraint {
  return { name, kind: 'check', definition: `CHECK (${sql})` };
}

/** `CREATE TABLE IF NOT EXISTS` with aligned columns and one named constraint per line. */
export function tableStatement(
  table: string,
  columns: readonly ColumnSpec[],
  constraints: readonly TableConstraint[],
): SchemaStatement {
  const lines = [
    ...alignedColumnLines(columns),
    ...constraints.map((item) => `CONSTRAINT ${quoteIdentifier(item.name)} ${item.definition}`),
  ];
  return {
    kind: 'table',
    table,
    name: table,
    sql: `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(table)} (\n${lines.map((line) => `  ${line}`).join(',\n')}\n);`,
    columns: columns.map(columnDefinition),
    constraints,
  };
}

function referenceConstraint(field: Field): TableConstraint {
  const reference = field.reference!;
  // Between tenant-owned tables the key includes the tenant column, so no row can point into
  // another tenant; SET NULL then clears only the reference (PostgreSQL 15+ column list).
  const tenant = reference.tenant;
  const constraint = foreignKey(
    reference.constraint,
    tenant ? [tenant.column, field.column] : [field.column],
    {
      table: reference.table,
      columns: tenant ? [tenant.targetColumn, reference.column] : [reference.column],
    },
    reference.onDelete,
  );
  if (!tenant || reference.onDelete !== 'set_null') return constraint;
  return {
    ...constraint,
    definition: constraint.definition.replace(/SET NULL$/, `SET NULL (${quoteIdentifier(field.column)})`),
  };
}

/** The entity's table: primary key, then foreign keys to tables that already exist, then checks. */
export function entityTable(entity: Entity): SchemaStatement {
  const constraints: TableConstraint[] = [
    primaryKey(entity.key.constraint, entity.key.columns),
    ...entity.fields.filter((field) => field.reference && !field.reference.deferred).map(referenceConstraint),
    ...entity.checks.map((item) => check(item.constraint, item.sql)),
  ];
  return tableStatement(entity.table, entityColumns(entity), constraints);
}

/** Foreign keys whose target table is created after this one, added once both exist. */
export function deferredForeignKeys(entity: Entity): SchemaStatement[] {
  return entity.fields
    .filter((field) => field.reference?.deferred)
    .map((field) => addConstraintIfMissing(entity.table, referenceConstraint(field)));
}

/**
 * `ALTER TABLE ... ADD CONSTRAINT` guarded by a catalog lookup, since PostgreSQL has no
 * `ADD CONSTRAINT IF NOT EXISTS`.
 */
export function addConstraintIfMissing(table: string, constraint: TableConstraint): SchemaStatement {
  const relation = quoteLiteral(quoteIdentifier(table));
  const sql = `DO $do$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_constraint
    WHERE conrelid = ${relation}::regclass AND conname = ${quoteLiteral(constraint.name)}
  ) THEN
    ALTER TABLE ${quoteIdentifier(table)}
      ADD CONSTRAINT ${quoteIdentifier(constraint.name)} ${constraint.definition};
  END IF;
END
$do$;`;
  return { kind: 'constraint', table, name: constraint.name, sql };
}
