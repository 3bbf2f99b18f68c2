/**
 * Database errors become catalog errors at the data boundary, with constraint and column names
 * mapped back to the blueprint's entities and JSON properties, so a client reads "a product with
 * this sku already exists", never a constraint name.
 */
import type { Entity, Field, Model } from '../../blueprint/model.js';
import { APPEND_ONLY_SQLSTATE } from '../../design/sql/index.js';
import { ArchitectError } from '../../errors.js';
import {
  type DatabaseErrorInfo,
  isUnavailableDatabaseError,
  RETRYABLE_SQLSTATES,
  readDatabaseError,
} from './database-error.js';

/** A field-level problem in `error.details`, the same shape request validation uses. */
export interface FieldProblem {
  /** JSON property (`supplierId`), or the column when it maps to no field. */
  readonly field: string;
  /** What kind of problem: `unique`, `reference`, `required`, `check`, `invalid`. */
  readonly code: string;
  readonly message: string;
  /** The blueprint name of the check, for `check`. */
  readonly check?: string;
}

/** Seconds a client should wait before retrying after a transient database failure. */
export const RETRY_AFTER_SECONDS = 1;

type Translator = (info: DatabaseErrorInfo, model: Model) => ArchitectError;

/**
 * Turn anything thrown while talking to the database into an `ArchitectError`:
 * - 23505 → `UNIQUE_VIOLATION` naming the unique fields;
 * - 23503 → `REFERENCE_VIOLATION`: on insert/update, the referenced row does not exist (naming
 *   the field); on delete, the row is still referenced (naming the referencing entity);
 * - 23502 → `VALIDATION_FAILED` for the field; 23514 → `CHECK_VIOLATION` with the blueprint's
 *   message; 22xxx (a value the column type rejects) → `VALIDATION_FAILED`;
 * - 40001/40P01 (after `withRetry` gave up), an unreachable server, a cancelled statement →
 *   `SERVICE_UNAVAILABLE` with `Retry-After`;
 * - the append-only trigger's SQLSTATE → `METHOD_NOT_ALLOWED`;
 * - an `ArchitectError` is returned as it is; anything else becomes `INTERNAL` with the cause
 *   kept for the log.
 *
 * @example
 * try { await driver.query(insert, values); } catch (error) { throw translateDatabaseError(error, model); }
 */
export function translateDatabaseError(error: unknown, model: Model): ArchitectError {
  if (error instanceof ArchitectError) return error;
  const info = readDatabaseError(error);
  if (info) {
    const exact = BY_SQLSTATE[info.code];
    if (exact) return withCause(exact(info, model), error);
    if (RETRYABLE_SQLSTATES.has(info.code)) {
      return unavailable(
        'Concurrent changes collided and retrying did not resolve it; retry the request',
        error,
      );
    }
    if (info.code === '57014')
      return unavailable('The database cancelled a statement that ran too long', error);
    if (info.code.startsWith('22')) return withCause(invalidValue(info, model), error);
  }
  if (isUnavailableDatabaseError(error)) return unavailable('The database is not reachable right now', error);
  return new ArchitectError('INTERNAL', {}, { cause: error });
}

const BY_SQLSTATE: Readonly<Record<string, Translator>> = {
  '23505': uniqueViolation,
  '23503': referenceViolation,
  // PostgreSQL 18 reports ON DELETE RESTRICT as restrict_violation rather than 23503.
  '23001': referenceViolation,
  '23502': notNullViolation,
  '23514': checkViolation,
  [APPEND_ONLY_SQLSTATE]: appendOnlyViolation,
  '42501': rowSecurityViolation,
};

/**
 * `new row violates row-level security policy`: a write that would put a row outside the
 * caller's tenant, stopped by the tenant wall (the row rules let it through, or it names a row
 * they cannot see, such as a new tenant in an upsert).
 */
function rowSecurityViolation(info: DatabaseErrorInfo, model: Model): ArchitectError {
  const entity = entityOfTable(model, info.table);
  if (!/row-level security/i.test(info.message)) return new ArchitectError('INTERNAL', {});
  return new ArchitectError('FORBIDDEN', {
    action: `write this ${humanName(entity, info.table)} outside your organization`,
  });
}

function withCause(translated: ArchitectError, cause: unknown): ArchitectError {
  return new ArchitectError(
    translated.code,
    {},
    { message: translated.message, details: translated.details, headers: translated.headers, cause },
  );
}

function unavailable(detail: string, cause: unknown): ArchitectError {
  return new ArchitectError(
    'SERVICE_UNAVAILABLE',
    { detail },
    { cause, headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } },
  );
}

function entityOfTable(model: Model, table: string | undefined): Entity | undefined {
  return table === undefined ? undefined : model.entities.find((entity) => entity.table === table);
}

/** `purchase_order` → `purchase order`, for messages. */
function humanName(entity: Entity | undefined, table: string | undefined): string {
  if (entity) return entity.name.replace(/_/g, ' ');
  return (table ?? 'row').replace(/_/g, ' ');
}

function fieldOfColumn(entity: Entity | undefined, column: string): Field | undefined {
  return entity?.fields.find((field) => field.column === column);
}

function propertyOf(entity: Entity | undefined, column: string): string {
  return fieldOfColumn(entity, column)?.property ?? column;
}

