/**
 * Relationship lines of the ER diagram: one per reference field, with crow's-foot cardinality
 * read from the model rather than guessed:
 *
 * - the referenced side is `||` (exactly one) for a required reference, `|o` (zero or one) for
 *   an optional one;
 * - the referencing side is `o{` (zero or more), or `o|` (zero or one) when the reference is
 *   unique on its own (a unique field, a one-column unique group, or the whole key);
 * - the line is solid (identifying) when the reference is part of the primary key or binds a
 *   nested route's parent, dotted otherwise.
 */
import type { Entity, Field, Model } from '../../blueprint/model.js';

export interface ErdRelationship {
  /** The referenced table (the "one" side). */
  readonly target: string;
  /** The referencing table. */
  readonly source: string;
  /** Mermaid cardinality and line, e.g. `||--o{`. */
  readonly symbol: string;
  /** The reference field's blueprint name. */
  readonly label: string;
}

export function relationshipsOf(model: Model): ErdRelationship[] {
  const tables = new Map(model.entities.map((entity) => [entity.name, entity.table]));
  return model.entities.flatMap((entity) =>
    entity.fields
      .filter((field) => field.reference)
      .map((field) => ({
        target: tables.get(field.reference!.entity)!,
        source: entity.table,
        symbol: symbolFor(entity, field),
        label: field.name,
      })),
  );
}

function symbolFor(entity: Entity, field: Field): string {
  const targetSide = field.nullable ? '|o' : '||';
  const line = isIdentifying(entity, field) ? '--' : '..';
  const sourceSide = isUniqueAlone(entity, field) ? 'o|' : 'o{';
  return `${targetSide}${line}${sourceSide}`;
}

function isIdentifying(entity: Entity, field: Field): boolean {
  return entity.key.columns.includes(field.column) || entity.parent?.column === field.column;
}

/** At most one row of `entity` per referenced row. */
function isUniqueAlone(entity: Entity, field: Field): boolean {
  if (field.unique) return true;
  if (entity.key.columns.length === 1 && entity.key.columns[0] === field.column) return true;
  return entity.uniques.some((group) => group.columns.length === 1 && group.columns[0] === field.column);
}
