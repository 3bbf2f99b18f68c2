/**
 * Lifecycle transitions (`POST /<resource>/{id}/<transition>`) and the status history
 * (`GET /<resource>/{id}/history`).
 */
import type { FastifyRequest } from 'fastify';
import { camelCase } from '../../blueprint/naming.js';
import type { Operation } from '../../design/api/index.js';
import { historyKeyColumns } from '../../design/sql/index.js';
import { ArchitectError } from '../../errors.js';
import { buildReadQuery, buildTransitionQuery, decodeCursor, encodeCursor } from '../query/index.js';
import { quotedName } from '../query/sql.js';
import {
  driverOf,
  etagOf,
  ifMatchVersion,
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
import { runWrite, toApiError } from './run-write.js';

type Row = Record<string, unknown>;

function reasonOf(request: FastifyRequest): string | undefined {
  const body = request.body as { reason?: unknown } | undefined | null;
  return body && typeof body === 'object' && typeof body.reason === 'string' ? body.reason : undefined;
}

export function transitionHandler(context: ResourceContext, operation: Operation): Handler {
  const plan = planOf(context, operation);
  const lifecycle = plan.entity.lifecycle!;
  const transition = lifecycle.transitions.find((candidate) => candidate.name === operation.transition)!;
  const name = resourceName(plan);
  return async (request, reply) => {
    requireIfMatch(context, plan, request);
    const expectedVersion = ifMatchVersion(request, name.toLowerCase());
    const keyValues = pathValues(plan.itemParams, request, name);
    const reason = reasonOf(request);
    if (transition.reason === 'required' && (reason === undefined || reason.trim() === '')) {
      throw new ArchitectError(
        'VALIDATION_FAILED',
        {},
        {
          details: [{ field: 'reason', code: 'required', message: `${transition.name} needs a reason` }],
        },
      );
    }
    if (transition.reason === 'none' && reason !== undefined) {
      throw new ArchitectError(
        'VALIDATION_FAILED',
        {},
        {
          details: [
            { field: 'reason', code: 'additionalProperties', message: `${transition.name} takes no reason` },
          ],
        },
      );
    }
    const scope = scopeOf(context, request, plan);
    const origin = originOf(request);
    const query = buildTransitionQuery(plan, transition, keyValues, {
      ...origin,
      scope,
      reason,
      expectedVersion,
      audit: origin,
    });
    return runWrite(
      context,
      request,
      reply,
      async (db) => {
        const row = (await db.query<Row>(query.text, query.values)).rows[0];
        if (row) return { status: 200, headers: { etag: etagOf(row.version) }, body: row };
        // Only on failure: read once to say why.
        const read = buildReadQuery(plan, keyValues, scope);
        const current = (await db.query<Row>(read.text, read.values)).rows[0];
        if (!current) throw new ArchitectError('NOT_FOUND', { resource: name });
        const state = current[lifecycle.property];
        if (!transition.from.includes(String(state))) {
          throw new ArchitectError(
            'INVALID_TRANSITION',
            { transition: transition.name, resource: name.toLowerCase(), state },
            { details: { state, allowedFrom: [...transition.from] } },
          );
        }
        throw new ArchitectError(
          'PRECONDITION_FAILED',
          { resource: name.toLowerCase(), expected: versionsText(expectedVersion) },
          { details: { currentVersion: current.version } },
        );
      },
      { transaction: false },
    );
  };
}

/** The status history of one row, oldest first, paged by id. */
export function historyHandler(context: ResourceContext, operation: Operation): Handler {
  const plan = planOf(context, operation);
  const lifecycle = plan.entity.lifecycle!;
  const table = lifecycle.historyTable!;
  const name = resourceName(plan);
  const property = (column: string) =>
    quotedName(context.model.api.jsonCase === 'camel' ? camelCase(column) : column);
  const keys = historyKeyColumns(plan.entity);
  const keyColumns = plan.entity.key.kind === 'composite' ? [] : keys.map((key) => key.column);
  const columns = [
    'id',
    ...keyColumns,
    'transition',
    'from_state',
    'to_state',
    'reason',
    'actor',
    'request_id',
    'created_at',
  ];
  const select = columns.map((column) => `h.${column} AS ${property(column)}`).join(', ');
  const where = keys.map((key, index) => `h.${key.column} = $${index + 1}`).join(' AND ');
  const { defaultLimit, maxLimit } = context.model.api.pagination;
  return async (request) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const limit = query.limit === undefined ? defaultLimit : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
      throw new ArchitectError('MALFORMED_REQUEST', {
        detail: `limit must be an integer from 1 to ${maxLimit}`,
      });
    }
    const after =
      query.cursor === undefined ? 0 : Number(decodeCursor(String(query.cursor), 'history', 1)[0]);
    if (!Number.isSafeInteger(after))
      throw new ArchitectError('MALFORMED_REQUEST', { detail: 'cursor is not a cursor this API issued' });
    const keyValues = pathValues(plan.itemParams, request, name);
    const driver = driverOf(context, request);
    try {
      const read = buildReadQuery(plan, keyValues, scopeOf(context, request, plan));
      const row = (await driver.query<Row>(read.text, read.values)).rows[0];
      if (!row) throw new ArchitectError('NOT_FOUND', { resource: name });
      const keyParams = plan.keyFields.map((field) => row[field.property]);
      const { rows } = await driver.query<Row>(
        `SELECT ${select} FROM ${table} h WHERE ${where} AND h.id > $${keyParams.length + 1} ORDER BY h.id LIMIT ${limit + 1}`,
        [...keyParams, after],
      );
      const hasMore = rows.length > limit;
      const data = hasMore ? rows.slice(0, limit) : rows;
      return {
        data,
        page: { limit, nextCursor: hasMore ? encodeCursor('history', [data.at(-1)!.id]) : null },
      };
    } catch (error) {
      throw toApiError(error, context);
    }
  };
}
