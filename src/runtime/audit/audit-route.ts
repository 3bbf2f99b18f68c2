/**
 * `GET /audit`: the audit trail, newest first, paged by id, filtered by entity, entity id,
 * action, actor and a created-at range. Reading it is an admin matter (the operation's access
 * rule); the security layer enforces it.
 *
 * `before` and `after` are the rows as the API shows them: the database keeps them as `jsonb`
 * (`to_jsonb` of the row, in the write's own statement), where a decimal is a JSON number and a
 * timestamp has PostgreSQL's offset form. They are read as text and parsed without losing digits,
 * so `12345678901234.5678` comes back as that string, as the resource itself answers it, not as
 * the double `12345678901234.568`; timestamps as the resource prints them.
 */
import type { FastifyRequest } from 'fastify';
import { isLosslessNumber, parse } from 'lossless-json';
import type { Entity, Model } from '../../blueprint/model.js';
import { camelCase } from '../../blueprint/naming.js';
import type { Operation } from '../../design/api/index.js';
import { ArchitectError } from '../../errors.js';
import { parseInt8, parseTimestamp } from '../db/value-types.js';
import { arrayLiteral, Binder, decodeCursor, encodeCursor, splitInList } from '../query/index.js';
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
  const select = COLUMNS.map((column) => {
    const value = column === 'before' || column === 'after' ? `a.${column}::text` : `a.${column}`;
    return `${value} AS ${quotedName(property(column))}`;
  }).join(', ');
  const snapshots = snapshotReaders(context.model);
  const [before, after] = [property('before'), property('after')];
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
      if (operator === 'in') {
        conditions.push(`${column} = ANY(${binder.bind(arrayLiteral(splitInList(name, text)))}::text[])`);
      } else conditions.push(`${column} ${OPERATORS[operator]} ${binder.bind(text)}${cast}`);
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
      for (const row of data) {
        const read = snapshots.get(row[property('entity')] as string) ?? plainSnapshot;
        row[before] = read(row[before] as string | null);
        row[after] = read(row[after] as string | null);
      }
      return { data, page: { limit, nextCursor: hasMore ? encodeCursor('audit', [data.at(-1)!.id]) : null } };
    } catch (error) {
      throw toApiError(error, context);
    }
  };
}

type Snapshot = Record<string, unknown> | null;
type SnapshotReader = (text: string | null) => Snapshot;

/** Numbers as `JSON.parse` would give them, deep inside a snapshot (json fields). */
function plainNumbers(value: unknown): unknown {
  if (isLosslessNumber(value)) return Number(value.value);
  if (Array.isArray(value)) return value.map(plainNumbers);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plainNumbers(inner)]));
  }
  return value;
}

/** A snapshot of an entity the model no longer has: its values as stored. */
function plainSnapshot(text: string | null): Snapshot {
  return text === null ? null : (plainNumbers(parse(text)) as Record<string, unknown>);
}

/** Per audited entity: its stored snapshots read back as the entity's representation. */
function snapshotReaders(model: Model): Map<string, SnapshotReader> {
  return new Map(
    model.entities.filter((entity) => entity.audit).map((entity) => [entity.name, snapshotReader(entity)]),
  );
}

function snapshotReader(entity: Entity): SnapshotReader {
  const kinds = new Map(entity.fields.map((field) => [field.property, field.kind]));
  return (text) => {
    if (text === null) return null;
    const snapshot = parse(text) as Record<string, unknown>;
    for (const [key, value] of Object.entries(snapshot)) {
      const kind = kinds.get(key);
      if (isLosslessNumber(value)) {
        // Decimals as exact strings, bigints as the driver gives them (a number when exact).
        if (kind === 'decimal') snapshot[key] = value.value;
        else if (kind === 'bigint') snapshot[key] = parseInt8(value.value);
        else snapshot[key] = Number(value.value);
      } else if (kind === 'datetime' && typeof value === 'string') {
        snapshot[key] = parseTimestamp(value.replace('T', ' '), true);
      } else snapshot[key] = plainNumbers(value);
    }
    return snapshot;
  };
}
