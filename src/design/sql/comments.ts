/**
 * COMMENT ON statements: descriptions from the blueprint, and each check's message on its
 * constraint, so the database itself tells what a violated rule means.
 */
import type { Entity } from '../../blueprint/model.js';
import { quoteIdentifier, quoteLiteral } from '../../sql/identifiers.js';
import { addedColumnDescriptions } from './columns.js';
import type { SchemaStatement } from './statements.js';

export function tableComment(table: string, text: string): SchemaStatement {
  return {
    kind: 'comment',
    table,
    name: table,
    sql: `COMMENT ON TABLE ${quoteIdentifier(table)} IS ${quoteLiteral(text)};`,
  };
}

export function columnComment(table: string, column: string, text: string): SchemaStatement {
  return {
    kind: 'comment',
    table,
    name: `${table}.${column}`,
    sql: `COMMENT ON COLUMN ${quoteIdentifier(table)}.${quoteIdentifier(column)} IS ${quoteLiteral(text)};`,
  };
}

export function constraintComment(table: string, constraint: string, text: string): SchemaStatement {
  return {
    kind: 'comment',
    table,
    name: constraint,
    sql: `COMMENT ON CONSTRAINT ${quoteIdentifier(constraint)} ON ${quoteIdentifier(table)} IS ${quoteLiteral(text)};`,
  };
}

export function entityComments(entity: Entity): SchemaStatement[] {
  const statements: SchemaStatement[] = [];
  if (entity.description) statements.push(tableComment(entity.table, entity.description));
  for (const field of entity.fields) {
    if (field.description) statements.push(columnComment(entity.table, field.column, field.description));
  }
  for (const added of addedColumnDescriptions(entity)) {
    statements.push(columnComment(entity.table, added.column, added.description));
  }
  for (const item of entity.checks) {
    statements.push(constraintComment(entity.table, item.constraint, item.message));
  }
  return statements;
}
