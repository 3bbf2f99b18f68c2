/**
 * Row rules compiled into SQL: the `AuthorizationScope` every resource statement ANDs in (lists,
 * counts, item reads, updates, deletes, bulk, transitions and every include), and the values the
 * server sets on created rows. Tenant-owned rows match the caller's active tenant; the tenant
 * row itself is the active tenant only; owned rows match the caller for the operations the
 * `owner` rule limits, unless the caller holds one of its `except` roles.
 *
 * A caller without a tenant (or anonymous, where the rule needs one) gets `false`: no row, so
 * every item answer is 404 and every list is empty; nothing says another tenant's row exists.
 */
import type { FastifyRequest } from 'fastify';
import type { Entity, Field, Model, OwnedOperation } from '../../blueprint/model.js';
import type { OperationKind } from '../../design/api/index.js';
import { quoteIdentifier } from '../../sql/identifiers.js';
import type { AuthorizationScope } from '../query/index.js';
import { qualified } from '../query/sql.js';
import { type AuthPrincipal, hasAnyRole, principalOf } from './principal.js';

/** What a request does to the rows of its own entity (included entities are always read). */
export type RowOperation = OwnedOperation | 'create';

const OPERATION_OF_KIND: Record<OperationKind, RowOperation | undefined> = {
  list: 'read',
  read: 'read',
  history: 'read',
  audit: undefined,
  service: undefined,
  create: 'create',
  update: 'update',
  transition: 'update',
  delete: 'delete',
  bulk: undefined,
};

const OPERATION_OF_BULK: Record<string, RowOperation> = {
  create: 'create',
  update: 'update',
  upsert: 'update',
  delete: 'delete',
};

/** The row operation a route performs on its entity (bulk: from the body's `operation`). */
export function rowOperationOf(kind: OperationKind, body: unknown): RowOperation | undefined {
  if (kind !== 'bulk') return OPERATION_OF_KIND[kind];
  const name = body && typeof body === 'object' ? (body as { operation?: unknown }).operation : undefined;
  return typeof name === 'string' ? (OPERATION_OF_BULK[name] ?? 'update') : 'update';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids that can match a uuid column; anything else matches no row (never a cast error). */
export function isUuid(value: string | undefined): value is string {
  return value !== undefined && UUID.test(value);
}

/** The predicate for one entity, or undefined when no rule limits its rows. */
export function rowPredicate(
  model: Model,
  entity: Entity,
  principal: AuthPrincipal | null,
  operation: RowOperation,
  alias: string,
  bind: (value: unknown) => string,
): string | undefined {
  const conditions: string[] = [];
  const tenancy = model.tenancy;
  if (tenancy.kind === 'organization') {
    const column = entity.tenant?.column ?? (entity.name === tenancy.entity ? 'id' : undefined);
    if (column) {
      if (!isUuid(principal?.tenantId)) return 'false';
      conditions.push(`${qualified(alias, column)} = ${bind(principal!.tenantId)}::uuid`);
    }
    // The people of a multi-tenant app: yourself and the members of your active tenant, so
    // no tenant can list the accounts (and e-mail addresses) of another.
    const members = tenancy.members;
    if (members && entity.name === model.auth.users && operation === 'read') {
      const self = isUuid(principal?.userId)
        ? `${qualified(alias, 'id')} = ${bind(principal!.userId)}::uuid`
        : undefined;
      const team = isUuid(principal?.tenantId)
        ? `EXISTS (SELECT 1 FROM ${quoteIdentifier(members.table)} m WHERE m.${quoteIdentifier(members.userColumn)} = ${qualified(alias, 'id')} AND m.${quoteIdentifier(members.tenantColumn)} = ${bind(principal!.tenantId)}::uuid)`
        : undefined;
      const either = [self, team].filter(Boolean);
      conditions.push(either.length === 0 ? 'false' : `(${either.join(' OR ')})`);
    }
  }
  const owner = entity.owner;
  if (
    owner &&
    operation !== 'create' &&
    owner.operations.includes(operation) &&
    !hasAnyRole(principal, owner.exceptRoles)
  ) {
    if (!isUuid(principal?.userId)) return 'false';
    conditions.push(`${qualified(alias, owner.column)} = ${bind(principal!.userId)}::uuid`);
  }
  return conditions.length > 0 ? conditions.join(' AND ') : undefined;
}

/**
 * The scope of a request: its own entity gets the route's row operation, every other entity
 * (includes, the parent of a nested collection) is read. For models with row rules (tenancy or
 * an owner somewhere); `createAuthorization` installs no scope at all for the others.
 */
export function requestScope(
  model: Model,
  request: FastifyRequest,
  entity: Entity,
  route: { entity?: string; operation?: RowOperation },
): AuthorizationScope {
  const principal = principalOf(request);
  const operation = route.entity === entity.name ? (route.operation ?? 'read') : 'read';
  return {
    predicate: (alias, bind, name) =>
      rowPredicate(
        model,
        name === entity.name ? entity : model.entities.find((e) => e.name === name)!,
        principal,
        operation,
        alias,
        bind,
      ),
  };
}

/** Tenant and owner values for rows the request creates (non-parent tenant columns, owner). */
export function assignedValues(_model: Model, request: FastifyRequest, entity: Entity): [Field, unknown][] {
  const principal = principalOf(request);
  const values: [Field, unknown][] = [];
  if (entity.tenant && entity.parent?.column !== entity.tenant.column) {
    values.push([
      entity.fields.find((field) => field.column === entity.tenant!.column)!,
      principal?.tenantId ?? null,
    ]);
  }
  if (entity.owner) {
    values.push([
      entity.fields.find((field) => field.column === entity.owner!.column)!,
      principal?.userId ?? null,
    ]);
  }
  return values;
}
