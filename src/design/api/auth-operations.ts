/**
 * The identity routes `architect serve` answers under `<base path>/auth` (docs/api.md, "Auth"):
 * sign-up, sign-in, token refresh, sign-out, the caller, API keys, password reset, email
 * verification and invitations. Which of them exist follows `model.auth`: the password routes
 * with `methods: [password]`, the key routes with `api_key`, invitations with `signup: invite`.
 *
 * The schemas here are the ones the runtime validates bodies with and serializes answers with,
 * and the ones the document prints (inline: they belong to these routes only).
 */
import type { AccessRule, Model } from '../../blueprint/model.js';
import type { ErrorCode } from '../../errors.js';
import type { OperationDraft } from './entity-operations.js';
import { COMMON_SCHEMAS, schemaRef } from './names.js';
import { pagingParameters } from './query.js';
import { COMMON_RESPONSE_HEADERS, errorResponse, errorResponses } from './responses.js';
import type { JsonSchema, ResponseSpec } from './types.js';

export const AUTH_TAG = 'Auth';

const uuid: JsonSchema = { type: 'string', format: 'uuid' };
const email: JsonSchema = { type: 'string', format: 'email', maxLength: 320 };
const password: JsonSchema = {
  type: 'string',
  minLength: 10,
  maxLength: 256,
  description: 'At least 10 characters.',
};
const timestamp: JsonSchema = { type: 'string', format: 'date-time' };
const roles: JsonSchema = { type: 'array', items: { type: 'string', maxLength: 64 }, maxItems: 32 };
const oneTimeToken: JsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 200,
  description: 'The token from the message.',
};

const user: JsonSchema = {
  type: 'object',
  properties: {
    id: uuid,
    email,
    roles,
    tenantId: { ...uuid, type: ['string', 'null'], description: 'The active tenant.' },
    emailVerified: { type: 'boolean' },
    method: {
      type: 'string',
      enum: ['jwt', 'cookie', 'api_key', 'password'],
      description:
        'How the caller authenticated: a bearer JWT, the session cookie, an API key; `password` right after sign-in.',
    },
    tenants: {
      type: 'array',
      items: {
        type: 'object',
        properties: { tenantId: uuid, role: { type: 'string' } },
        required: ['tenantId', 'role'],
        additionalProperties: false,
      },
    },
  },
  required: ['id', 'email', 'roles', 'tenantId', 'emailVerified', 'method', 'tenants'],
  additionalProperties: false,
};

