/**
 * Authorization for the resource routes, applied by `createApp` by default:
 *
 * - **operation rules** (`preValidation`, before the body is validated so a refused caller
 *   learns nothing about the schema): the route's `access` rule, for bulk the rules of the
 *   body's `operation` (upsert needs both create and update); anonymous -> 401, signed in without
 *   the role -> 403. Includes need read access to every entity they embed.
 * - **field rules**: a body that sets a field the caller's roles may not write (`writable_by`,
 *   or a field hidden from them by `visible_to`) -> 403; filters, sorts and `fields=` naming a
 *   field hidden from the caller -> 403; hidden fields are removed from every representation
 *   the caller receives (items, pages, embedded rows).
 * - **row rules** (`resourceOptions.scope` / `assign`): tenant and owner predicates ANDed into
 *   every statement (see `row-rules.ts`), tenant and owner set by the server on create.
 * - **the tenant wall** (`resourceOptions.database`): on a PostgreSQL server with tenancy, each
 *   request's statements run in a transaction as `architect_app` with the active tenant set
 *   (`session-driver.ts`), so the RLS policies hold even if a predicate were missing.
 *
 * A row the caller may not see is never named: the row rules make it a 404.
 *
 * @example
 * ```ts
 * const authorization = createAuthorization(model, driver);
 * await app.register(authorization.plugin);
 * await registerResourceRoutes(app, { model, driver, ...authorization.resourceOptions });
 * ```
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AccessRule, Entity, Field, Model, Relation } from '../../blueprint/model.js';
import type { BulkOperationName, ResourceOperationKind } from '../../design/api/index.js';
import { APP_ROLE, TENANT_SETTING } from '../../design/sql/tenancy-policies.js';
import { ArchitectError } from '../../errors.js';
import { quoteIdentifier } from '../../sql/identifiers.js';
import type { Driver, Queryable } from '../db/index.js';
import { withSession } from '../db/session-driver.js';
import type { ResourceOptions } from '../resources/index.js';
import { type AuthPrincipal, allows, hasAnyRole, principalOf, refusal } from './principal.js';
import { assignedValues, isUuid, requestScope, rowOperationOf } from './row-rules.js';
import { recordSecurityEvent } from './security-events.js';

/** What the resource routes put in their route `config` (see `src/runtime/resources/index.ts`). */
export interface ResourceRouteConfig {
  readonly operationId?: string;
  readonly kind?: ResourceOperationKind;
  readonly entity?: string;
  readonly access?: AccessRule;
  readonly bulkAccess?: Readonly<Partial<Record<BulkOperationName, readonly AccessRule[]>>>;
}

export interface Authorization {
  /** Operation and field rules as hooks on every route that carries an access rule. */
  readonly plugin: FastifyPluginAsync;
  /** Row rules and the tenant wall for `registerResourceRoutes`. */
  readonly resourceOptions: Pick<ResourceOptions, 'scope' | 'assign' | 'database' | 'afterCreate'>;
}

interface FieldRule {
  readonly property: string;
  readonly visibleTo?: readonly string[];
  readonly writableBy?: readonly string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The resource route's access config, set by its authorization hook (null elsewhere). */
    accessRoute: unknown;
  }
}

/** The access config of the route serving `request` (set before validation; `{}` elsewhere). */
export function routeConfigOf(request: FastifyRequest): ResourceRouteConfig {
  return (request.accessRoute as ResourceRouteConfig | null) ?? {};
}

/** Route-level hooks: the route's own first, then `hook`. */
function appendHook<T>(existing: T | T[] | undefined, hook: T): T[] {
  if (existing === undefined) return [hook];
  return Array.isArray(existing) ? [...existing, hook] : [existing, hook];
}

const WRITE_KINDS = new Set<ResourceOperationKind>(['create', 'update', 'bulk']);
const READ_SHAPED_KINDS = new Set<ResourceOperationKind>(['list', 'read']);
/** Query parameters of a list that are not field names. */
const NON_FIELD_PARAMETERS = new Set(['limit', 'cursor', 'include', 'q', 'count', 'mode']);

/** Everything the hooks need per entity, computed once. */
interface EntityRules {
  readonly entity: Entity;
  readonly hidden: readonly FieldRule[];
  readonly byProperty: ReadonlyMap<string, FieldRule>;
  /**
   * The relations an `include` can embed a row through that may carry a hidden field (its own,
   * or one further down). Empty, with no hidden fields: the entity's answers need no stripping.
   */
  readonly embedsHidden: readonly Relation[];
}

