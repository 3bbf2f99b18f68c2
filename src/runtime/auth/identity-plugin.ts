/**
 * The identity layer as one Fastify plugin for `createApp(model, { auth: [...] })`:
 *
 * - an `onRequest` hook on every route under the API base path that sets `request.principal`
 *   (Bearer JWT or API key, else the session cookie), draws on the per-IP and per-principal
 *   rate-limit budgets (also for requests whose credentials fail, so guessing tokens is slowed
 *   too), and checks CSRF on cookie-authenticated writes;
 * - the routes of `buildAuthOperations(model)` (sign-up, login, refresh, logout, me, API keys,
 *   reset, verification, invitations).
 *
 * @example
 * const identity = await createIdentity(model, { driver });
 * const app = await createApp(model, { driver, auth: [identity.plugin] });
 * await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
 */
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Model } from '../../blueprint/model.js';
import { snakeCase } from '../../design/api/auth-operations.js';
import { buildAuthOperations } from '../../design/api/operations.js';
import type { Driver } from '../db/driver.js';
import { createRateLimits, type RateLimits } from '../security/rate-limits.js';
import {
  confirmPasswordResetHandler,
  confirmVerificationHandler,
  createApiKeyHandler,
  createInvitationHandler,
  listApiKeysHandler,
  readApiKeyHandler,
  requestPasswordResetHandler,
  requestVerificationHandler,
  revokeApiKeyHandler,
} from './account-routes.js';
import { type AuthRouteConfig, authenticate } from './authenticate.js';
import { checkCsrf, isStateChanging } from './cookies.js';
import { type IdentityContext, tokenSettings } from './identity-context.js';
import { loadSigningKeys, type SigningKeys } from './keys.js';
import { createDevMailbox, type Mailer } from './mailer.js';
import type { AuthPrincipal } from './principal.js';
import { createSessionCheck } from './session-check.js';
import {
  type AuthHandler,
  csrfTokenHandler,
  loginHandler,
  logoutHandler,
  meHandler,
  refreshHandler,
  signUpHandler,
} from './session-routes.js';

type HandlerFactory = (context: IdentityContext) => AuthHandler;

/** One handler per identity operation id; an operation without one fails at start-up. */
const HANDLERS: Record<string, HandlerFactory> = {
  authSignUp: signUpHandler,
  authLogIn: loginHandler,
  authRefresh: refreshHandler,
  authLogOut: logoutHandler,
  authGetMe: meHandler,
  authGetCsrfToken: csrfTokenHandler,
  authCreateApiKey: createApiKeyHandler,
  authListApiKeys: listApiKeysHandler,
  authReadApiKey: readApiKeyHandler,
  authRevokeApiKey: revokeApiKeyHandler,
  authRequestPasswordReset: requestPasswordResetHandler,
  authConfirmPasswordReset: confirmPasswordResetHandler,
  authRequestEmailVerification: requestVerificationHandler,
  authConfirmEmailVerification: confirmVerificationHandler,
  authCreateInvitation: createInvitationHandler,
};

/** Routes where a stale session cookie means "anonymous", not 401: they replace or need none. */
const IGNORES_STALE_SESSION = new Set([
  'authSignUp',
  'authLogIn',
  'authRefresh',
  'authLogOut',
  'authGetCsrfToken',
  'authRequestPasswordReset',
  'authConfirmPasswordReset',
  'authConfirmEmailVerification',
]);

/** Deep key renaming, leaving alone the values whose keys are already in the API's case. */
function renameKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => renameKeys(item, rename));
  if (value === null || typeof value !== 'object') return value;
  const renamed: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    renamed[rename(key)] = KEEP_CASE.has(key) ? inner : renameKeys(inner, rename);
  }
  return renamed;
}

/** `profile` holds the account row's properties and `page` the shared PageInfo: both cased already. */
const KEEP_CASE = new Set(['profile', 'page']);
const camelCase = (key: string) => key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** With `json_case: snake` the handlers still read and answer camelCase: rename at the edge. */
function withJsonCase(model: Model, handler: AuthHandler): AuthHandler {
  if (model.api.jsonCase !== 'snake') return handler;
  return async (request, reply) => {
    if (request.body && typeof request.body === 'object') request.body = renameKeys(request.body, camelCase);
    const answer = await handler(request, reply);
    return answer === reply ? answer : renameKeys(answer, snakeCase);
  };
}