/** Request and answer bodies of the identity routes. */
export const AUTH_SCHEMAS = {
  user,
  signUp: {
    type: 'object',
    properties: {
      email,
      password,
      invitation: { ...oneTimeToken, description: 'The invitation token (sign-up by invitation).' },
      roles: { ...roles, description: 'Roles of the new account (an admin creating it only).' },
      profile: {
        type: 'object',
        description: 'Properties of the account row of the blueprint (`auth.users`), besides email.',
      },
    },
    required: ['email', 'password'],
    additionalProperties: false,
  },
  login: {
    type: 'object',
    properties: {
      email,
      password: { type: 'string', minLength: 1, maxLength: 256 },
      tenantId: { ...uuid, description: 'The tenant to act in (default: the first membership).' },
    },
    required: ['email', 'password'],
    additionalProperties: false,
  },
  refresh: {
    type: 'object',
    properties: {
      refreshToken: {
        type: 'string',
        minLength: 1,
        maxLength: 200,
        description: 'The refresh token (browsers send the refresh cookie instead).',
      },
      tenantId: { ...uuid, description: 'Switch the active tenant (one of the account memberships).' },
    },
    additionalProperties: false,
  },
  logout: {
    type: 'object',
    properties: { refreshToken: { type: 'string', minLength: 1, maxLength: 200 } },
    additionalProperties: false,
  },
  session: {
    type: 'object',
    properties: {
      accessToken: { type: 'string', description: 'A JWT for `Authorization: Bearer`.' },
      tokenType: { type: 'string', const: 'Bearer' },
      expiresIn: { type: 'integer', description: 'Seconds the access token lives.' },
      refreshToken: { type: 'string', description: 'Single use: each refresh answers a new one.' },
      refreshExpiresAt: timestamp,
      csrfToken: { type: 'string', description: 'Send as `X-CSRF-Token` on cookie-authenticated writes.' },
      user,
    },
    required: [
      'accessToken',
      'tokenType',
      'expiresIn',
      'refreshToken',
      'refreshExpiresAt',
      'csrfToken',
      'user',
    ],
    additionalProperties: false,
  },
  csrf: {
    type: 'object',
    properties: {
      csrfToken: { type: 'string', description: 'Send as `X-CSRF-Token` on cookie-authenticated writes.' },
    },
    required: ['csrfToken'],
    additionalProperties: false,
  },
  apiKeyRequest: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 100 },
      roles: { ...roles, description: 'A subset of the caller roles (default: all of them).' },
      expiresAt: timestamp,
    },
    required: ['name'],
    additionalProperties: false,
  },
  apiKey: {
    type: 'object',
    properties: {
      id: uuid,
      name: { type: 'string' },
      prefix: {
        type: 'string',
        description: 'Identifies the key in lists; the secret is never shown again.',
      },
      roles,
      tenantId: { ...uuid, type: ['string', 'null'] },
      createdAt: timestamp,
      lastUsedAt: { ...timestamp, type: ['string', 'null'] },
      expiresAt: { ...timestamp, type: ['string', 'null'] },
      revokedAt: { ...timestamp, type: ['string', 'null'] },
    },
    required: [
      'id',
      'name',
      'prefix',
      'roles',
      'tenantId',
      'createdAt',
      'lastUsedAt',
      'expiresAt',
      'revokedAt',
    ],
    additionalProperties: false,
  },
  emailRequest: {
    type: 'object',
    properties: { email },
    required: ['email'],
    additionalProperties: false,
  },
  passwordResetConfirm: {
    type: 'object',
    properties: { token: oneTimeToken, password },
    required: ['token', 'password'],
    additionalProperties: false,
  },
  tokenConfirm: {
    type: 'object',
    properties: { token: oneTimeToken },
    required: ['token'],
    additionalProperties: false,
  },
  invitationRequest: {
    type: 'object',
    properties: {
      email,
      roles: { ...roles, description: 'Roles the account gets (default: `auth.default_roles`).' },
    },
    required: ['email'],
    additionalProperties: false,
  },
  accepted: {
    type: 'object',
    properties: { status: { type: 'string', const: 'accepted' } },
    required: ['status'],
    additionalProperties: false,
  },
} as const satisfies Record<string, JsonSchema>;

export const AUTH_BODY_SCHEMAS = {
  session: AUTH_SCHEMAS.session,
  apiKeyCreated: {
    type: 'object',
    properties: {
      key: {
        type: 'string',
        description: 'The key, shown this once: send it as `Authorization: Bearer <key>`.',
      },
      apiKey: AUTH_SCHEMAS.apiKey,
    },
    required: ['key', 'apiKey'],
    additionalProperties: false,
  },
  apiKeyList: {
    type: 'object',
    properties: {
      data: { type: 'array', items: AUTH_SCHEMAS.apiKey },
      page: schemaRef(COMMON_SCHEMAS.pageInfo),
    },
    required: ['data', 'page'],
    additionalProperties: false,
  },
} as const satisfies Record<string, JsonSchema>;

const JSON_BODY = ['application/json'];

function ok(description: string, schema: JsonSchema, headers: ResponseSpec['headers'] = []): ResponseSpec {
  return { description, schema, headers: [...COMMON_RESPONSE_HEADERS, ...headers] };
}

function noContent(description: string): ResponseSpec {
  return { description, headers: [...COMMON_RESPONSE_HEADERS] };
}

interface RouteSpec {
  readonly id: string;
  readonly method: OperationDraft['method'];
  readonly path: string;
  readonly access: AccessRule;
  readonly summary: string;
  readonly description: string;
  readonly body?: { schema: JsonSchema; required: boolean };
  readonly success: Record<string, ResponseSpec>;
  /** Error statuses besides the common ones, with their codes. */
  readonly errors?: Partial<Record<'401' | '403' | '404' | '409' | '422', readonly ErrorCode[]>>;
  readonly pathParams?: OperationDraft['pathParams'];
  readonly queryParams?: OperationDraft['queryParams'];
  readonly reviewIgnores?: Record<string, string>;
}

type AuthDraft = OperationDraft & { readonly reviewIgnores?: Readonly<Record<string, string>> };

