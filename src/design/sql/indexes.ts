/**
 * Indexes: every `entity.indexes` entry (declared, unique groups, foreign-key cover, lifecycle,
 * search). The model already adds one for each foreign key no other index leads with.
 */
import type { Entity, IndexDef } from '../../blueprint/model.js';
import { quoteIdentifier } from '../../sql/identifiers.js';
import type { SchemaStatement } from './statements.js';

/** `CREATE [UNIQUE] INDEX IF NOT EXISTS name ON table USING method (columns) [WHERE ...]`. */
export function indexStatement(table: string, index: IndexDef): SchemaStatement {
  const unique = index.unique ? 'UNIQUE ' : '';
  const columns = index.columns.map(quoteIdentifier).join(', ');
  const where = index.where ? ` WHERE ${index.where}` : '';
  return {
    kind: 'index',
    table,
    name: index.name,
    sql: `CREATE ${unique}INDEX IF NOT EXISTS ${quoteIdentifier(index.name)} ON ${quoteIdentifier(table)} USING ${index.method} (${columns})${where};`,
  };
}

export function entityIndexes(entity: Entity): SchemaStatement[] {
  return entity.indexes.map((index) => indexStatement(entity.table, index));
}
