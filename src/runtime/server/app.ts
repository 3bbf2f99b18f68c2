/**
 * The app factory: a Fastify instance serving one blueprint, with each cross-cutting concern a
 * plugin registered once, in this order:
 *
 * 1. request id (Fastify `genReqId`; echoed as `X-Request-Id`) and structured logs carrying it;
 * 2. errors: the one error handler and the 404 envelope;
 * 3. JSON bodies (depth limit, merge-patch), body size limit (Fastify `bodyLimit`), deadline;
 * 4. security headers, CORS allow-list, compression;
 * 5. metrics; operations endpoints (`/health`, `/ready`, `/metrics`, `/openapi.json`, `/docs`);
 * 6. **authentication hook point** — plugins passed in `options.auth` run here, before any
 *    route: they set `request.principal` (null when anonymous) in an `onRequest` hook and may
 *    reject with `UNAUTHENTICATED`/`FORBIDDEN`/`RATE_LIMITED`;
 * 7. **authorization** (on by default; `authorization: false` turns it off): each resource
 *    route's access rule (401/403), field rules, and the row rules (tenant, owner) compiled into
 *    every statement; on a PostgreSQL server with tenancy, the RLS session (see
 *    `src/runtime/auth/authorize.ts`);
 * 8. the resource routes under the API base path (`options.routes`).
 *
 * `app.model` and `app.driver` are decorations every route plugin can read.
 *
 * @example
 * const driver = await createDriver({ memory: true });
 * await migrateDatabase(driver, model);
 * const app = await createApp(model, { driver, logLevel: false });
 * const response = await app.inject({ method: 'GET', url: '/health' });
 */
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Model } from '../../blueprint/model.js';
import { emitOpenApi } from '../../design/openapi/index.js';
import { ArchitectError } from '../../errors.js';
import { createAuthorization } from '../auth/authorize.js';
import type { Driver } from '../db/driver.js';
import { type LogLevel, loggerOptions, RequestLog } from '../observability/logger.js';
import { metricsPlugin } from '../observability/metrics-plugin.js';
import { registerResourceRoutes } from '../resources/index.js';
import { docsPlugin } from './docs-plugin.js';
import { errorsPlugin } from './errors-plugin.js';
import { jsonBodyPlugin } from './json-body-plugin.js';
import { operationsPlugin } from './operations-plugin.js';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id.js';
import { type SecurityOptions, securityPlugin } from './security-plugin.js';
import { timeoutPlugin } from './timeout-plugin.js';

/** Default largest request body: room for a bulk request of several thousand items. */
export const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024;

/** The caller, as authentication plugins set it on `request.principal`. */
export interface Principal {
  /** A stable id: the user id or the API key id. Recorded as the actor in audit and history. */
  readonly id: string;
  readonly roles: readonly string[];
  /** Tenant (organization) id for multi-tenant blueprints. */
  readonly tenantId?: string;
  /** How the caller authenticated. */
  readonly method?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The normalized model this app serves. */
    readonly model: Model;
    /** The database driver. */
    readonly driver: Driver;
  }
  interface FastifyRequest {
    /** The authenticated caller; null when anonymous (or before authentication runs). */
    principal: Principal | null;
  }
}

export interface AppOptions extends SecurityOptions {
  readonly driver: Driver;
  /**
   * The tenant wall's own login (a PostgreSQL server with tenancy): a driver that logs in as
   * `architect_app` or a member of it, checked with `checkWallLogin`. Tenant statements run on it
   * with only the tenant set. Without it they switch to the role on `driver`'s connections.
   * Whoever opened it closes it.
   */
  readonly wallDriver?: Driver;
  /** Log level, or `false` for no logs (default `info`). */
  readonly logLevel?: LogLevel | false;
  /** Where JSON log lines go (default stdout). */
  readonly logStream?: { write(line: string): void };
  /** Largest accepted request body in bytes (default 10 MiB). */
  readonly bodyLimit?: number;
  /** Per-request deadline in ms; 0 disables (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** Deepest accepted JSON nesting (default 32). */
  readonly maxJsonDepth?: number;
  /** Serve `/docs` (default true). */
  readonly docs?: boolean;
  /** Builds the OpenAPI document for `/openapi.json` (default: the design emitter). */
  readonly openApi?: () => unknown | Promise<unknown>;
  /**
   * Authentication and authorization plugins, registered before every route, unencapsulated
   * (wrap them with `fastify-plugin`) so their hooks apply to the whole app.
   */
  readonly auth?: readonly FastifyPluginAsync[];
  /**
   * Enforce the blueprint's access, field and row rules (default true). Turning it off serves
   * every route to every caller: for benchmarks' references and tests of other concerns only.
   */
  readonly authorization?: boolean;
  /** Registers the API routes; default: the resource routes built from the blueprint. */
  readonly routes?: (app: FastifyInstance) => Promise<void>;
  /** `/metrics` answers only `Authorization: Bearer <metricsToken>` when set (default: open). */
  readonly metricsToken?: string;
  /**
   * Take the client address (`request.ip`, which per-IP rate limits key on) and protocol from
   * `X-Forwarded-*` set by proxies in front: `true` (any), a hop count, or the proxies' addresses
   * and CIDR ranges (`loopback`, `10.0.0.0/8`). Default false: the socket's peer.
   */
  readonly trustProxy?: boolean | number | string | readonly string[];
  /**
   * Reads by id that would wait for a connection go to the database as one statement (default
   * true; see resources/point-reads.ts).
   */
  readonly batchReads?: boolean;
  /**
   * Creates beyond two in flight for an entity go to the database as one INSERT (default true;
   * see resources/write-batches.ts).
   */
  readonly batchCreates?: boolean;
  /** Updates beyond two in flight likewise, as one UPDATE (default true). */
  readonly batchUpdates?: boolean;
}

