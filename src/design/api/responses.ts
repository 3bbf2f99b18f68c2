/**
 * The statuses each operation can really answer, with their codes and headers. The table of
 * error statuses is shared with the OpenAPI emitter, which prints them once under
 * `components.responses`.
 */
import type { AccessRule } from '../../blueprint/model.js';
import type { ErrorCode } from '../../errors.js';
import { COMMON_SCHEMAS, schemaRef } from './names.js';
import type { ResponseHeader, ResponseSpec } from './types.js';

/** Error statuses, with the component name and a description listing their codes. */
export const ERROR_RESPONSES = {
  '400': {
    component: 'BadRequest',
    description: 'Malformed request: bad JSON, an unknown or unparsable query parameter (MALFORMED_REQUEST).',
  },
  '401': { component: 'Unauthorized', description: 'No valid credentials (UNAUTHENTICATED).' },
  '403': { component: 'Forbidden', description: 'The caller lacks a role this operation needs (FORBIDDEN).' },
  '404': {
    component: 'NotFound',
    description: 'No such resource, or one the caller may not see (NOT_FOUND).',
  },
  '409': {
    component: 'Conflict',
    description:
      'Conflicts with the current state: a taken unique value (UNIQUE_VIOLATION), a missing or still referenced row (REFERENCE_VIOLATION), a lifecycle state (INVALID_TRANSITION), or an Idempotency-Key still in progress (IDEMPOTENCY_IN_PROGRESS).',
  },
  '412': {
    component: 'PreconditionFailed',
    description: 'If-Match named a version that is no longer current (PRECONDITION_FAILED).',
  },
  '428': {
    component: 'PreconditionRequired',
    description: 'The server requires If-Match for this resource and none was sent (PRECONDITION_REQUIRED).',
  },
  '413': {
    component: 'PayloadTooLarge',
    description: 'The body or the number of bulk items exceeds the limit (PAYLOAD_TOO_LARGE).',
  },
  '415': {
    component: 'UnsupportedMediaType',
    description: 'The body is not `application/json` (UNSUPPORTED_MEDIA_TYPE).',
  },
  '422': {
    component: 'UnprocessableContent',
    description:
      'The body is not valid (VALIDATION_FAILED, with field details), a blueprint check rejected it (CHECK_VIOLATION), or an Idempotency-Key was reused for another request (IDEMPOTENCY_KEY_REUSED).',
  },
  '429': {
    component: 'TooManyRequests',
    description: 'Rate limit exceeded (RATE_LIMITED); `Retry-After` says when to retry.',
  },
  '500': {
    component: 'InternalError',
    description: 'Unexpected failure (INTERNAL); the cause is logged with the request id.',
  },
  '503': {
    component: 'ServiceUnavailable',
    description:
      'A transient failure persisted after retries, or the request timed out (SERVICE_UNAVAILABLE, TIMEOUT); `Retry-After` says when to retry.',
  },
} as const;

export type ErrorStatus = keyof typeof ERROR_RESPONSES;

/** Headers every resource response carries: the request id and the rate-limit state. */
export const COMMON_RESPONSE_HEADERS: readonly ResponseHeader[] = [
  'X-Request-Id',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
];

/** Headers of an error response: the common ones, `Retry-After` on 429 and 503, `WWW-Authenticate` on 401. */
export function errorHeaders(status: ErrorStatus): ResponseHeader[] {
  if (status === '429' || status === '503') return [...COMMON_RESPONSE_HEADERS, 'Retry-After'];
  if (status === '401') return [...COMMON_RESPONSE_HEADERS, 'WWW-Authenticate'];
  return [...COMMON_RESPONSE_HEADERS];
}

/** An error response of the shared table, with the codes this operation can give. */
export function errorResponse(status: ErrorStatus, codes: readonly ErrorCode[]): ResponseSpec {
  return {
    description: ERROR_RESPONSES[status].description,
    schema: schemaRef(COMMON_SCHEMAS.error),
    headers: errorHeaders(status),
    errorCodes: [...codes],
  };
}

/** What can go wrong for one operation; each flag adds its statuses. */
export interface ErrorProfile {
  /** Access rules checked (several for bulk). */
  readonly access: readonly AccessRule[];
  /** An item route, or a nested collection whose parent may be missing. */
  readonly notFound: boolean;
  /** Codes that give 409 (none: no 409). */
  readonly conflicts: readonly ErrorCode[];
  /** If-Match is read (`optional`), or must be sent (`required`: 428 without it). */
  readonly precondition: false | 'optional' | 'required';
  /** The operation takes a body. */
  readonly body: boolean;
  /** A POST: Idempotency-Key applies (422 on reuse). */
  readonly idempotent: boolean;
}

/** The error responses of a profile, in status order. */
export function errorResponses(profile: ErrorProfile): Record<string, ResponseSpec> {
  const responses: Record<string, ResponseSpec> = {};
  responses['400'] = errorResponse('400', ['MALFORMED_REQUEST']);
  if (profile.access.some((rule) => rule.kind !== 'any')) {
    responses['401'] = errorResponse('401', ['UNAUTHENTICATED']);
  }
  if (profile.access.some((rule) => rule.kind === 'roles')) {
    responses['403'] = errorResponse('403', ['FORBIDDEN']);
  }
  if (profile.notFound) responses['404'] = errorResponse('404', ['NOT_FOUND']);
  if (profile.conflicts.length > 0) responses['409'] = errorResponse('409', profile.conflicts);
  if (profile.precondition) responses['412'] = errorResponse('412', ['PRECONDITION_FAILED']);
  if (profile.body) {
    responses['413'] = errorResponse('413', ['PAYLOAD_TOO_LARGE']);
    responses['415'] = errorResponse('415', ['UNSUPPORTED_MEDIA_TYPE']);
    const invalid: ErrorCode[] = ['VALIDATION_FAILED', 'CHECK_VIOLATION'];
    if (profile.idempotent) invalid.push('IDEMPOTENCY_KEY_REUSED');
    responses['422'] = errorResponse('422', invalid);
  }
  // Entities with `if_match: required` refuse changes without it (docs/api.md, "Writes").
  if (profile.precondition === 'required') responses['428'] = errorResponse('428', ['PRECONDITION_REQUIRED']);
  responses['429'] = errorResponse('429', ['RATE_LIMITED']);
  responses['500'] = errorResponse('500', ['INTERNAL']);
  responses['503'] = errorResponse('503', ['SERVICE_UNAVAILABLE', 'TIMEOUT']);
  return responses;
}

/** A success response with a body. */
export function successResponse(
  description: string,
  schemaName: string,
  headers: readonly ResponseHeader[],
  example?: unknown,
): ResponseSpec {
  const response: ResponseSpec = {
    description,
    schema: schemaRef(schemaName),
    headers: [...COMMON_RESPONSE_HEADERS, ...headers],
  };
  return example === undefined ? response : { ...response, example };
}

/** A success response without a body (204, 304). */
export function emptyResponse(description: string, headers: readonly ResponseHeader[]): ResponseSpec {
  return { description, headers: [...COMMON_RESPONSE_HEADERS, ...headers] };
}
