/**
 * Reusable pieces of the document: response headers, header parameters, error responses and
 * security schemes. Each is keyed by its component name; unused ones are pruned at the end.
 */
import type { AccessRule, Model } from '../../blueprint/model.js';
import { REQUEST_ID_EXAMPLE } from '../api/common-schemas.js';
import { COMMON_SCHEMAS, schemaRef } from '../api/names.js';
import { ERROR_RESPONSES, type ErrorStatus } from '../api/responses.js';
import type { RequestHeader, ResponseHeader } from '../api/types.js';
import type {
  HeaderObject,
  ParameterObject,
  Reference,
  ResponseObject,
  SecurityRequirement,
  SecuritySchemeObject,
} from './types.js';

/** Component name of each response header. */
export const HEADER_COMPONENTS: Record<ResponseHeader, string> = {
  'X-Request-Id': 'XRequestId',
  ETag: 'ETag',
  Location: 'Location',
  'Retry-After': 'RetryAfter',
  'WWW-Authenticate': 'WWWAuthenticate',
  'RateLimit-Limit': 'RateLimitLimit',
  'RateLimit-Remaining': 'RateLimitRemaining',
  'RateLimit-Reset': 'RateLimitReset',
  'Idempotent-Replayed': 'IdempotentReplayed',
};

const COUNT = { type: 'integer', minimum: 0 };

const HEADERS: Record<ResponseHeader, HeaderObject> = {
  'X-Request-Id': {
    description: 'The request id: the one sent when well formed, else a generated one.',
    schema: { type: 'string' },
  },
  ETag: {
    description: 'The version of the resource as a strong entity tag.',
    schema: { type: 'string' },
    example: '"3"',
  },
  Location: {
    description: 'URL of the created resource.',
    schema: { type: 'string', format: 'uri-reference' },
  },
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', minimum: 0 } },
  'WWW-Authenticate': { description: 'The authentication scheme to use.', schema: { type: 'string' } },
  'RateLimit-Limit': { description: 'Requests allowed in the current window.', schema: COUNT },
  'RateLimit-Remaining': { description: 'Requests left in the current window.', schema: COUNT },
  'RateLimit-Reset': { description: 'Seconds until the window resets.', schema: COUNT },
  'Idempotent-Replayed': {
    description:
      '`true` when this is the stored response of an earlier request with the same Idempotency-Key.',
    schema: { type: 'string', enum: ['true'] },
  },
};

export function headerComponents(): Record<string, HeaderObject> {
  const components: Record<string, HeaderObject> = {};
  for (const [header, name] of Object.entries(HEADER_COMPONENTS)) {
    components[name] = HEADERS[header as ResponseHeader];
  }
  return components;
}

export function headerRefs(headers: readonly ResponseHeader[]): Record<string, Reference> {
  const refs: Record<string, Reference> = {};
  for (const header of headers) refs[header] = { $ref: `#/components/headers/${HEADER_COMPONENTS[header]}` };
  return refs;
}

/** Request headers as parameters, plus `X-Request-Id` which every operation accepts. */
export const HEADER_PARAMETERS: Record<
  RequestHeader | 'X-Request-Id',
  { component: string; parameter: ParameterObject }
> = {
  'If-Match': {
    component: 'IfMatch',
    parameter: {
      name: 'If-Match',
      in: 'header',
      description:
        'The ETag last seen, or a list of ETags of which any may match, or `*` for any version; a stale one gives 412 PRECONDITION_FAILED. Without it, the last writer wins.',
      required: false,
      schema: { type: 'string' },
      example: '"3"',
    },
  },
  'If-None-Match': {
    component: 'IfNoneMatch',
    parameter: {
      name: 'If-None-Match',
      in: 'header',
      description: 'The ETag last seen; when still current the answer is 304 without a body.',
      required: false,
      schema: { type: 'string' },
      example: '"3"',
    },
  },
  'Idempotency-Key': {
    component: 'IdempotencyKey',
    parameter: {
      name: 'Idempotency-Key',
      in: 'header',
      description:
        'A unique key per logical request: a retry with the same key, method, path and body returns the first result without doing the work again.',
      required: false,
      schema: { type: 'string', pattern: '^[\\x21-\\x7E]{1,255}$' },
    },
  },
  'X-Request-Id': {
    component: 'XRequestId',
    parameter: {
      name: 'X-Request-Id',
      in: 'header',
      description:
        'A request id to correlate logs; kept when well formed, else replaced. Echoed on the response.',
      required: false,
      schema: { type: 'string', maxLength: 200 },
    },
  },
};