export interface IdentityOptions {
  readonly driver: Driver;
  /** Signing keys; default: `loadSigningKeys({ dataDir: keysDir })`. */
  readonly keys?: SigningKeys;
  /** Where development keys are kept (default: in memory). */
  readonly keysDir?: string;
  /** Rate limits; default: `createRateLimits(model, { redisUrl })`. */
  readonly limits?: RateLimits;
  /** Share rate-limit counters through Redis. */
  readonly redisUrl?: string;
  /** Key prefix in Redis, so that separate deployments sharing one Redis keep separate budgets. */
  readonly redisPrefix?: string;
  /** Default: a development mailbox (in memory, or in `mailboxDir`). */
  readonly mailer?: Mailer;
  readonly mailboxDir?: string;
  /** `Secure` cookies (default true). */
  readonly secureCookies?: boolean;
  /** Origins besides this server that may send cookie-authenticated writes (the CORS allow-list). */
  readonly allowedOrigins?: readonly string[];
  /** Cookies a page on another site can send: `SameSite=None` (needs `secureCookies`). */
  readonly crossSiteCookies?: boolean;
}

export interface Identity {
  readonly plugin: FastifyPluginAsync;
  readonly context: IdentityContext;
}

function isUnderBase(url: string, basePath: string): boolean {
  return url === basePath || url.startsWith(`${basePath}/`) || url.startsWith(`${basePath}?`);
}

export async function createIdentity(model: Model, options: IdentityOptions): Promise<Identity> {
  const secure = options.secureCookies ?? true;
  if (options.crossSiteCookies && !secure) {
    throw new Error('Cross-site cookies must be Secure: browsers refuse SameSite=None without it');
  }
  const context: IdentityContext = {
    model,
    driver: options.driver,
    keys: options.keys ?? (await loadSigningKeys({ dataDir: options.keysDir })),
    tokens: tokenSettings(model),
    limits:
      options.limits ??
      createRateLimits(model, { redisUrl: options.redisUrl, redisPrefix: options.redisPrefix }),
    mailer: options.mailer ?? createDevMailbox(options.mailboxDir),
    cookies: {
      secure,
      refreshPath: `${model.api.basePath}/auth`,
      crossSite: options.crossSiteCookies === true,
    },
    acceptsApiKeys: model.auth.methods.includes('api_key'),
    allowedOrigins: options.allowedOrigins ?? [],
    sessions: createSessionCheck(options.driver),
  };
  const basePath = model.api.basePath;
  const operations = buildAuthOperations(model);
  for (const operation of operations) {
    if (!HANDLERS[operation.id]) throw new Error(`No handler for identity operation ${operation.id}`);
  }

  const plugin = fp(
    async (app: FastifyInstance) => {
      await app.register(cookie);
      app.addHook('onRequest', async (request, reply) => {
        if (!isUnderBase(request.url, basePath)) return;
        let failure: unknown;
        try {
          request.principal = await authenticate(context, request);
        } catch (error) {
          failure = error;
        }
        await context.limits.limitRequest(request, reply);
        if (failure) throw failure;
        if (request.principal?.method === 'cookie' && isStateChanging(request.method)) {
          checkCsrf(request, context.allowedOrigins, (request.principal as AuthPrincipal).csrfHash);
        }
      });
      app.addHook('onClose', async () => {
        if (!options.limits) await context.limits.close();
      });
      for (const operation of operations) {
        const config: AuthRouteConfig = { ignoreStaleSession: IGNORES_STALE_SESSION.has(operation.id) };
        app.route({
          method: operation.method,
          url: operation.fastifyPath,
          config,
          // An optional body may be left out: validate it as `{}`.
          ...(operation.body && !operation.body.required
            ? {
                preValidation: async (request: FastifyRequest) => {
                  request.body ??= {};
                },
              }
            : {}),
          schema: {
            ...(operation.body ? { body: operation.body.schema } : {}),
            ...(operation.params ? { params: operation.params } : {}),
            ...(operation.query ? { querystring: operation.query } : {}),
          },
          handler: withJsonCase(model, HANDLERS[operation.id]!(context)),
        });
      }
    },
    { name: 'architect-identity', fastify: '5.x' },
  );
  return { plugin, context };
}
