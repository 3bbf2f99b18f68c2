/**
 * GET routes: the collection page (keyset cursor, filters, sort, sparse fields, include, count)
 * and the item (ETag, If-None-Match -> 304, include).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Operation } from '../../design/api/index.js';
import { ArchitectError } from '../../errors.js';
import {
  buildCountQuery,
  buildExistsQuery,
  buildListQuery,
  buildReadQuery,
  encodeCursor,
  listColumns,
  parseListQuery,
} from '../query/index.js';
import {
  driverOf,
  etagOf,
  noneMatchHits,
  pathValues,
  planOf,
  type ResourceContext,
  resourceName,
  scopeOf,
} from './context.js';
import { attachIncludes, includeJoinFields } from './includes.js';
import { PointReads } from './point-reads.js';
import { toApiError } from './run-write.js';

type Row = Record<string, unknown>;
export type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export function listHandler(context: ResourceContext, operation: Operation): Handler {
  const plan = planOf(context, operation);
  const { plans } = context;
  const perParent = context.model.api.pagination.maxLimit;
  const parent = plan.entity.parent ? plans.get(plan.entity.parent.entity)! : undefined;
  return async (request) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const list = parseListQuery(plan, plans, query);
    const parentValues = pathValues(
      plan.collectionParams,
      request,
      parent ? resourceName(parent) : resourceName(plan),
    );
    const scope = scopeOf(context, request, plan);
    const driver = driverOf(context, request);
    try {
      const columns = listColumns(plan, list, includeJoinFields(plan, list.include));
      const page = buildListQuery(plan, list, { parentValues, scope }, columns);
      const rows = (await driver.query<Row>(page.text, page.values)).rows;
      if (parent && rows.length === 0) {
        const exists = buildExistsQuery(parent, parentValues, scopeOf(context, request, parent));
        if ((await driver.query(exists.text, exists.values)).rowCount === 0) {
          throw new ArchitectError('NOT_FOUND', { resource: resourceName(parent) });
        }
      }
      const hasMore = rows.length > list.limit;
      const data = hasMore ? rows.slice(0, list.limit) : rows;
      const last = data.at(-1);
      const nextCursor =
        hasMore && last
          ? encodeCursor(
              list.sortText,
              list.sort.map((key) => last[key.field.property]),
            )
          : null;
      if (list.include.length > 0) {
        await attachIncludes(driver, plans, plan, data, list.include, perParent, (target) =>
          scopeOf(context, request, target),
        );
      }
      if (list.fields)
        stripUnrequested(
          data,
          list.fields.map((field) => field.property),
          list.include.map((node) => node.relation.name),
        );
      const pageInfo: Record<string, unknown> = { limit: list.limit, nextCursor };
      if (list.count) {
        const count = buildCountQuery(plan, list, { parentValues, scope });
        pageInfo.count = Number(
          (await driver.query<{ count: unknown }>(count.text, count.values)).rows[0]!.count,
        );
      }
      return { data, page: pageInfo };
    } catch (error) {
      throw toApiError(error, context);
    }
  };
}

/** Remove the columns read only for the cursor or the includes' joins. */
function stripUnrequested(rows: Row[], properties: readonly string[], relations: readonly string[]): void {
  const keep = new Set([...properties, ...relations]);
  for (const row of rows) {
    for (const property of Object.keys(row)) if (!keep.has(property)) delete row[property];
  }
}

/** An item read without `fields=` or `include=`: every field, nothing embedded. */
const WHOLE_ROW = { fields: undefined, include: [] } as const;

export function readHandler(context: ResourceContext, operation: Operation): Handler {
  const plan = planOf(context, operation);
  const { plans } = context;
  const perParent = context.model.api.pagination.maxLimit;
  const name = resourceName(plan);
  const batched = context.options.batchReads === false ? undefined : PointReads.for(context.driver, plan);
  if (batched) context.pointReads.set(plan.entity.name, batched);
  return async (request, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const shape =
      query.fields === undefined && query.include === undefined
        ? WHOLE_ROW
        : parseListQuery(plan, plans, { fields: query.fields, include: query.include });
    const keyValues = pathValues(plan.itemParams, request, name);
    const driver = driverOf(context, request);
    try {
      const scope = scopeOf(context, request, plan);
      let row: Row | undefined;
      if (batched && scope === undefined && driver === context.driver) row = await batched.read(keyValues[0]);
      else {
        const read = buildReadQuery(plan, keyValues, scope);
        row = (await driver.query<Row>(read.text, read.values)).rows[0];
      }
      if (!row) throw new ArchitectError('NOT_FOUND', { resource: name });
      reply.header('etag', etagOf(row.version));
      if (noneMatchHits(request, row.version)) return reply.code(304).send();
      if (shape.include.length > 0) {
        await attachIncludes(driver, plans, plan, [row], shape.include, perParent, (target) =>
          scopeOf(context, request, target),
        );
      }
      if (shape.fields)
        stripUnrequested(
          [row],
          shape.fields.map((field) => field.property),
          shape.include.map((node) => node.relation.name),
        );
      return row;
    } catch (error) {
      throw toApiError(error, context);
    }
  };
}
