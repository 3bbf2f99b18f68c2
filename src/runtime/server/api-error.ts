/**
 * Everything a request can fail with becomes one catalog error, and every catalog error one
 * envelope: `{ "error": { "code", "message", "details"?, "requestId" } }`. Fastify's own errors
 * (validation, content type, body size, bad JSON) and database errors are mapped here, so route
 * plugins simply throw.
 */
import type { FastifyError } from 'fastify';
import type { Model } from '../../blueprint/model.js';
import { ArchitectError, type ErrorCode } from '../../errors.js';
import { isUnavailableDatabaseError, readDatabaseError } from '../db/database-error.js';
import { translateDatabaseError } from '../db/translate-error.js';

export interface ErrorEnvelope {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly details?: unknown;
    readonly requestId: string;
  };
}

export function errorEnvelope(error: ArchitectError, requestId: string): ErrorEnvelope {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
      requestId,
    },
  };
}

/** One problem with a field or parameter, as request validation reports it. */
export interface ValidationProblem {
  /** `qtyOrdered`, `items.3.sku`, or a query parameter name. */
  readonly field: string;
  /** The JSON Schema keyword that failed: `required`, `minimum`, `additionalProperties` ... */
  readonly code: string;
  readonly message: string;
}

interface AjvLikeError {
  readonly keyword: string;
  readonly instancePath?: string;
  readonly params?: Record<string, unknown>;
  readonly message?: string;
}

/** `/items/3/sku` → `items.3.sku`, plus the property a `required`/`additionalProperties` error names. */
function fieldOf(error: AjvLikeError): string {
  const segments = (error.instancePath ?? '')
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  const named =
    error.params?.missingProperty ?? error.params?.additionalProperty ?? error.params?.propertyName;
  if (typeof named === 'string') segments.push(named);
  return segments.join('.');
}

/** `1 character`, `200 characters`. */
function count(limit: unknown, noun: string): string {
  return `${String(limit)} ${noun}${limit === 1 ? '' : 's'}`;
}

/** What ajv says in its own words ("must NOT have fewer than 1 characters"), said plainly. */
function messageOf(error: AjvLikeError): string {
  // `reason`: what the route knows about this failure (resources/refusals.ts, validation.ts)
  if (typeof error.params?.reason === 'string') return error.params.reason;
  const limit = error.params?.limit;
  switch (error.keyword) {
    case 'additionalProperties':
      return 'is not a property that can be set here';
    case 'required':
      return 'is required';
    case 'enum': {
      const allowed = error.params?.allowedValues;
      if (!Array.isArray(allowed)) break;
      return `must be one of ${allowed.map((value) => (value === null ? 'null' : String(value))).join(', ')}`;
    }
    case 'minLength':
      return limit === 1 ? 'must not be empty' : `must be at least ${count(limit, 'character')}`;
    case 'maxLength':
      return `must be at most ${count(limit, 'character')}`;
    case 'minItems':
      return `must have at least ${count(limit, 'item')}`;
    case 'maxItems':
      return `must have at most ${count(limit, 'item')}`;
    case 'minProperties':
      return limit === 1 ? 'must name at least one property' : `must name at least ${limit} properties`;
    case 'type':
      if (error.params?.type === 'object' && (error.instancePath ?? '') === '')
        return 'must be a JSON object';
  }
  return error.message ?? 'is not valid';
}

export function validationProblems(errors: readonly AjvLikeError[]): ValidationProblem[] {
  return errors.map((error) => ({ field: fieldOf(error), code: error.keyword, message: messageOf(error) }));
}

/** Status codes Fastify (or a plugin) may answer with, and the catalog code each becomes. */
const CODE_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'MALFORMED_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'VALIDATION_FAILED',
  428: 'PRECONDITION_REQUIRED',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** `10 MiB`, `512 KiB`, `1000 bytes`: a body limit as people read it. */
function sizeText(bytes: number | undefined): string {
  if (bytes === undefined) return 'size';
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** What Fastify's validation context is called in a message: `Invalid path parameter id: ...`. */
const PARAMETER_KIND: Readonly<Record<string, string>> = {
  querystring: 'query parameter',
  params: 'path parameter',
  headers: 'header',
};

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && ('statusCode' in error || 'validation' in error);
}

/**
 * The catalog error for anything thrown while handling a request. Unknown failures become
 * `INTERNAL` with the original kept as `cause` (logged, never sent).
 */
export function toArchitectError(
  error: unknown,
  model: Model,
  request?: {
    readonly headers: Readonly<Record<string, string | string[] | undefined>>;
    readonly routeOptions?: { readonly bodyLimit?: number };
  },
): ArchitectError {
  if (error instanceof ArchitectError) return error;
  if (readDatabaseError(error) || isUnavailableDatabaseError(error))
    return translateDatabaseError(error, model);
  if (!isFastifyError(error)) return new ArchitectError('INTERNAL', {}, { cause: error });

  if (Array.isArray(error.validation)) {
    const details = validationProblems(error.validation as AjvLikeError[]);
    if (error.validationContext === 'body')
      return new ArchitectError('VALIDATION_FAILED', {}, { details, cause: error });
    const where = PARAMETER_KIND[error.validationContext ?? ''] ?? 'request value';
    const first = details[0];
    const detail = first ? `Invalid ${where} ${first.field}: ${first.message}` : `Invalid ${where}`;
    return new ArchitectError('MALFORMED_REQUEST', { detail }, { details, cause: error });
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ArchitectError(
        'PAYLOAD_TOO_LARGE',
        {
          detail: `The request body is larger than the ${sizeText(request?.routeOptions?.bodyLimit)} this server accepts`,
        },
        { cause: error },
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ArchitectError(
        'UNSUPPORTED_MEDIA_TYPE',
        { type: String(request?.headers['content-type'] ?? '(none)') },
        { cause: error },
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ArchitectError('MALFORMED_REQUEST', { detail: 'The JSON body is empty' }, { cause: error });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ArchitectError(
        'MALFORMED_REQUEST',
        { detail: 'The body is not valid JSON' },
        { cause: error },
      );
  }
  const status = error.statusCode ?? 500;
  if (error instanceof SyntaxError || (status === 400 && /JSON/i.test(error.message))) {
    return new ArchitectError(
      'MALFORMED_REQUEST',
      { detail: `The body is not valid JSON: ${error.message}` },
      { cause: error },
    );
  }
  const code = CODE_BY_STATUS[status];
  if (status >= 500 || !code) return new ArchitectError('INTERNAL', {}, { cause: error });
  // Fastify's 4xx messages describe the request, never the server; they are safe to return.
  return new ArchitectError(code, { detail: error.message }, { message: error.message, cause: error });
}