function fieldRule(field: Field): FieldRule | undefined {
  if (!field.visibleTo && !field.writableBy) return undefined;
  return { property: field.property, visibleTo: field.visibleTo, writableBy: field.writableBy };
}

function canSee(rule: FieldRule | undefined, principal: AuthPrincipal | null): boolean {
  return !rule?.visibleTo || hasAnyRole(principal, rule.visibleTo);
}

function canWrite(rule: FieldRule | undefined, principal: AuthPrincipal | null): boolean {
  return canSee(rule, principal) && (!rule?.writableBy || hasAnyRole(principal, rule.writableBy));
}

/**
 * `tenancy.creator_role`: whoever creates a tenant becomes a member of it with that role, in
 * the same transaction, so the new tenant is never without someone who may run it.
 */
function creatorMembership(model: Model, request: FastifyRequest, entity: Entity) {
  const tenancy = model.tenancy;
  if (tenancy.kind !== 'organization' || entity.name !== tenancy.entity) return undefined;
  const members = tenancy.members;
  const userId = principalOf(request)?.userId;
  if (!members || !tenancy.creatorRole || !userId) return undefined;
  const role = tenancy.creatorRole;
  return async (db: Queryable, rows: readonly Readonly<Record<string, unknown>>[]) => {
    if (rows.length === 0) return;
    await db.query(
      `INSERT INTO ${quoteIdentifier(members.table)} (${quoteIdentifier(members.tenantColumn)}, ${quoteIdentifier(members.userColumn)}, ${quoteIdentifier(members.roleColumn)}) SELECT tenant::uuid, $2, $3 FROM jsonb_array_elements_text($1::text::jsonb) AS tenant`,
      [JSON.stringify(rows.map((row) => row.id)), userId, role],
    );
  };
}

/**
 * Writes that may make new tenant rows: a create, a bulk create, and a bulk upsert, whose
 * proposed rows PostgreSQL checks against the INSERT policy before it looks for a conflict, so
 * behind the wall even an upsert that only updates the active tenant would be refused.
 */
function isTenantCreation(kind: ResourceOperationKind | undefined, body: unknown): boolean {
  if (kind === 'create') return true;
  if (kind !== 'bulk') return false;
  const operation = (body as { operation?: unknown } | null | undefined)?.operation;
  return operation === 'create' || operation === 'upsert';
}

function tenantSetting(tenantId: string | undefined): string {
  return isUuid(tenantId) ? tenantId : '';
}

/**
 * Build the authorization layer for a model. For the tenant wall: `driver` is the owner's, and
 * `wallDriver`, when given, logs in as the app role (`checkWallLogin`); tenant statements run
 * there with only the tenant set, instead of switching role on the owner's connections.
 */
