/**
 * POST (201 + Location + ETag), PATCH (If-Match -> version check in the UPDATE) and DELETE
 * (soft where configured; 204). A write that finds no row reads once to tell 404 from 412.
 */
import type { FastifyRequest } from 'fastify';
import type { Operation } from '../../design/api/index.js';
import { ArchitectError } from '../../errors.js';
import { type Queryable, readDatabaseError } from '../db/index.js';
import {
  buildDeleteQuery,
  buildExistsQuery,
  buildInsertQuery,
  buildReadQuery,
  buildUpdateQuery,
  type EntityPlan,
} from '../query/index.js';
import {
  assignedOf,
  etagOf,
  ifMatchVersion,
  itemLocation,
  originOf,
  pathValues,
  planOf,
  type ResourceContext,
  requireIfMatch,
  resourceName,
  scopeOf,
} from './context.js';
import { CreateBatches } from './create-batches.js';
import type { Handler } from './read-routes.js';
import { runWrite } from './run-write.js';

type Row = Record<string, unknown>;

function bodyOf(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ArchitectError(
      'VALIDATION_FAILED',
      {},
      { details: [{ field: '', code: 'type', message: 'must be object' }] },
    );
  }
  return body as Record<string, unknown>;
}

/**
 * No row came back from a keyed write: 404 when the row is not there (or not visible), 412 when
 * it is there with another version.
 */
export async function explainMissingRow(
  db: Queryable,
  plan: EntityPlan,
  keyValues: readonly unknown[],
  expectedVersion: number | undefined,
  context: { scope?: ReturnType<typeof scopeOf> },
): Promise<ArchitectError> {
  const read = buildReadQuery(plan, keyValues, context.scope);
  const row = (await db.query<Row>(read.text, read.values)).rows[0];
  if (!row) return new ArchitectError('NOT_FOUND', { resource: resourceName(plan) });
  return new ArchitectError(
    'PRECONDITION_FAILED',
    { resource: resourceName(plan).toLowerCase(), expected: expectedVersion },
    { details: { currentVersion: row.version } },
  );
}

/** 404 on the parent of a nested collection when the row rules hide it (or it is missing). */
export async function requireVisibleParent(
  db: Queryable,
  parent: EntityPlan,
  parentValues: readonly unknown[],
  scope: NonNullable<ReturnType<typeof scopeOf>>,
): Promise<void> {
  const exists = buildExistsQuery(parent, parentValues, scope);
  if ((await db.query(exists.text, exists.values)).rowCount === 0) {
    throw new ArchitectError('NOT_FOUND', { resource: resourceName(parent) });
  }
}

export function createHandler(context: ResourceContext, operation: Operation): Handler {
  const plan = planOf(context, operation);
  const parentPlan = plan.entity.parent ? context.plans.get(plan.entity.parent.entity)! : undefined;
  const parentConstraint = plan.entity.parent
    ? plan.byColumn.get(plan.entity.parent.column)?.reference?.constraint
    : undefined;
  const batches =
    context.options.batchCreates === false ? undefined : new CreateBatches(context.driver, plan);
  if (batches) context.createBatches.set(plan.entity.name, batches);
  return async (request, reply) => {
    const body = bodyOf(request);
    const parentValues = pathValues(
      plan.collectionParams,
      request,
      parentPlan ? resourceName(parentPlan) : resourceName(plan),
    );
    const parentScope = parentPlan ? scopeOf(context, request, parentPlan) : undefined;
    const follow = context.options.afterCreate?.(request, plan.entity);
    const scope = scopeOf(context, request, plan);
    const assigned = assignedOf(context, request, plan);
    const origin = originOf(request);
    const insert = buildInsertQuery(plan, body, parentValues, { scope, audit: origin, assigned });
    // Alone on the shared driver (no transaction) and alike for every caller: it may go to the
    // database with other creates of the entity (see create-batches.ts).
    const batch = batches && !follow && !scope && !parentScope && !assigned?.length ? batches : undefined;
    return runWrite(
      context,
      request,
      reply,
      async (db) => {
        // Under row rules the parent must be one the caller may see: a tenant column taken from
        // the path would otherwise name another tenant's row.
        if (parentScope) await requireVisibleParent(db, parentPlan!, parentValues, parentScope);
        let row: Row | undefined;
        try {
          row =
            batch && db === context.driver
              ? await batch.create(body, origin, parentValues, insert)
              : (await db.query<Row>(insert.text, insert.values)).rows[0]!;
        } catch (error) {
          // A nested create under a parent that does not exist is a 404 on the parent, not a 409.
          if (parentConstraint && readDatabaseError(error)?.constraint === parentConstraint) {
            throw new ArchitectError('NOT_FOUND', { resource: resourceName(parentPlan!) });
          }
          throw error;
        }
        if (follow) await follow(db, [row]);
        return {
          status: 201,
          headers: { location: itemLocation(context, plan, row), etag: etagOf(row.version) },
          body: row,
        };
      },
      { transaction: follow !== undefined },
    );
  };
}

export function updateHandler(context: ResourceContext, operation: Operation): Handler {
  const plan = planOf(context, operation);
  return async (request, reply) => {
    requireIfMatch(context, plan, request);
    const expectedVersion = ifMatchVersion(request, resourceName(plan).toLowerCase());
    const keyValues = pathValues(plan.itemParams, request, resourceName(plan));
    const body = bodyOf(request);
    const scope = scopeOf(context, request, plan);
    const update = buildUpdateQuery(plan, keyValues, body, expectedVersion, {
      scope,
      audit: originOf(request),
    });
    return runWrite(
      context,
      request,
      reply,
      async (db) => {
        const row = (await db.query<Row>(update.text, update.values)).rows[0];
        if (!row) throw await explainMissingRow(db, plan, keyValues, expectedVersion, { scope });
        return { status: 200, headers: { etag: etagOf(row.version) }, body: row };
      },
      { transaction: false },
    );
  };
}

export function deleteHandler(context: ResourceContext, operation: Operation): Handler {
  const plan = planOf(context, operation);
  return async (request, reply) => {
    requireIfMatch(context, plan, request);
    const expectedVersion = ifMatchVersion(request, resourceName(plan).toLowerCase());
    const keyValues = pathValues(plan.itemParams, request, resourceName(plan));
    const scope = scopeOf(context, request, plan);
    const remove = buildDeleteQuery(plan, keyValues, expectedVersion, { scope, audit: originOf(request) });
    return runWrite(
      context,
      request,
      reply,
      async (db) => {
        const row = (await db.query<Row>(remove.text, remove.values)).rows[0];
        if (!row) throw await explainMissingRow(db, plan, keyValues, expectedVersion, { scope });
        return { status: 204 };
      },
      { transaction: false },
    );
  };
}
