/**
 * `POST /<resource>/bulk?mode=atomic|partial`: create, update, upsert or delete up to
 * `api.bulk.max_items` items with a handful of set-based statements.
 *
 * 1. Every item is validated on its own (its schema, duplicates within the batch), so atomic
 *    mode can report every failing item by index without touching the database.
 * 2. Valid items are grouped by their set of properties; each group is one statement, run under a
 *    savepoint.
 * 3. Only if a group's statement fails (a unique value taken, a missing reference, a check), that
 *    group is replayed item by item under savepoints to learn which items fail and why: per-row
 *    statements happen on that failure path alone.
 */

import type { ValidateFunction } from 'ajv';
import type { FastifyRequest } from 'fastify';
import type { Field } from '../../blueprint/model.js';
import {
  type BulkOperationName,
  bulkItemSchemas,
  conflictTargets,
  type Operation,
} from '../../design/api/index.js';
import { ArchitectError } from '../../errors.js';
import type { Queryable } from '../db/index.js';
import {
  type BulkBatch,
  type BulkContext,
  buildBulkCreateQuery,
  buildBulkDeleteQuery,
  buildBulkStateQuery,
  buildBulkUpdateQuery,
  buildBulkUpsertQuery,
  CREATED,
  type EntityPlan,
  ORDINAL,
  type SqlQuery,
} from '../query/index.js';
import {
  assignedOf,
  originOf,
  pathValues,
  planOf,
  type ResourceContext,
  resourceName,
  scopeOf,
} from './context.js';
import type { Handler } from './read-routes.js';
import { bodyRefusal, type Refusal } from './refusals.js';
import { type Outcome, runWrite, toApiError } from './run-write.js';
import { explainRefusals, validationDetails } from './validation.js';
import { requireVisibleParent } from './write-routes.js';

type Row = Record<string, unknown>;
type Item = Record<string, unknown>;
type Mode = 'atomic' | 'partial';

interface ItemError {
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
}

interface ItemResult {
  index: number;
  status: number;
  id?: unknown;
  key?: Record<string, unknown>;
  version?: number;
  error?: ItemError;
}

interface Conflict {
  readonly fields: readonly Field[];
  readonly where?: string;
}

function itemError(error: ArchitectError): ItemError {
  return error.details === undefined
    ? { code: error.code, message: error.message }
    : { code: error.code, message: error.message, details: error.details };
}

function conflictOf(plan: EntityPlan, onConflict: string | undefined): Conflict {
  const targets = conflictTargets(plan.entity);
  const target = onConflict ?? targets[0];
  if (!target || !targets.includes(target)) {
    throw new ArchitectError(
      'VALIDATION_FAILED',
      {},
      {
        details: [
          { field: 'onConflict', code: 'enum', message: `must be one of ${targets.join(' | ') || '(none)'}` },
        ],
      },
    );
  }
  const fields = target.split(',').map((property) => plan.byProperty.get(property)!);
  const columns = fields.map((field) => field.column).join(',');
  const index = plan.entity.indexes.find(
    (candidate) => candidate.unique && candidate.columns.join(',') === columns,
  );
  return index?.where ? { fields, where: index.where } : { fields };
}

/** The values that must be unique within the batch, per item. */
function batchKeys(
  plan: EntityPlan,
  operation: BulkOperationName,
  conflict: Conflict | undefined,
): Field[][] {
  if (operation === 'update' || operation === 'delete') return [plan.keyFields as Field[]];
  const groups: Field[][] = [];
  if (conflict) groups.push([...conflict.fields]);
  if (operation === 'create' && plan.entity.key.kind === 'composite') groups.push([...plan.keyFields]);
  for (const field of plan.fields) if (field.unique) groups.push([field]);
  for (const unique of plan.entity.uniques) {
    groups.push(unique.columns.map((column) => plan.byColumn.get(column)!));
  }
  return groups;
}