/** Columns named in a `Key (a, b)=(…)` detail, the fallback when a constraint is unknown. */
function columnsFromDetail(detail: string | undefined): string[] {
  const match = detail ? /^Key \(([^)]*)\)=/.exec(detail) : null;
  return match?.[1] ? match[1].split(',').map((column) => column.trim().replace(/^"|"$/g, '')) : [];
}

function uniqueViolation(info: DatabaseErrorInfo, model: Model): ArchitectError {
  const entity = entityOfTable(model, info.table);
  const group = entity?.uniques.find((unique) => unique.name === info.constraint);
  const isKey = entity !== undefined && entity.key.constraint === info.constraint;
  const columns =
    group?.columns ?? (isKey ? entity.key.columns : undefined) ?? columnsFromDetail(info.detail);
  const properties = columns.map((column) => propertyOf(entity, column));
  const fields = properties.length > 0 ? properties.join(' and ') : 'value';
  const details: FieldProblem[] = properties.map((field) => ({
    field,
    code: 'unique',
    message: properties.length > 1 ? `the combination of ${fields} is already taken` : 'is already taken',
  }));
  return new ArchitectError(
    'UNIQUE_VIOLATION',
    { resource: humanName(entity, info.table), fields },
    { details },
  );
}

function referenceViolation(info: DatabaseErrorInfo, model: Model): ArchitectError {
  let holder: Entity | undefined;
  let field: Field | undefined;
  for (const entity of model.entities) {
    field = entity.fields.find((candidate) => candidate.reference?.constraint === info.constraint);
    if (field) {
      holder = entity;
      break;
    }
  }
  holder ??= entityOfTable(model, info.table);
  const column = field?.column ?? columnsFromDetail(info.detail)[0];
  const property = field?.property ?? (column ? propertyOf(holder, column) : 'reference');
  const target = field?.reference
    ? humanName(entityOfTable(model, field.reference.table), field.reference.table)
    : 'row';
  // PostgreSQL reports both directions against the referencing table; the wording tells them
  // apart ("update or delete on table ..." on delete, "insert or update ..." otherwise).
  const isStillReferenced =
    info.code === '23001' ||
    /^update or delete on table/i.test(info.message) ||
    /is (still )?referenced from table/i.test(info.detail ?? '');
  if (isStillReferenced) {
    const referencedBy = humanName(holder, info.table);
    return new ArchitectError(
      'REFERENCE_VIOLATION',
      { detail: `The ${target} is still referenced by ${referencedBy} rows (${property})` },
      { details: [{ field: property, code: 'referenced', message: `still referenced by ${referencedBy}` }] },
    );
  }
  return new ArchitectError(
    'REFERENCE_VIOLATION',
    { detail: `The ${target} referenced by ${property} does not exist` },
    { details: [{ field: property, code: 'reference', message: `no ${target} with this key` }] },
  );
}

function notNullViolation(info: DatabaseErrorInfo, model: Model): ArchitectError {
  const entity = entityOfTable(model, info.table);
  const property = info.column ? propertyOf(entity, info.column) : 'value';
  const details: FieldProblem[] = [{ field: property, code: 'required', message: 'is required' }];
  return new ArchitectError('VALIDATION_FAILED', {}, { details });
}

function checkViolation(info: DatabaseErrorInfo, model: Model): ArchitectError {
  const entity =
    entityOfTable(model, info.table) ??
    model.entities.find((candidate) =>
      candidate.checks.some((check) => check.constraint === info.constraint),
    );
  const check = entity?.checks.find((candidate) => candidate.constraint === info.constraint);
  if (!check || !entity) {
    return new ArchitectError(
      'CHECK_VIOLATION',
      { detail: `A rule of the ${humanName(entity, info.table)} rejected the values` },
      { details: [] },
    );
  }
  const fieldName = check.field ?? (check.columns.length === 1 ? check.columns[0] : undefined);
  const field = fieldName
    ? entity.fields.find((candidate) => candidate.name === fieldName || candidate.column === fieldName)
    : undefined;
  const properties = field ? [field.property] : check.columns.map((column) => propertyOf(entity, column));
  const details: FieldProblem[] = (properties.length > 0 ? properties : ['value']).map((property) => ({
    field: property,
    code: 'check',
    check: check.name,
    message: check.message,
  }));
  return new ArchitectError('CHECK_VIOLATION', { detail: check.message }, { details });
}

function appendOnlyViolation(info: DatabaseErrorInfo, model: Model): ArchitectError {
  const entity = entityOfTable(model, info.table);
  const operation = /^(UPDATE|DELETE|TRUNCATE)\b/.exec(info.message)?.[1];
  const method = operation === 'UPDATE' ? 'PATCH' : 'DELETE';
  const resource = entity
    ? `${model.api.basePath}${entity.collectionPath}`
    : humanName(undefined, info.table);
  return new ArchitectError('METHOD_NOT_ALLOWED', { method, resource });
}

function invalidValue(info: DatabaseErrorInfo, model: Model): ArchitectError {
  const entity = entityOfTable(model, info.table);
  const field = info.column ? propertyOf(entity, info.column) : 'value';
  // The database's wording names the type and the rejected input, never a table or query.
  const details: FieldProblem[] = [{ field, code: 'invalid', message: info.message }];
  return new ArchitectError('VALIDATION_FAILED', {}, { details });
}
