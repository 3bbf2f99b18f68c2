/**
 * Why a request names something its schema does not accept, in words a client can act on:
 * a body property that the server sets (`version`: send it as If-Match), that changes only
 * through a transition, that the path gives, that is an embedded relation, or that is a typo
 * (`nmae`: did you mean `name`?); a query parameter that is no filter (`sku[foo]`: `sku` takes
 * eq, ne, in ...). Validation still refuses them all (422 for bodies, 400 for queries); this only
 * says why.
 */
import { closestMatch } from '../../blueprint/diagnostics.js';
import type { Entity } from '../../blueprint/model.js';
import { article, humanName } from '../../design/api/names.js';

/** Why a property is refused, given the names accepted where it stands. */
export type Refusal = (property: string, accepted: readonly string[]) => string;

/** What the body writes: a row to create (or upsert), changes to a row, or a row to delete. */
export type WriteKind = 'create' | 'update' | 'delete';

function typo(property: string, accepted: readonly string[]): string {
  const match = closestMatch(property, accepted);
  return match ? `; did you mean \`${match}\`?` : '';
}

/** Why a body (or a bulk item) writing `entity` refuses a property. */
export function bodyRefusal(entity: Entity, kind: WriteKind): Refusal {
  return (property, accepted) =>
    knownProperty(entity, kind, property) ??
    `is not a property of ${article(humanName(entity))} ${humanName(entity)}${typo(property, accepted)}`;
}

/** Why a bulk request's envelope (`operation`, `onConflict`, `items`) refuses a property. */
export const bulkEnvelopeRefusal: Refusal = (property, accepted) =>
  `is not a property of a bulk request${typo(property, accepted)}`;

/** Why a property the entity has (a field or a relation) cannot be written here. */
function knownProperty(entity: Entity, kind: WriteKind, property: string): string | undefined {
  const relation = entity.relations.find((candidate) => candidate.name === property);
  if (relation) {
    const field = entity.fields.find((candidate) => candidate.name === relation.field);
    return relation.kind === 'one' && field
      ? `is a relation, read with include=${property}; set \`${field.property}\` instead`
      : `is a relation, read with include=${property}; its rows are written through their own routes`;
  }
  const field = entity.fields.find((candidate) => candidate.property === property);
  if (!field) return undefined;
  if (entity.parent?.property === property) return `is given by the path (${entity.collectionPath})`;
  switch (field.origin) {
    case 'key':
      return kind === 'update'
        ? 'is the key, named by the path; it cannot change'
        : 'is the key, which the server assigns';
    case 'lifecycle': {
      const transitions = (entity.lifecycle?.transitions ?? []).map((transition) => transition.pathSegment);
      return `changes only through its transitions: POST ${entity.itemPath}/${transitions.join('|')}`;
    }
    case 'computed':
      return 'is computed by the database from other fields';
    case 'system':
      return field.name === 'version' && kind === 'update'
        ? 'is set by the server; send the version you read as If-Match instead'
        : 'is set by the server';
  }
  if (field.readonly) return 'is read-only';
  if (kind === 'delete') return 'is not needed: a delete names only the key';
  if (kind === 'update' && !field.updatable) return 'cannot change once the row is created';
  return 'cannot be set by this request';
}

/**
 * Why a list or item route refuses a query parameter, given the parameters it takes:
 * `sku[foo]` names the operators `sku` takes, `nmae` the parameter it is likely a typo of.
 */
export const queryRefusal: Refusal = (parameter, accepted) => {
  const operator = /^(.+)\[([^\]]*)\]$/.exec(parameter);
  if (operator) {
    const prefix = `${operator[1]}[`;
    const operators = accepted
      .filter((name) => name.startsWith(prefix) && name.endsWith(']'))
      .map((name) => name.slice(prefix.length, -1));
    if (operators.length > 0) return `is not a filter: \`${operator[1]}\` takes ${operators.join(', ')}`;
  }
  return `is not a query parameter of this route${typo(parameter, accepted)}`;
};