function draft(spec: RouteSpec): AuthDraft {
  const responses: Record<string, ResponseSpec> = { ...spec.success };
  const common = errorResponses({
    access: [spec.access],
    notFound: false,
    conflicts: [],
    precondition: false,
    body: spec.body !== undefined,
    idempotent: false,
  });
  const extra = spec.errors ?? {};
  for (const [status, response] of Object.entries(common)) {
    const codes = extra[status as keyof typeof extra];
    responses[status] =
      codes && response.errorCodes
        ? errorResponse(status as '401', [...new Set([...response.errorCodes, ...codes])])
        : response;
  }
  for (const [status, codes] of Object.entries(extra)) {
    if (!responses[status]) responses[status] = errorResponse(status as '401', codes);
  }
  const ordered: Record<string, ResponseSpec> = {};
  for (const status of Object.keys(responses).sort()) ordered[status] = responses[status]!;
  return {
    id: spec.id,
    // The platform serves these itself, like the operations endpoints; they are not resources.
    kind: 'service',
    method: spec.method,
    path: spec.path,
    access: spec.access,
    tag: AUTH_TAG,
    summary: spec.summary,
    description: spec.description,
    pathParams: spec.pathParams ?? [],
    queryParams: spec.queryParams ?? [],
    filters: [],
    sortable: [],
    headers: [],
    ...(spec.reviewIgnores ? { reviewIgnores: spec.reviewIgnores } : {}),
    ...(spec.body ? { body: { ...spec.body, contentTypes: JSON_BODY } } : {}),
    responses: ordered,
  };
}

const ANY: AccessRule = { kind: 'any' };
const SIGNED_IN: AccessRule = { kind: 'authenticated' };

/** Who creates accounts under `signup: admin` and sends invitations: `admin` when declared. */
export function accountAdminAccess(model: Model): AccessRule {
  return model.auth.roles.includes('admin') ? { kind: 'roles', roles: ['admin'] } : SIGNED_IN;
}

const SESSION_COOKIES =
  'Browsers also get the tokens as `httpOnly`, `Secure`, `SameSite` cookies (`architect_session`, `architect_refresh`) and a readable `architect_csrf` cookie to echo in `X-CSRF-Token`.';

/**
 * The identity operations of a model, with paths relative to the base path.
 *
 * @example
 * authOperations(model).map((op) => `${op.method} ${op.path}`); // ['POST /auth/signup', 'POST /auth/login', ...]
 */
