/**
 * POST (201 + Location + ETag), PATCH (If-Match -> version check in the UPDATE) and DELETE
 * (soft where configured; 204). A write that finds no row reads once to tell 404 from 412.
 */
import type { FastifyRequest } from 'fastify';
import type { Operation } from '../../design/api/index.js';
import { ArchitectError } from '../../errors.js';
import type { AuditContext } from '../audit/audit-sql.js';
import { type Queryable, readDatabaseError } from '../db/index.js';
import {
  buildBulkCreateQuery,
  buildBulkUpdateQuery,
  buildDeleteQuery,
  buildExistsQuery,
  buildInsertQuery,
  buildInsertRowsQuery,
  buildReadQuery,
  buildUpdateQuery,
  type EntityPlan,
  type ExpectedVersion,
  ORDINAL,
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
  versionsText,
} from './context.js';
import type { Handler } from './read-routes.js';
import { runWrite } from './run-write.js';
import {
  type BatchedWrite,
  type BatchStatement,
  type Row,
  RUN_ALONE,
  WriteBatches,
} from './write-batches.js';

function bodyOf(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ArchitectError(
      'VALIDATION_FAILED',
      {},
      { details: [{ field: '', code: 'type', message: 'must be a JSON object' }] },
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
  expectedVersion: ExpectedVersion | undefined,
  context: { scope?: ReturnType<typeof scopeOf> },
): Promise<ArchitectError> {
  const read = buildReadQuery(plan, keyValues, context.scope);
  const row = (await db.query<Row>(read.text, read.values)).rows[0];
  if (!row) return new ArchitectError('NOT_FOUND', { resource: resourceName(plan) });
  return new ArchitectError(
    'PRECONDITION_FAILED',
    { resource: resourceName(plan).toLowerCase(), expected: versionsText(expectedVersion) },
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

/** A create that may go to the database with others (see write-batches.ts). */
interface BatchedCreate extends BatchedWrite {
  readonly item: Readonly<Record<string, unknown>>;
  /** Its request's actor and request id, for the audit trail and status history. */
  readonly origin: AuditContext;
  /** The parent key from the path, for nested entities. */
  readonly parentValues: readonly unknown[];
  /** The new row's key, where the process makes keys: the one its own statement inserts too. */
  readonly key?: string;
}

/** An update that may go to the database with others (see write-batches.ts). */
interface BatchedUpdate extends BatchedWrite {
  /** The bulk update item: the key, the new values and the version to check (null: none). */
  readonly item: Readonly<Record<string, unknown>>;
  readonly origin: AuditContext;
  /** The parent key from the path, for nested entities. */
  readonly parentValues: readonly unknown[];
}

/** The group of writes that may share a statement: the same parent and set of properties. */
function groupOf(body: Readonly<Record<string, unknown>>, parentValues: readonly unknown[]): string {
  const shape = Object.keys(body).sort().join(',');
  return parentValues.length > 0 ? `${parentValues.map(String).join('/')} ${shape}` : shape;
}

/** Each item's row by the item index the batch statement answers it with; `missing` for the rest. */
function byItemIndex<M>(rows: readonly Row[], count: number, missing: M): (Row | M)[] {
  const answers = new Array<Row | M>(count).fill(missing);
  for (const { [ORDINAL]: index, ...row } of rows) answers[Number(index)] = row;
  return answers;
}

/**
 * Creates together, leaving out the items whose unique value is taken. Where no audit or history
 * row records them and the process makes the keys, one INSERT from typed arrays, answering rows
 * by key (buildInsertRowsQuery); otherwise the bulk create statement, which carries each item's
 * actor and request id and answers whole rows by item index.
 */
function createBatches(context: ResourceContext, plan: EntityPlan): WriteBatches<BatchedCreate> | undefined {
  if (context.options.batchCreates === false) return undefined;
  // Each write's actor and request id travel with it only where a row records them.
  const recordsOrigin = plan.entity.audit || plan.entity.lifecycle?.historyTable !== undefined;
  const keyProperty = plan.keyFields[0]!.property;
  // Nothing but the rows to write, with keys made here: one plain INSERT from typed arrays.
  const statement: BatchStatement<BatchedCreate> =
    !recordsOrigin && plan.newKey
      ? {
          build: (writes) =>
            buildInsertRowsQuery(
              plan,
              writes.map((write) => ({ key: write.key!, item: write.item })),
              Object.keys(writes[0]!.item),
              writes[0]!.parentValues,
            ),
          read: (rows, writes) => {
            const byKey = new Map<unknown, Row>();
            for (const row of rows) byKey.set(row[keyProperty], row);
            return writes.map((write) => byKey.get(write.key) ?? RUN_ALONE);
          },
        }
      : {
          build: (writes) =>
            buildBulkCreateQuery(
              plan,
              {
                items: writes.map((write, index) => ({
                  index,
                  item: write.item,
                  origin: recordsOrigin ? write.origin : undefined,
                })),
                properties: Object.keys(writes[0]!.item),
              },
              { parentValues: writes[0]!.parentValues },
              'rows',
            ),
          // An item left out (its unique value taken) answers no row: it runs alone for its 409.
          read: (rows, writes) => byItemIndex(rows, writes.length, RUN_ALONE),
        };
  const batches = new WriteBatches<BatchedCreate>(context.driver, statement);
  context.writeBatches.push({ entity: plan.entity.name, operation: 'create', batches });
  return batches;
}

/**
 * Updates together: the bulk update statement over the items in key order (so two batches lock
 * shared rows in one order), answering whole rows by item index; an item that names no live row
 * (under its parent, for nested entities) or another version gets none, and its request tells
 * 404 from 412 as a single update does. Only for entities whose item path, after the parent's
 * key, is their own key.
 */
function updateBatches(context: ResourceContext, plan: EntityPlan): WriteBatches<BatchedUpdate> | undefined {
  if (context.options.batchUpdates === false) return undefined;
  const own = plan.itemParams.slice(plan.collectionParams.length);
  const keyedByPath =
    own.length === plan.keyFields.length &&
    own.every((param, index) => param.field === plan.keyFields[index]);
  if (!keyedByPath) return undefined;
  const batches = new WriteBatches<BatchedUpdate>(context.driver, {
    build: (writes) => {
      const items = writes
        .map((write, index) => ({ index, item: write.item, origin: write.origin, row: write.row! }))
        .sort((a, b) => (a.row < b.row ? -1 : a.row > b.row ? 1 : 0));
      const properties = Object.keys(writes[0]!.item);
      return buildBulkUpdateQuery(
        plan,
        { items, properties },
        { parentValues: writes[0]!.parentValues },
        'rows',
      );
    },
    read: (rows, writes) => byItemIndex(rows, writes.length, undefined),
  });
  context.writeBatches.push({ entity: plan.entity.name, operation: 'update', batches });
  return batches;
}

export function createHandler(context: ResourceContext, operation: Operation): Handler {
  const plan = planOf(context, operation);
  const parentPlan = plan.entity.parent ? context.plans.get(plan.entity.parent.entity)! : undefined;
  const parentConstraint = plan.entity.parent
    ? plan.byColumn.get(plan.entity.parent.column)?.reference?.constraint
    : undefined;
  const batches = createBatches(context, plan);
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
    const key = plan.newKey?.();
    const insert = buildInsertQuery(plan, body, parentValues, { scope, audit: origin, assigned, key });
    // Alone on the shared driver (no transaction) and alike for every caller: it may go to the
    // database with other creates of the entity (see write-batches.ts).
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
              ? (await batch.write({
                  group: groupOf(body, parentValues),
                  single: insert,
                  item: body,
                  origin,
                  parentValues,
                  key,
                }))!
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
  const batches = updateBatches(context, plan);
  return async (request, reply) => {
    requireIfMatch(context, plan, request);
    const expectedVersion = ifMatchVersion(request, resourceName(plan).toLowerCase());
    const keyValues = pathValues(plan.itemParams, request, resourceName(plan));
    const body = bodyOf(request);
    const scope = scopeOf(context, request, plan);
    const origin = originOf(request);
    const update = buildUpdateQuery(plan, keyValues, body, expectedVersion, { scope, audit: origin });
    const parentValues = keyValues.slice(0, plan.collectionParams.length);
    // Alone on the shared driver and alike for every caller (see write-batches.ts); a bulk update
    // item expects one version, so an If-Match list runs on its own.
    const batch =
      batches && !scope && typeof expectedVersion !== 'object' && Object.keys(body).length > 0
        ? { batches, item: batchItem(plan, keyValues.slice(parentValues.length), body, expectedVersion) }
        : undefined;
    return runWrite(
      context,
      request,
      reply,
      async (db) => {
        const row =
          batch && db === context.driver
            ? await batch.batches.write({
                group: groupOf(body, parentValues),
                row: keyValues.map(String).join('/'),
                single: update,
                item: batch.item,
                origin,
                parentValues,
              })
            : (await db.query<Row>(update.text, update.values)).rows[0];
        if (!row) throw await explainMissingRow(db, plan, keyValues, expectedVersion, { scope });
        return { status: 200, headers: { etag: etagOf(row.version) }, body: row };
      },
      { transaction: false },
    );
  };
}

/** A PATCH as a bulk update item: its own key values, the body and the version it expects. */
function batchItem(
  plan: EntityPlan,
  keyValues: readonly unknown[],
  body: Readonly<Record<string, unknown>>,
  expectedVersion: number | undefined,
): Record<string, unknown> {
  const item: Record<string, unknown> = { ...body, version: expectedVersion ?? null };
  plan.keyFields.forEach((field, index) => {
    item[field.property] = keyValues[index];
  });
  return item;
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