export function bulkHandler(context: ResourceContext, operation: Operation): Handler {
  const plan = planOf(context, operation);
  const schemas = bulkItemSchemas(operation, context.components);
  const validators: Partial<Record<BulkOperationName, ValidateFunction>> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    // An upsert must not write schema defaults over a stored row's values: its items keep only
    // what they carry (an inserted row gets the column defaults).
    validators[name as BulkOperationName] =
      name === 'upsert' ? context.validators.upsertItem(schema) : context.validators.body(schema);
  }
  const refusals: Record<BulkOperationName, Refusal> = {
    create: bodyRefusal(plan.entity, 'create'),
    upsert: bodyRefusal(plan.entity, 'create'),
    update: bodyRefusal(plan.entity, 'update'),
    delete: bodyRefusal(plan.entity, 'delete'),
  };
  const maxItems = context.model.api.bulk.maxItems;
  const keyed = plan.keyFields.length > 1;
  const parentPlan = plan.entity.parent ? context.plans.get(plan.entity.parent.entity)! : undefined;

  const identify = (result: ItemResult, row: Row) => {
    if (keyed)
      result.key = Object.fromEntries(plan.keyFields.map((field) => [field.property, row[field.property]]));
    else result.id = row[plan.keyFields[0]!.property];
  };

  return async (request, reply) => {
    const mode = modeOf(request);
    const body = request.body as { operation: BulkOperationName; onConflict?: string; items: Item[] };
    const name = body.operation;
    if (!operation.bulkOperations?.includes(name) || !validators[name]) {
      throw new ArchitectError(
        'VALIDATION_FAILED',
        {},
        {
          details: [
            {
              field: 'operation',
              code: 'enum',
              message: `must be one of ${(operation.bulkOperations ?? []).join(', ')}`,
            },
          ],
        },
      );
    }
    if (body.items.length > maxItems) {
      throw new ArchitectError('PAYLOAD_TOO_LARGE', {
        detail: `A bulk request takes at most ${maxItems} items; this one has ${body.items.length}`,
      });
    }
    const parentValues = pathValues(
      plan.collectionParams,
      request,
      parentPlan ? resourceName(parentPlan) : resourceName(plan),
    );
    const conflict = name === 'upsert' ? conflictOf(plan, body.onConflict) : undefined;
    const results: (ItemResult | undefined)[] = new Array(body.items.length);

    // 1. Each item on its own.
    const validate = validators[name]!;
    const seen = batchKeys(plan, name, conflict).map(() => new Map<unknown, number>());
    const groups = batchKeys(plan, name, conflict);
    body.items.forEach((item, index) => {
      if (!validate(item)) {
        const error = new ArchitectError(
          'VALIDATION_FAILED',
          {},
          { details: validationDetails(explainRefusals(validate.errors ?? [], refusals[name])) },
        );
        results[index] = { index, status: 422, error: itemError(error) };
        return;
      }
      groups.forEach((fields, groupIndex) => {
        if (results[index]) return;
        const values = fields.map((field) => item[field.property]);
        if (values.some((value) => value === undefined || value === null)) return;
        // One scalar: the value itself is the key (no string to build and hash); otherwise JSON.
        const key = values.length === 1 && typeof values[0] !== 'object' ? values[0] : JSON.stringify(values);
        const first = seen[groupIndex]!.get(key);
        if (first === undefined) {
          seen[groupIndex]!.set(key, index);
          return;
        }
        const properties = fields.map((field) => field.property).join(', ');
        const error =
          name === 'update' || name === 'delete'
            ? new ArchitectError(
                'VALIDATION_FAILED',
                {},
                {
                  message: `Item ${first} already names this row`,
                  details: [{ field: properties, code: 'duplicate', message: `same key as item ${first}` }],
                },
              )
            : new ArchitectError(
                'UNIQUE_VIOLATION',
                { resource: plan.entity.name.replace(/_/g, ' '), fields: properties },
                {
                  details: [
                    { field: properties, code: 'unique', message: `same ${properties} as item ${first}` },
                  ],
                },
              );
        results[index] = { index, status: error.status, error: itemError(error) };
      });
    });
    if (mode === 'atomic') failIfAny(results);

    // 2. One statement per shape of item.
    const shapes = new Map<string, { index: number; item: Item }[]>();
    let lastKeys: string[] = [];
    let lastShape = '';
    body.items.forEach((item, index) => {
      if (results[index]) return;
      // Items of a batch usually list their properties in one order: sort once per order seen.
      const keys = Object.keys(item);
      if (keys.length !== lastKeys.length || keys.some((key, at) => key !== lastKeys[at])) {
        lastKeys = keys;
        lastShape = [...keys].sort().join(',');
      }
      const shape = lastShape;
      const list = shapes.get(shape);
      if (list) list.push({ index, item });
      else shapes.set(shape, [{ index, item }]);
    });
    const bulkContext: BulkContext = {
      parentValues,
      scope: scopeOf(context, request, plan),
      audit: originOf(request),
      assigned: assignedOf(context, request, plan),
    };
    const statementFor = (batch: BulkBatch): SqlQuery => {
      switch (name) {
        case 'create':
          return buildBulkCreateQuery(plan, batch, bulkContext);
        case 'upsert':
          return buildBulkUpsertQuery(plan, batch, conflict!, bulkContext);
        case 'update':
          return buildBulkUpdateQuery(plan, batch, bulkContext);
        case 'delete':
          return buildBulkDeleteQuery(plan, batch, bulkContext);
      }
    };
    const succeed = (row: Row) => {
      const index = Number(row[ORDINAL]);
      const status = name === 'delete' ? 204 : name === 'create' || row[CREATED] === true ? 201 : 200;
      const result: ItemResult = { index, status };
      identify(result, row);
      if (name !== 'delete') result.version = Number(row.version);
      results[index] = result;
    };

    const parentScope = parentPlan ? scopeOf(context, request, parentPlan) : undefined;
    // Writes that belong with new rows (a new tenant's creator membership), for all of a
    // statement's new rows at once.
    const follow =
      name === 'create' || name === 'upsert'
        ? context.options.afterCreate?.(request, plan.entity)
        : undefined;
    const created = (rows: readonly Row[]) =>
      name === 'create' ? rows : rows.filter((row) => row[CREATED] === true);
    const work = async (db: Queryable): Promise<Outcome> => {
      if (parentScope) await requireVisibleParent(db, parentPlan!, parentValues, parentScope);
      let savepoint = 0;
      for (const [shape, items] of shapes) {
        const batch: BulkBatch = { items, properties: shape ? shape.split(',') : [] };
        const point = `bulk_${savepoint++}`;
        // The savepoint goes out with the statement, not a round trip ahead of it (statements on
        // one connection run in the order sent). After a success it is left open rather than
        // released, a round trip that changes nothing: COMMIT keeps its work either way.
        const saved = db.query(`SAVEPOINT ${point}`);
        saved.catch(() => {}); // its failure is the statement's (the transaction is then aborted)
        try {
          const query = statementFor(batch);
          const [, { rows }] = await Promise.all([saved, db.query<Row>(query.text, query.values)]);
          if (follow) await follow(db, created(rows));
          rows.forEach(succeed);
        } catch {
          await db.query(`ROLLBACK TO SAVEPOINT ${point}`);
          // 3. Which items fail, and why: one by one, on this failure path only.
          for (const entry of items) {
            const single: BulkBatch = { items: [entry], properties: batch.properties };
            await db.query(`SAVEPOINT ${point}_item`);
            try {
              const query = statementFor(single);
              const rows = (await db.query<Row>(query.text, query.values)).rows;
              if (follow) await follow(db, created(rows));
              await db.query(`RELEASE SAVEPOINT ${point}_item`);
              rows.forEach(succeed);
            } catch (itemFailure) {
              await db.query(`ROLLBACK TO SAVEPOINT ${point}_item`);
              const translated = toApiError(itemFailure, context);
              if (translated.status >= 500) throw itemFailure;
              results[entry.index] = {
                index: entry.index,
                status: translated.status,
                error: itemError(translated),
              };
            }
          }
        }
        // Update and delete items that matched no row: missing (404) or stale (412).
        if (name !== 'create' && name !== 'upsert') {
          const missing = items.filter((entry) => !results[entry.index]);
          if (missing.length > 0) await explainMissing(db, plan, missing, bulkContext, results);
        }
      }
      if (name === 'upsert') {
        for (const items of shapes.values()) {
          for (const entry of items) {
            if (!results[entry.index]) {
              const error = new ArchitectError('CONFLICT', {
                detail: `The row with this ${conflict!.fields.map((field) => field.property).join(', ')} belongs elsewhere`,
              });
              results[entry.index] = { index: entry.index, status: error.status, error: itemError(error) };
            }
          }
        }
      }
      if (mode === 'atomic') failIfAny(results);
      return {
        status: results.some((result) => result?.error) ? 207 : 200,
        body: summarize(name, mode, results),
      };
    };
    return runWrite(context, request, reply, work, { transaction: true });
  };
}