export function authOperations(model: Model): AuthDraft[] {
  const methods = new Set(model.auth.methods);
  if (methods.size === 0) return [];
  const passwords = methods.has('password');
  const drafts: AuthDraft[] = [];
  const session = ok(`Signed in. ${SESSION_COOKIES}`, AUTH_BODY_SCHEMAS.session);
  if (passwords) {
    const policy = model.auth.signup;
    const signupAccess = policy === 'admin' ? accountAdminAccess(model) : ANY;
    const policyText = {
      open: 'Anyone may sign up; the account gets `auth.default_roles` and a session.',
      invite:
        'Sign-up needs an invitation token (`POST /auth/invitations`); the account gets the invited roles and a session.',
      admin: 'Only an admin creates accounts (with `roles`); the answer is the new account, not a session.',
    }[policy];
    drafts.push(
      draft({
        id: 'authSignUp',
        method: 'POST',
        path: '/auth/signup',
        access: signupAccess,
        summary: 'Create an account',
        description: `${policyText} A verification message goes to the address. Rate limited per IP.`,
        body: { schema: AUTH_SCHEMAS.signUp, required: true },
        success: {
          '201':
            policy === 'admin'
              ? ok('The new account.', AUTH_SCHEMAS.user)
              : ok(`The account and its session. ${SESSION_COOKIES}`, AUTH_BODY_SCHEMAS.session, [
                  'Location',
                ]),
        },
        ...(policy === 'admin'
          ? {
              reviewIgnores: {
                'architect/created-has-location':
                  'the identity routes have no URL per account; the account row of `auth.users`, when declared, is a resource of its own',
              },
            }
          : {}),
        errors: {
          '403': ['SIGNUP_CLOSED', 'FORBIDDEN'],
          '409': ['UNIQUE_VIOLATION'],
          '422': ['INVALID_TOKEN'],
        },
      }),
      draft({
        id: 'authLogIn',
        method: 'POST',
        path: '/auth/login',
        access: ANY,
        summary: 'Sign in with email and password',
        description:
          'Answers an access token and a refresh token. Failures are slowed per IP and per account (429 after repeated failures for one address) and recorded as security events.',
        body: { schema: AUTH_SCHEMAS.login, required: true },
        success: { '200': session },
        errors: { '401': ['INVALID_CREDENTIALS'], '403': ['FORBIDDEN'] },
      }),
    );
  }
  drafts.push(
    draft({
      id: 'authRefresh',
      method: 'POST',
      path: '/auth/refresh',
      access: ANY,
      summary: 'Exchange a refresh token for new tokens',
      description:
        'The refresh token (in the body, or the refresh cookie with `X-CSRF-Token`) is used up and a new one answered. Presenting a used token revokes its whole session family: the next refresh by anyone fails.',
      body: { schema: AUTH_SCHEMAS.refresh, required: false },
      success: { '200': session },
      errors: { '401': ['UNAUTHENTICATED'], '403': ['CSRF_FAILED', 'FORBIDDEN'] },
    }),
    draft({
      id: 'authLogOut',
      method: 'POST',
      path: '/auth/logout',
      access: ANY,
      summary: 'Sign out',
      description:
        'Revokes the session family (of the access token, or of the refresh token given) and clears the cookies. Access tokens already issued stay valid until they expire.',
      body: { schema: AUTH_SCHEMAS.logout, required: false },
      success: { '204': noContent('Signed out.') },
      errors: { '403': ['CSRF_FAILED'] },
    }),
    draft({
      id: 'authGetMe',
      method: 'GET',
      path: '/auth/me',
      access: SIGNED_IN,
      summary: 'The caller',
      description: 'The account, its roles, the active tenant and every tenant membership.',
      success: { '200': ok('The caller.', AUTH_SCHEMAS.user) },
    }),
    draft({
      id: 'authGetCsrfToken',
      method: 'GET',
      path: '/auth/csrf',
      access: ANY,
      summary: 'The CSRF token of the browser session',
      description:
        'The `architect_csrf` cookie the browser sent, for a page on an allowed origin that cannot read the API host cookies and lost the token of its session answer (a reload). Only this server and allowed origins can read the answer.',
      success: { '200': ok('The token to send as `X-CSRF-Token`.', AUTH_SCHEMAS.csrf) },
      errors: { '401': ['UNAUTHENTICATED'] },
    }),
  );
  if (methods.has('api_key')) {
    drafts.push(
      draft({
        id: 'authListApiKeys',
        method: 'GET',
        path: '/auth/api-keys',
        access: SIGNED_IN,
        summary: 'List the caller API keys',
        description:
          'Every key of the caller, revoked ones included, oldest first, a page at a time; never the secret.',
        queryParams: pagingParameters(model),
        success: { '200': ok('A page of keys.', AUTH_BODY_SCHEMAS.apiKeyList) },
      }),
      draft({
        id: 'authCreateApiKey',
        method: 'POST',
        path: '/auth/api-keys',
        access: SIGNED_IN,
        summary: 'Create an API key',
        description:
          'The key is in this answer only; the server keeps its hash. It acts for the caller, in the active tenant, with the roles given (a subset of the caller roles). A key cannot create keys.',
        body: { schema: AUTH_SCHEMAS.apiKeyRequest, required: true },
        success: { '201': ok('The key, shown once.', AUTH_BODY_SCHEMAS.apiKeyCreated, ['Location']) },
        errors: { '403': ['FORBIDDEN', 'CSRF_FAILED'] },
        reviewIgnores: {
          'architect/idempotency-key-on-create':
            'a replay would have to keep the secret to show it again; a retried create makes a second key, which the list shows and DELETE revokes',
        },
      }),
      draft({
        id: 'authReadApiKey',
        method: 'GET',
        path: '/auth/api-keys/{id}',
        access: SIGNED_IN,
        summary: 'Read one of the caller API keys',
        description: 'The key record; never the secret.',
        pathParams: [{ name: 'id', description: 'The key id.', schema: uuid, column: 'id' }],
        success: { '200': ok('The key.', AUTH_SCHEMAS.apiKey) },
        errors: { '404': ['NOT_FOUND'] },
        reviewIgnores: {
          'architect/etag-on-mutable-items':
            'a key changes only by revocation, which needs no precondition; there is no conditional write to guard',
        },
      }),
      draft({
        id: 'authRevokeApiKey',
        method: 'DELETE',
        path: '/auth/api-keys/{id}',
        access: SIGNED_IN,
        summary: 'Revoke an API key',
        description: 'The key stops working at once. Revoking a revoked key succeeds.',
        pathParams: [{ name: 'id', description: 'The key id.', schema: uuid, column: 'id' }],
        success: { '204': noContent('Revoked.') },
        errors: { '403': ['CSRF_FAILED'], '404': ['NOT_FOUND'] },
      }),
    );
  }
  if (passwords) {
    drafts.push(
      draft({
        id: 'authRequestPasswordReset',
        method: 'POST',
        path: '/auth/password-reset',
        access: ANY,
        summary: 'Send a password reset message',
        description:
          'Always 202, whether or not the address has an account. The message carries a single-use token that expires in 30 minutes.',
        body: { schema: AUTH_SCHEMAS.emailRequest, required: true },
        success: { '202': ok('Accepted.', AUTH_SCHEMAS.accepted) },
      }),
      draft({
        id: 'authConfirmPasswordReset',
        method: 'POST',
        path: '/auth/password-reset/confirm',
        access: ANY,
        summary: 'Set a new password with a reset token',
        description: 'Uses the token up, sets the password and revokes every session of the account.',
        body: { schema: AUTH_SCHEMAS.passwordResetConfirm, required: true },
        success: { '204': noContent('Password changed.') },
        errors: { '422': ['INVALID_TOKEN'] },
      }),
      draft({
        id: 'authRequestEmailVerification',
        method: 'POST',
        path: '/auth/email-verification',
        access: SIGNED_IN,
        summary: 'Send a verification message to the caller',
        description: 'The message carries a single-use token that expires in two days.',
        success: { '202': ok('Accepted.', AUTH_SCHEMAS.accepted) },
        errors: { '403': ['CSRF_FAILED'] },
      }),
      draft({
        id: 'authConfirmEmailVerification',
        method: 'POST',
        path: '/auth/email-verification/confirm',
        access: ANY,
        summary: 'Confirm an address with a verification token',
        description: 'Uses the token up and marks the address verified.',
        body: { schema: AUTH_SCHEMAS.tokenConfirm, required: true },
        success: { '204': noContent('Verified.') },
        errors: { '422': ['INVALID_TOKEN'] },
      }),
    );
    if (model.auth.signup === 'invite') {
      drafts.push(
        draft({
          id: 'authCreateInvitation',
          method: 'POST',
          path: '/auth/invitations',
          access: accountAdminAccess(model),
          summary: 'Invite someone to sign up',
          description:
            'Sends a single-use invitation token (valid seven days) to the address; signing up with it gives the roles named here, in the caller active tenant.',
          body: { schema: AUTH_SCHEMAS.invitationRequest, required: true },
          success: { '202': ok('Sent.', AUTH_SCHEMAS.accepted) },
          errors: { '403': ['CSRF_FAILED'] },
        }),
      );
    }
  }
  return model.api.jsonCase === 'snake' ? drafts.map(snakeDraft) : drafts;
}

/** `refreshToken` -> `refresh_token`: the identity bodies follow `api.json_case` like the resources. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function snakeSchema(schema: JsonSchema): JsonSchema {
  const copy: JsonSchema = { ...schema };
  if (schema.properties) {
    const properties: Record<string, JsonSchema> = {};
    for (const [name, value] of Object.entries(schema.properties as Record<string, JsonSchema>)) {
      properties[snakeCase(name)] = snakeSchema(value);
    }
    copy.properties = properties;
  }
  if (Array.isArray(schema.required)) copy.required = (schema.required as string[]).map(snakeCase);
  if (schema.items && typeof schema.items === 'object') copy.items = snakeSchema(schema.items as JsonSchema);
  return copy;
}

function snakeDraft(draft: AuthDraft): AuthDraft {
  const responses: Record<string, ResponseSpec> = {};
  for (const [status, response] of Object.entries(draft.responses)) {
    responses[status] =
      response.schema && !status.startsWith('4') && !status.startsWith('5')
        ? { ...response, schema: snakeSchema(response.schema) }
        : response;
  }
  return {
    ...draft,
    ...(draft.body ? { body: { ...draft.body, schema: snakeSchema(draft.body.schema) } } : {}),
    responses,
  };
}