const ERROR_EXAMPLES: Record<ErrorStatus, { code: string; message: string; details?: unknown }> = {
  '400': { code: 'MALFORMED_REQUEST', message: 'Unknown query parameter `colour`' },
  '401': { code: 'UNAUTHENTICATED', message: 'Authentication required' },
  '403': { code: 'FORBIDDEN', message: 'Not allowed to delete this resource' },
  '404': { code: 'NOT_FOUND', message: 'Resource not found' },
  '409': { code: 'UNIQUE_VIOLATION', message: 'A resource with this code already exists' },
  '412': { code: 'PRECONDITION_FAILED', message: 'The resource has changed since version 3' },
  '413': { code: 'PAYLOAD_TOO_LARGE', message: 'Too many items' },
  '428': { code: 'PRECONDITION_REQUIRED', message: 'If-Match is required to change a resource' },
  '415': { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported content type text/plain' },
  '422': {
    code: 'VALIDATION_FAILED',
    message: 'The request body is not valid',
    details: [{ field: 'name', code: 'required', message: "must have required property 'name'" }],
  },
  '429': { code: 'RATE_LIMITED', message: 'Too many requests; retry after 30 s' },
  '500': { code: 'INTERNAL', message: 'Internal error' },
  '503': { code: 'SERVICE_UNAVAILABLE', message: 'The database is busy; retry shortly' },
};

/** `components.responses` for every error status, each with its example envelope. */
export function errorResponseComponents(headersOf: (status: ErrorStatus) => readonly ResponseHeader[]) {
  const components: Record<string, ResponseObject> = {};
  for (const [status, spec] of Object.entries(ERROR_RESPONSES) as [
    ErrorStatus,
    (typeof ERROR_RESPONSES)[ErrorStatus],
  ][]) {
    components[spec.component] = {
      description: spec.description,
      headers: headerRefs(headersOf(status)),
      content: {
        'application/json': {
          schema: schemaRef(COMMON_SCHEMAS.error),
          example: { error: { ...ERROR_EXAMPLES[status], requestId: REQUEST_ID_EXAMPLE } },
        },
      },
    };
  }
  return components;
}

/** Name of the session cookie password login sets (docs/api.md, "Authentication"). */
export const SESSION_COOKIE = 'architect_session';

/** Security schemes from `model.auth.methods`: bearer for JWTs and API keys, a cookie for password login. */
export function securitySchemes(model: Model): Record<string, SecuritySchemeObject> {
  const methods = new Set(model.auth.methods);
  const schemes: Record<string, SecuritySchemeObject> = {};
  if (methods.has('jwt') || methods.has('api_key')) {
    const tokens = [
      methods.has('jwt') ? 'a JWT' : undefined,
      methods.has('api_key') ? 'an API key' : undefined,
    ]
      .filter(Boolean)
      .join(' or ');
    schemes.bearerAuth = {
      type: 'http',
      scheme: 'bearer',
      ...(methods.has('jwt') ? { bearerFormat: 'JWT' } : {}),
      description: `Send ${tokens} as \`Authorization: Bearer <token>\`.`,
    };
  }
  if (methods.has('password')) {
    schemes.cookieAuth = {
      type: 'apiKey',
      in: 'cookie',
      name: SESSION_COOKIE,
      description: 'The session cookie set by password login.',
    };
  }
  return schemes;
}

/** Per-operation security: any scheme will do; `any` access makes credentials optional. */
export function securityFor(rules: readonly AccessRule[], schemes: readonly string[]): SecurityRequirement[] {
  const requirements = schemes.map((scheme) => ({ [scheme]: [] as string[] }));
  if (rules.every((rule) => rule.kind === 'any')) return [{}, ...requirements];
  return requirements;
}