async function explainMissing(
  db: Queryable,
  plan: EntityPlan,
  items: { index: number; item: Item }[],
  context: BulkContext,
  results: (ItemResult | undefined)[],
): Promise<void> {
  const state = buildBulkStateQuery(
    plan,
    { items, properties: plan.keyFields.map((field) => field.property) },
    context,
  );
  const versions = new Map(
    (await db.query<Row>(state.text, state.values)).rows.map((row) => [Number(row[ORDINAL]), row.version]),
  );
  for (const { index, item } of items) {
    const current = versions.get(index);
    const error =
      current === undefined
        ? new ArchitectError('NOT_FOUND', { resource: resourceName(plan) })
        : new ArchitectError(
            'PRECONDITION_FAILED',
            { resource: resourceName(plan).toLowerCase(), expected: item.version },
            { details: { currentVersion: current } },
          );
    results[index] = { index, status: error.status, error: itemError(error) };
  }
}

function modeOf(request: FastifyRequest): Mode {
  const mode = (request.query as { mode?: unknown } | undefined)?.mode ?? 'atomic';
  if (mode !== 'atomic' && mode !== 'partial') {
    throw new ArchitectError('MALFORMED_REQUEST', { detail: 'mode must be atomic or partial' });
  }
  return mode;
}

/** Atomic mode: any failed item fails the request, listing every failed item. */
function failIfAny(results: readonly (ItemResult | undefined)[]): void {
  const failed = results.filter((result): result is ItemResult => result?.error !== undefined);
  if (failed.length === 0) return;
  const details = failed.map((result) => {
    const detail: Record<string, unknown> = {
      index: result.index,
      code: result.error!.code,
      message: result.error!.message,
    };
    const fieldDetails = result.error!.details;
    if (Array.isArray(fieldDetails) && fieldDetails.length > 0) {
      const first = fieldDetails[0] as { field?: unknown };
      if (typeof first.field === 'string' && first.field) detail.field = first.field;
    }
    return detail;
  });
  const firstDatabase = failed.find((result) => result.error!.code !== 'VALIDATION_FAILED');
  const code = (firstDatabase ? firstDatabase.error!.code : 'VALIDATION_FAILED') as ArchitectError['code'];
  throw new ArchitectError(
    code,
    {},
    {
      message: `${failed.length} of ${results.length} items failed; nothing was written`,
      details,
    },
  );
}

function summarize(operation: BulkOperationName, mode: Mode, results: readonly (ItemResult | undefined)[]) {
  const list = results as ItemResult[];
  const succeeded = list.filter((result) => !result.error);
  return {
    operation,
    mode,
    summary: {
      total: list.length,
      succeeded: succeeded.length,
      failed: list.length - succeeded.length,
      created: succeeded.filter((result) => result.status === 201).length,
      updated: succeeded.filter((result) => result.status === 200).length,
      deleted: succeeded.filter((result) => result.status === 204).length,
    },
    results: list,
  };
}
