/**
 * What each entity exposes, decided once from the model (docs/api.md, "Routes"): the schema
 * builder and the operation list both read this, so a route never lacks its schema.
 */
import type { AccessRule, Entity, Transition } from '../../blueprint/model.js';
import { conflictTargets, updateFields } from './entity-schemas.js';
import type { BulkOperationName } from './types.js';

export interface EntityCapabilities {
  readonly list: boolean;
  readonly read: boolean;
  readonly create: boolean;
  readonly update: boolean;
  readonly delete: boolean;
  /** Allowed bulk operations (empty: no bulk route). */
  readonly bulk: readonly BulkOperationName[];
  readonly transitions: readonly Transition[];
  readonly history: boolean;
}

function allowed(rule: AccessRule): boolean {
  return rule.kind !== 'none';
}

/**
 * - `writable: false`: list and read only (and the status history, which is a read);
 * - `append_only`: list, read, create, bulk create;
 * - an access rule of `none` removes the route;
 * - PATCH exists only when some field is updatable; upsert only with a unique target.
 */
export function entityCapabilities(entity: Entity): EntityCapabilities {
  const readable = allowed(entity.access.read);
  const changeable = entity.writable && !entity.appendOnly;
  const create = entity.writable && allowed(entity.access.create);
  const update = changeable && allowed(entity.access.update) && updateFields(entity).length > 0;
  const remove = changeable && allowed(entity.access.delete);
  const bulk: BulkOperationName[] = [];
  if (create) bulk.push('create');
  if (update) bulk.push('update');
  if (create && update && conflictTargets(entity).length > 0) bulk.push('upsert');
  if (remove) bulk.push('delete');
  const transitions = changeable
    ? (entity.lifecycle?.transitions ?? []).filter((transition) => allowed(transition.access))
    : [];
  return {
    list: readable,
    read: readable,
    create,
    update,
    delete: remove,
    bulk,
    transitions,
    history: readable && entity.lifecycle?.historyTable !== undefined,
  };
}
