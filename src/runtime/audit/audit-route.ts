/**
 * `GET /audit`: the audit trail, newest first, paged by id, filtered by entity, entity id,
 * action, actor and a created-at range. Reading it is an admin matter (the operation's access
 * rule); the security layer enforces it.
 */
import type { FastifyRequest } from 'fastify';
import { camelCase } from '../../blueprint/naming.js';
import type { Operation } from '../../design/api/index.js';
import { ArchitectError } from '../../errors.js';
import { Binder, decodeCursor, encodeCursor } from '../query/index.js';
import { quotedName } from '../query/sql.js';
import type { ResourceContext } from '../resources/context.js';
import { toApiError } from '../resources/run-write.js';
import { AUDIT_TABLE } from './audit-sql.js';

const COLUMNS = [
  'id',
  'entity',
  'entity_id',
  'action',
  'actor',
  'request_id',
  'before',
  'after',
  'created_at',
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OPERATORS: Record<string, string> = { eq: '=', lt: '<', lte: '<=', gt: '>', gte: '>=' };

export function auditHandler(context: ResourceContext, operation: Operation) {
  const property = (column: string) => (context.model.api.jsonCase === 'camel' ? camelCase(column) : column);
  const select = COLUMNS.map((column) => `a.${column} AS ${quotedName(property(column))}`).join(', ');
  const filters = new Map(operation.filters.map((filter) => [filter.property, filter]));
  const { defaultLimit, maxLimit } = context.model.api.pagination;
  return async (request: FastifyRequest) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const binder = new Binder();
    const conditions: string[] = [];
    let limit = defaultLimit;
    for (const [name, raw] of Object.entries(query)) {
      if (raw === undefined) continue;
      const text = String(raw);
      if (name === 'limit') {
        limit = Number(text);
        if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
          throw new ArchitectError('MALFORMED_REQUEST', {
            detail: `limit must be an integer from 1 to ${maxLimit}`,
          });
        }
        continue;
      }
      if (name === 'cursor') {
        const before = Number(decodeCursor(text, 'audit', 1)[0]);
        if (!Number.isSafeInteger(before))
          throw new ArchitectError('MALFORMED_REQUEST', { detail: 'cursor is not a cursor this API issued' });
        conditions.push(`a.id < ${binder.bind(before)}::bigint`);
        continue;
      }
      const match = /^(\w+)(?:\[(\w+)\])?$/.exec(name);
      const filter = match ? filters.get(match[1]!) : undefined;
      const operator = (match?.[2] ?? 'eq') as (typeof operation.filters)[number]['operators'][number];
      if (!filter?.operators.includes(operator)) {
        throw new ArchitectError('MALFORMED_REQUEST', { detail: `unknown query parameter ${name}` });
      }
      const column = `a.${filter.column}`;
      const cast = filter.column === 'created_at' ? '::timestamptz' : '::text';
      if (filter.column === 'created_at' && Number.isNaN(Date.parse(text))) {
        throw new ArchitectError('MALFORMED_REQUEST', {
          detail: `${name}: ${JSON.stringify(text)} is not a date-time`,
        });
      }
      if (operator === 'in') conditions.push(`${column} = ANY(${binder.bind(text.split(','))}::text[])`);
      else conditions.push(`${column} ${OPERATORS[operator]} ${binder.bind(text)}${cast}`);
    }
    // A multi-tenant trail is read one tenant at a time: the caller's active one.
    if (context.model.tenancy.kind === 'organization') {
      const tenantId = request.principal?.tenantId;
      if (!tenantId || !UUID.test(tenantId)) {
        throw new ArchitectError('FORBIDDEN', {
          action: 'read the audit trail without an active organization',
        });
      }
      conditions.push(`a.tenant_id = ${binder.bind(tenantId)}::uuid`);
    }
    const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
    try {
      const { rows } = await context.driver.query<Record<string, unknown>>(
        `SELECT ${select} FROM ${AUDIT_TABLE} a${where} ORDER BY a.id DESC LIMIT ${limit + 1}`,
        binder.values,
      );
      const hasMore = rows.length > limit;
      const data = hasMore ? rows.slice(0, limit) : rows;
      return { data, page: { limit, nextCursor: hasMore ? encodeCursor('audit', [data.at(-1)!.id]) : null } };
    } catch (error) {
      throw toApiError(error, context);
    }
  };
}
