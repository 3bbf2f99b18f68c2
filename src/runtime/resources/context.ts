/**
 * What every resource route shares: the model, the driver, the per-entity plans, and the hooks the
 * security layer fills in (row scope, If-Match policy). Also the small request helpers: path keys,
 * the actor, ETags.
 */
import type { FastifyRequest } from 'fastify';
import type { Entity, Field, Model, PathParam } from '../../blueprint/model.js';
import type { ComponentSchemas, Operation } from '../../design/api/index.js';
import { ArchitectError } from '../../errors.js';
import type { Driver, Queryable } from '../db/index.js';
import type { AuthorizationScope, EntityPlan, ExpectedVersion } from '../query/index.js';
import { INVALID, parseValue } from '../query/index.js';
import type {} from '../server/app.js';
import type { PointReads } from './point-reads.js';
import type { Validators } from './validation.js';
import type { BatchedWrite, WriteBatches } from './write-batches.js';

export interface ResourceOptions {
  readonly model: Model;
  readonly driver: Driver;
  /** The operations to serve; default `buildOperations(model)`. */
  readonly operations?: readonly Operation[];
  /**
   * Row rules for a request on an entity (tenant, owner ...), ANDed into every statement the
   * request runs on that entity and on the entities it includes.
   */
  readonly scope?: (request: FastifyRequest, entity: Entity) => AuthorizationScope | undefined;
  /**
   * Values the server sets on the rows a request creates (the tenant, the owner), which clients
   * cannot send: `[field, value]` pairs for the entity.
   */
  readonly assign?: (
    request: FastifyRequest,
    entity: Entity,
  ) => readonly (readonly [Field, unknown])[] | undefined;
  /**
   * The driver a request's statements run on (default: `driver`): the tenant wall hands out a
   * session view that runs them as the request role with the active tenant set.
   */
  readonly database?: (request: FastifyRequest) => Driver;
  /**
   * Writes that belong with created rows, run in their transaction, one statement for all of
   * them (the creator's membership in each new tenant); undefined when there are none for this
   * request and entity.
   */
  readonly afterCreate?: (
    request: FastifyRequest,
    entity: Entity,
  ) => ((db: Queryable, rows: readonly Readonly<Record<string, unknown>>[]) => Promise<void>) | undefined;
  /**
   * Entities whose PATCH, DELETE and transitions need If-Match (428 without). Default: those
   * the blueprint marks `if_match: required`.
   */
  readonly requireIfMatch?: (entity: Entity) => boolean;
  /**
   * Reads by id that would wait for a connection go to the database as one statement, when no
   * row rules or tenant wall apply (default true; see point-reads.ts).
   */
  readonly batchReads?: boolean;
  /**
   * Creates beyond two in flight for an entity go to the database as one INSERT, when no row
   * rules, tenant wall or Idempotency-Key apply (default true; see write-batches.ts).
   */
  readonly batchCreates?: boolean;
  /** The same for updates (PATCH), as one UPDATE (default true; see write-batches.ts). */
  readonly batchUpdates?: boolean;
}

export interface ResourceContext {
  readonly model: Model;
  readonly driver: Driver;
  readonly plans: ReadonlyMap<string, EntityPlan>;
  readonly components: ComponentSchemas;
  readonly options: ResourceOptions;
  /** Compiled request validators, shared by the routes (see validation.ts). */
  readonly validators: Validators;
  /** The item-read batchers by entity name, for the metrics (see point-reads.ts). */
  readonly pointReads: Map<string, PointReads>;
  /** The write batchers, for the metrics (see write-batches.ts). */
  readonly writeBatches: {
    readonly entity: string;
    readonly operation: 'create' | 'update';
    readonly batches: WriteBatches<BatchedWrite>;
  }[];
}

export function planOf(context: ResourceContext, operation: Operation): EntityPlan {
  return context.plans.get(operation.entity!)!;
}

/** The audit/history actor: `request.principal.id` (set by authentication), or `anonymous`. */
export function actorOf(request: FastifyRequest): string {
  return request.principal?.id ?? 'anonymous';
}

export function originOf(request: FastifyRequest): { actor: string; requestId: string } {
  return { actor: actorOf(request), requestId: String(request.id) };
}

/** The driver for this request's statements (see `ResourceOptions.database`). */
export function driverOf(context: ResourceContext, request: FastifyRequest): Driver {
  return context.options.database?.(request) ?? context.driver;
}

export function scopeOf(
  context: ResourceContext,
  request: FastifyRequest,
  plan: EntityPlan,
): AuthorizationScope | undefined {
  return context.options.scope?.(request, plan.entity);
}