/**
 * The design output as this server serves it: its one server is the server itself (`/`, which
 * OpenAPI resolves against where the document was fetched), so the docs page's "Try it out"
 * calls this host and port, or the proxy in front, not the design's `http://localhost:3000`.
 */
function servedDocument(document: ReturnType<typeof emitOpenApi>): ReturnType<typeof emitOpenApi> {
  return { ...document, servers: [{ url: '/', description: 'this server' }] };
}

/**
 * Fastify's own serializer compiler (fast-json-stringify), once per schema text: the routes'
 * response schemas are self-contained copies, and many are the same text (an entity's
 * representation answers its create, read, update and transitions), so each would otherwise be
 * compiled again for every route and status. Serializers keep no state between calls.
 */
const serializersOncePerSchema: SerializerSelector.SerializerFactory = (externalSchemas, options) => {
  const compile = SerializerSelector()(externalSchemas, options);
  const compiled = new Map<string, SerializerSelector.Serializer>();
  return (route) => {
    const text = JSON.stringify(route.schema);
    let serialize = compiled.get(text);
    if (!serialize) {
      serialize = compile(route);
      compiled.set(text, serialize);
    }
    return serialize;
  };
};

/**
 * Build the app for a model. The database must already hold the blueprint's schema
 * (`migrateDatabase`); the app does not migrate, it reports readiness.
 */
export async function createApp(model: Model, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(options.logLevel ?? 'info', options.logStream),
    genReqId: requestIdFor,
    logController: new RequestLog({ requestIdLogLabel: 'requestId' }),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // A hop count is supported at run time (lib/request.js), though the typings leave it out.
    trustProxy: (options.trustProxy ?? false) as boolean | string | string[],
    // Routes without their own validator: report every failing field, never drop unknown ones
    // silently (the same policy as the resource routes' validator in src/design/api).
    ajv: { customOptions: { allErrors: true, removeAdditional: false } },
    // Query strings like `status[in]=a,b` stay flat keys; the list routes parse them.
    routerOptions: { ignoreTrailingSlash: true },
    // Refused by the app's own hook instead, with the error envelope (see buildApp).
    return503OnClosing: false,
    schemaController: { compilersFactory: { buildSerializer: serializersOncePerSchema } },
  });
  try {
    await buildApp(app, model, options);
  } catch (error) {
    // Plugins registered so far may hold connections (Redis, timers): close them, or the process
    // that failed to start would never exit.
    await app.close().catch(() => {});
    throw error;
  }
  return app;
}

/** The answer to a request read after shutdown began. */
function shuttingDown(): ArchitectError {
  return new ArchitectError(
    'SERVICE_UNAVAILABLE',
    { detail: 'The server is shutting down' },
    { headers: { 'retry-after': '1' } },
  );
}

async function buildApp(app: FastifyInstance, model: Model, options: AppOptions): Promise<void> {
  app.decorate('model', model);
  app.decorate('driver', options.driver);
  app.decorateRequest('principal', null);
  // A request read while the app closes (one a client pipelined behind a request in flight) is
  // refused, as Fastify's `return503OnClosing` would (not run: a write whose answer could not
  // reach the client would be done all the same), but in the API's words: the error envelope,
  // its request id, Retry-After, and the connection closed after it.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    if (closing) {
      reply.header('connection', 'close');
      done(shuttingDown());
      return;
    }
    done();
  });

  await app.register(errorsPlugin, { model });
  await app.register(jsonBodyPlugin, { maxDepth: options.maxJsonDepth });
  await app.register(timeoutPlugin, { timeoutMs: options.requestTimeoutMs });
  await app.register(securityPlugin, {
    corsOrigins: options.corsOrigins,
    corsCredentials: options.corsCredentials,
    compression: options.compression,
  });
  await app.register(metricsPlugin, {
    driver: options.driver,
    wallDriver: options.wallDriver,
    token: options.metricsToken,
  });
  await app.register(operationsPlugin, {
    model,
    driver: options.driver,
    wallDriver: options.wallDriver,
    openApi: options.openApi ?? (() => servedDocument(emitOpenApi(model))),
  });
  if (options.docs !== false) await app.register(docsPlugin, { model });

  for (const plugin of options.auth ?? []) await app.register(plugin);

  const authorization =
    options.authorization === false
      ? undefined
      : createAuthorization(model, options.driver, options.wallDriver);
  if (authorization) await app.register(authorization.plugin);

  if (options.routes) await options.routes(app);
  else
    await registerResourceRoutes(app, {
      model,
      driver: options.driver,
      batchReads: options.batchReads,
      batchCreates: options.batchCreates,
      batchUpdates: options.batchUpdates,
      ...authorization?.resourceOptions,
    });
  await app.ready();
}