export function createAuthorization(model: Model, driver: Driver, wallDriver?: Driver): Authorization {
  const rules = new Map<string, EntityRules>();
  const fieldRules = new Map<string, Map<string, FieldRule>>();
  for (const entity of model.entities) {
    const byProperty = new Map<string, FieldRule>();
    for (const field of entity.fields) {
      const rule = fieldRule(field);
      if (rule) byProperty.set(field.property, rule);
    }
    fieldRules.set(entity.name, byProperty);
  }
  // Entities whose answers may carry a hidden field: their own, or one an include can embed
  // (through any chain of relations).
  const carriesHidden = new Set(
    model.entities
      .filter((entity) => [...fieldRules.get(entity.name)!.values()].some((rule) => rule.visibleTo))
      .map((entity) => entity.name),
  );
  for (let grew = true; grew; ) {
    grew = false;
    for (const entity of model.entities) {
      if (carriesHidden.has(entity.name)) continue;
      if (entity.relations.some((relation) => carriesHidden.has(relation.entity))) {
        carriesHidden.add(entity.name);
        grew = true;
      }
    }
  }
  for (const entity of model.entities) {
    const byProperty = fieldRules.get(entity.name)!;
    rules.set(entity.name, {
      entity,
      hidden: [...byProperty.values()].filter((rule) => rule.visibleTo),
      byProperty,
      embedsHidden: entity.relations.filter((relation) => carriesHidden.has(relation.entity)),
    });
  }
  const hasFieldRules = [...rules.values()].some((entry) => entry.byProperty.size > 0);

  /** 403 for the first body property the caller may not write. */
  const checkWritable = (entry: EntityRules, body: unknown, principal: AuthPrincipal | null, where = '') => {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return;
    for (const property of Object.keys(body)) {
      if (!canWrite(entry.byProperty.get(property), principal)) {
        throw new ArchitectError(
          'FORBIDDEN',
          { action: `set ${property}` },
          {
            details: [
              {
                field: `${where}${property}`,
                code: 'forbidden',
                message: `your roles may not set ${property}`,
              },
            ],
          },
        );
      }
    }
  };

  /** Includes need read access to what they embed; filters, sorts and fields= need visible fields. */
  const checkReadShape = (
    entry: EntityRules,
    query: Record<string, unknown>,
    principal: AuthPrincipal | null,
  ) => {
    const refuse = (what: string) => new ArchitectError('FORBIDDEN', { action: what });
    for (const [name, raw] of Object.entries(query)) {
      if (NON_FIELD_PARAMETERS.has(name)) continue;
      const properties =
        name === 'sort' || name === 'fields'
          ? String(raw)
              .split(',')
              .map((part) => part.trim().replace(/^[-+]/, ''))
          : [name.replace(/\[.*$/, '')];
      for (const property of properties) {
        if (!canSee(entry.byProperty.get(property), principal)) throw refuse(`read ${property}`);
      }
    }
    // Full-text search over a hidden field would answer questions about its content.
    if (query.q !== undefined) {
      for (const name of entry.entity.search?.fields ?? []) {
        const field = entry.entity.fields.find((candidate) => candidate.name === name);
        if (field && !canSee(entry.byProperty.get(field.property), principal))
          throw refuse(`search ${field.property}`);
      }
    }
    if (query.include === undefined) return;
    for (const path of String(query.include).split(',')) {
      let current: Entity | undefined = entry.entity;
      for (const name of path.trim().split('.')) {
        const relation: Relation | undefined = current?.relations.find(
          (candidate) => candidate.name === name,
        );
        if (!relation) break; // unknown names are the list parser's 400
        current = rules.get(relation.entity)?.entity;
        if (current && !allows(current.access.read, principal)) throw refuse(`read ${relation.name}`);
      }
    }
  };

  /** Remove the fields hidden from the caller from a row and the rows embedded in it. */
  const strip = (entry: EntityRules, row: unknown, principal: AuthPrincipal | null, depth: number): void => {
    if (!row || typeof row !== 'object' || depth > 4) return;
    const record = row as Record<string, unknown>;
    for (const rule of entry.hidden) if (!canSee(rule, principal)) delete record[rule.property];
    for (const relation of entry.embedsHidden) {
      const embedded = record[relation.name];
      if (embedded === undefined) continue;
      const target = rules.get(relation.entity)!;
      if (Array.isArray(embedded)) for (const item of embedded) strip(target, item, principal, depth + 1);
      else strip(target, embedded, principal, depth + 1);
    }
  };

  /** The operation and field checks of one route, before its body and query are validated. */
  const checkRequest = (config: ResourceRouteConfig, request: FastifyRequest): void => {
    if (!config.access || !config.kind) return;
    const principal = principalOf(request);
    if (config.kind === 'bulk') {
      const name = (request.body as { operation?: unknown } | null | undefined)?.operation;
      const named = typeof name === 'string' ? config.bulkAccess?.[name as BulkOperationName] : undefined;
      const candidates = named ? [named] : Object.values(config.bulkAccess ?? {});
      // A known operation needs all its rules; an unknown one (validation answers 422) any set.
      if (!candidates.some((set) => set?.every((rule) => allows(rule, principal)))) {
        throw refusal(principal, `${typeof name === 'string' ? name : 'bulk write'} ${config.entity}`);
      }
    } else if (!allows(config.access, principal)) {
      throw refusal(principal, `${config.kind} ${config.entity ?? 'this resource'}`);
    }
    const entry = config.entity ? rules.get(config.entity) : undefined;
    if (!entry) return;
    // A tenant-owned row needs a tenant to belong to: without an active one, nothing to create.
    if (
      entry.entity.tenant &&
      (config.kind === 'create' || config.kind === 'bulk') &&
      principal &&
      !principal.tenantId
    ) {
      throw new ArchitectError('FORBIDDEN', {
        action: `${config.kind} ${config.entity} without an active organization`,
      });
    }
    if (READ_SHAPED_KINDS.has(config.kind) && request.query) {
      const query = request.query as Record<string, unknown>;
      // Without field rules only includes can reach what the caller may not read.
      if (entry.byProperty.size > 0 || query.include !== undefined) checkReadShape(entry, query, principal);
    }
    if (hasFieldRules && WRITE_KINDS.has(config.kind)) {
      if (config.kind === 'bulk') {
        const items = (request.body as { items?: unknown } | null | undefined)?.items;
        if (Array.isArray(items)) {
          items.forEach((item, index) => {
            checkWritable(entry, item, principal, `items/${index}/`);
          });
        }
      } else {
        checkWritable(entry, request.body, principal);
      }
    }
  };

  /** Hidden fields out of a route's answer (only when some field is hidden from some role). */
  const stripAnswer = (config: ResourceRouteConfig, request: FastifyRequest, payload: unknown): void => {
    const entry = config.entity ? rules.get(config.entity) : undefined;
    if (!entry || !config.kind || !carriesHidden.has(entry.entity.name)) return;
    const principal = principalOf(request);
    if (config.kind === 'list') {
      const data = (payload as { data?: unknown } | null)?.data;
      if (Array.isArray(data)) for (const row of data) strip(entry, row, principal, 0);
    } else if (config.kind !== 'bulk' && config.kind !== 'history' && config.kind !== 'audit') {
      strip(entry, payload, principal, 0);
    }
  };

  // Each resource route gets its own hooks, closed over its config: a global hook would run on
  // every request and read `request.routeOptions` (a new object per call) to find the config.
  const plugin: FastifyPluginAsync = fp(async (app) => {
    app.decorateRequest('accessRoute', null);
    app.addHook('onRoute', (route) => {
      const config = route.config as ResourceRouteConfig | undefined;
      if (!config?.kind) return;
      const authorize = (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) => {
        request.accessRoute = config;
        try {
          checkRequest(config, request);
        } catch (error) {
          done(error as Error);
          return;
        }
        done();
      };
      // Refusals of a signed-in caller go to the security event trail, after the answer is sent
      // (recording never fails or slows the request; see security-events.ts).
      const recordRefusal = (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
        if (reply.statusCode !== 403) {
          done();
          return;
        }
        const principal = principalOf(request);
        void recordSecurityEvent(driver, request, 'access_denied', {
          userId: principal?.userId,
          tenantId: principal?.tenantId && isUuid(principal.tenantId) ? principal.tenantId : null,
          detail: { kind: config.kind, entity: config.entity },
        }).finally(done);
      };
      route.preValidation = appendHook(route.preValidation, authorize);
      route.onResponse = appendHook(route.onResponse, recordRefusal);
      // Only routes whose answers may carry a hidden field strip them.
      if (config.entity && carriesHidden.has(config.entity)) {
        const stripHook = (
          request: FastifyRequest,
          reply: FastifyReply,
          payload: unknown,
          done: (error: Error | null, payload: unknown) => void,
        ) => {
          if (reply.statusCode < 300) stripAnswer(config, request, payload);
          done(null, payload);
        };
        route.preSerialization = appendHook(route.preSerialization, stripHook);
      }
    });
  });

  const tenancy = model.tenancy;
  const tenantWall = driver.kind === 'postgres' && tenancy.kind === 'organization';

  const hasRowRules = tenancy.kind === 'organization' || model.entities.some((entity) => entity.owner);
  const resourceOptions: Authorization['resourceOptions'] = {
    // No row rules: no scope to build per request.
    ...(hasRowRules
      ? {
          scope: (request: FastifyRequest, entity: Entity) => {
            const config = routeConfigOf(request);
            return requestScope(model, request, entity, {
              entity: config.entity,
              operation: config.kind ? rowOperationOf(config.kind, request.body) : 'read',
            });
          },
        }
      : {}),
    assign: (request, entity) => assignedValues(model, request, entity),
    afterCreate: (request, entity) => creatorMembership(model, request, entity),
    ...(tenantWall
      ? {
          database: (request: FastifyRequest) => {
            const config = routeConfigOf(request);
            // A new tenant row is not the active tenant's: its creation is the access rule's call
            // (one at a time, a bulk create or a bulk upsert). An upsert's updates are held to
            // the active tenant by the row rules' predicate on its DO UPDATE, as on PGlite.
            if (config.entity === tenancy.entity && isTenantCreation(config.kind, request.body))
              return driver;
            // Not a UUID: no tenant (no rows), never a cast error in the policy.
            const settings = { [TENANT_SETTING]: tenantSetting(principalOf(request)?.tenantId) };
            return wallDriver
              ? withSession(wallDriver, { settings })
              : withSession(driver, { role: APP_ROLE, settings });
          },
        }
      : {}),
  };

  return { plugin, resourceOptions };
}