/** Server-set values for rows this request creates (see `ResourceOptions.assign`). */
export function assignedOf(
  context: ResourceContext,
  request: FastifyRequest,
  plan: EntityPlan,
): readonly (readonly [Field, unknown])[] | undefined {
  return context.options.assign?.(request, plan.entity);
}

/** Path parameter values in order, parsed for their field's kind (404 when one cannot exist). */
export function pathValues(
  params: readonly PathParam[],
  request: FastifyRequest,
  resource: string,
): unknown[] {
  const source = (request.params ?? {}) as Record<string, unknown>;
  return params.map((param) => {
    const value = parseValue(param.field, String(source[param.name]));
    if (value === INVALID) throw new ArchitectError('NOT_FOUND', { resource });
    return value;
  });
}

/** `"3"` for version 3. */
export function etagOf(version: unknown): string {
  return `"${version}"`;
}

/** One of our tags, strong or weak: `"3"`, `W/"3"`. */
const VERSION_TAG = /^(?:W\/)?"(\d{1,9})"$/;
/** The usual header: one tag, perhaps with spaces around it. */
const ONE_VERSION_TAG = /^\s*(?:W\/)?"(\d{1,9})"\s*$/;

/**
 * The version(s) an `If-Match` names, `undefined` without the header or with `*`. A list matches
 * when any of its tags does (RFC 9110 §13.1.1); tags that are not ours can never match and are
 * passed over. A header naming none of our tags never matches: 412, saying what it must be.
 */
export function ifMatchVersion(request: FastifyRequest, resource: string): ExpectedVersion | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const one = ONE_VERSION_TAG.exec(header);
  if (one) return Number(one[1]);
  if (header.trim() === '*') return undefined;
  const versions = new Set<number>();
  for (const candidate of header.split(',')) {
    const match = VERSION_TAG.exec(candidate.trim());
    if (match) versions.add(Number(match[1]));
  }
  if (versions.size === 0) {
    throw new ArchitectError(
      'PRECONDITION_FAILED',
      { resource, expected: header.trim() },
      {
        message: `If-Match must name versions of the ${resource} as its ETag does ("3"); got ${header.trim()}`,
      },
    );
  }
  const list = [...versions];
  return list.length === 1 ? list[0] : list;
}

/** The versions an If-Match named, for messages: `3`, `3 or 4`. */
export function versionsText(expected: ExpectedVersion | undefined): string {
  return typeof expected === 'object' ? expected.join(' or ') : String(expected);
}

/** Refuse a change without If-Match when the entity requires it. */
export function requireIfMatch(context: ResourceContext, plan: EntityPlan, request: FastifyRequest): void {
  const required = context.options.requireIfMatch?.(plan.entity) ?? plan.entity.ifMatch === 'required';
  if (required && request.headers['if-match'] === undefined) {
    throw new ArchitectError('PRECONDITION_REQUIRED', { resource: plan.entity.tag });
  }
}

/** Does `If-None-Match` name this version (or `*`)? */
export function noneMatchHits(request: FastifyRequest, version: unknown): boolean {
  const header = request.headers['if-none-match'];
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const tag = etagOf(version);
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === tag);
}

/** The human name of a resource in messages: `Purchase order`. */
export function resourceName(plan: EntityPlan): string {
  const words = plan.entity.name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The item URL of a row: the operation's collection path plus the row's key. */
export function itemLocation(
  context: ResourceContext,
  plan: EntityPlan,
  row: Record<string, unknown>,
): string {
  let build = locations.get(plan);
  if (!build) {
    build = locationBuilder(context.model.api.basePath, plan);
    locations.set(plan, build);
  }
  return build(row);
}

const locations = new WeakMap<EntityPlan, (row: Record<string, unknown>) => string>();

/** The item path split once into text and key parameters, so a location is a few joins. */
function locationBuilder(basePath: string, plan: EntityPlan): (row: Record<string, unknown>) => string {
  const parts = plan.entity.itemPath.split(/\{(\w+)\}/);
  // Odd indexes are parameter names: each reads the row's property for that key.
  const readers = parts.map((part, index) => {
    if (index % 2 === 0) return () => part;
    const param = plan.itemParams.find((candidate) => candidate.name === part)!;
    const property = param.field.property;
    return (row: Record<string, unknown>) => encodeURIComponent(String(row[property] ?? row[part]));
  });
  return (row) => {
    let path = basePath;
    for (const read of readers) path += read(row);
    return path;
  };
}
