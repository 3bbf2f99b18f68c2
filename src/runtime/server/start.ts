/**
 * Start serving a blueprint: open the database (a server when a URL is given, else embedded
 * PostgreSQL in a data folder beside the blueprint), bring its schema up to date, build the app
 * and listen. `architect serve` is this function plus signal handling.
 */
import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadBlueprint } from '../../blueprint/index.js';
import type { Model } from '../../blueprint/model.js';
import { ArchitectError } from '../../errors.js';
import { bootstrapAdmin } from '../auth/bootstrap.js';
import { createIdentity, type Identity } from '../auth/identity-plugin.js';
import { checkWallLogin } from '../auth/wall-login.js';
import { readDatabaseError } from '../db/database-error.js';
import { createDriver, type Driver } from '../db/driver.js';
import { type MigrationResult, migrateDatabase } from '../migrate/migrate.js';
import { type AppOptions, createApp } from './app.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './timeout-plugin.js';

/** The data folder used when none is given: `.architect/data` beside the blueprint file. */
export function defaultDataDir(model: Model): string {
  return join(dirname(resolve(model.source)), '.architect', 'data');
}

export interface StartOptions extends Omit<AppOptions, 'driver' | 'wallDriver'> {
  /** A blueprint file or a folder holding `blueprint.yaml`, or a model already loaded. */
  readonly blueprint: string | Model;
  /** Default 3000. `0` picks a free port. */
  readonly port?: number;
  /** Default `127.0.0.1`; `0.0.0.0` to accept connections from other machines (containers). */
  readonly host?: string;
  /** A PostgreSQL server; when absent, embedded PostgreSQL. */
  readonly databaseUrl?: string;
  /**
   * The tenant wall's own login on that server (`APP_DATABASE_URL`): `architect_app`, or a role
   * with its privileges that is not a superuser, has no BYPASSRLS and owns no tables. Tenant
   * statements run on it; without it they switch role on the owner's connections. Used with
   * `tenancy` only.
   */
  readonly appDatabaseUrl?: string;
  /** Embedded PostgreSQL data folder (default `.architect/data` beside the blueprint). */
  readonly dataDir?: string;
  /** Embedded PostgreSQL in memory: nothing is kept. */
  readonly memory?: boolean;
  /**
   * A database already open to serve, instead of opening one from the options above: the
   * caller's, left open when the server closes (`serve --watch --memory` keeps its rows across
   * restarts this way).
   */
  readonly database?: Driver;
  /** Connections to the PostgreSQL server (default 10). */
  readonly poolSize?: number;
  /** Connections of the tenant wall's own login (default `poolSize`). */
  readonly appPoolSize?: number;
  /**
   * The identity layer (`src/runtime/auth`): principal, CSRF, rate limits and the `/auth`
   * routes; `false` serves without it (default on when `auth.methods` is not empty).
   */
  readonly identity?: boolean;
  /** Share rate-limit counters through Redis (default `REDIS_URL` from the environment). */
  readonly redisUrl?: string;
  /**
   * Session cookies a page on another site can send (`SameSite=None`), with `corsCredentials`.
   * Not needed for another origin on the same site (`app.example.com` to `api.example.com`).
   */
  readonly crossSiteCookies?: boolean;
}

/**
 * Where the development key pair and mailbox live: `.architect` beside the blueprint, whatever
 * the database; nothing on disk for an in-memory run.
 */
function stateDir(options: StartOptions, model: Model): string | undefined {
  if (options.memory) return undefined;
  return join(dirname(resolve(model.source)), '.architect');
}

async function identityFor(
  options: StartOptions,
  model: Model,
  driver: Driver,
): Promise<Identity | undefined> {
  if (options.identity === false || model.auth.methods.length === 0) return undefined;
  const state = stateDir(options, model);
  return createIdentity(model, {
    driver,
    keysDir: state,
    mailboxDir: state ? join(state, 'mailbox') : undefined,
    redisUrl: options.redisUrl ?? (process.env.REDIS_URL || undefined),
    // One budget per API: instances of one blueprint share it, other APIs on the same Redis do not.
    redisPrefix: `architect:rl:${model.name}`,
    allowedOrigins: options.corsOrigins,
    crossSiteCookies: options.crossSiteCookies,
  });
}

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly driver: Driver;
  readonly model: Model;
  /** `http://127.0.0.1:3000` */
  readonly origin: string;
  /** The API base: `http://127.0.0.1:3000/api/v1` */
  readonly apiUrl: string;
  readonly docsUrl: string;
  /** Where the data lives: the redacted server URL, the data folder, or `memory`. */
  readonly dataLocation: string;
  /** Where the tenant wall logs in (`appDatabaseUrl`, password hidden), when it has its own login. */
  readonly wallLocation?: string;
  /** The tenant wall's own login, when it has one. */
  readonly wallDriver?: Driver;
  readonly migration: MigrationResult;
  /**
   * Stop accepting requests, let in-flight ones finish, then close the database. With
   * `delayMs`, first answer `/ready` with 503 and go on serving for that long, so a load
   * balancer that polls it stops sending requests before the listener closes.
   */
  close(options?: { delayMs?: number }): Promise<void>;
}

async function openDatabase(options: StartOptions, model: Model): Promise<Driver> {
  const dataDir =
    options.databaseUrl || options.memory ? undefined : (options.dataDir ?? defaultDataDir(model));
  try {
    return await createDriver({
      databaseUrl: options.databaseUrl,
      dataDir,
      memory: options.memory,
      poolSize: options.poolSize,
      // No statement outlives the request it serves: once the client has its 503 TIMEOUT, the
      // server cancels the work (a write waiting on a lock would otherwise land after the
      // answer said it did not), and the connection goes back to the pool.
      statementTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    });
  } catch (error) {
    if (error instanceof ArchitectError) throw error;
    const location = options.databaseUrl ? 'named by the database URL' : (dataDir ?? 'in memory');
    const detail =
      readDatabaseError(error)?.message ?? (error instanceof Error ? error.message : String(error));
    throw new ArchitectError('DATABASE_UNAVAILABLE', { location, detail }, { cause: error });
  }
}

/** The tenant wall's login (`appDatabaseUrl`), checked; none without a server and tenancy. */
async function openWallDatabase(
  options: StartOptions,
  model: Model,
  driver: Driver,
): Promise<Driver | undefined> {
  if (!options.appDatabaseUrl || driver.kind !== 'postgres' || model.tenancy.kind !== 'organization')
    return undefined;
  const wall = await openDatabase(
    { ...options, databaseUrl: options.appDatabaseUrl, poolSize: options.appPoolSize ?? options.poolSize },
    model,
  );
  try {
    await checkWallLogin(wall);
    return wall;
  } catch (error) {
    await wall.close().catch(() => {});
    throw error;
  }
}

/**
 * Drain support for keep-alive clients. `server.close()` closes the connections that are idle
 * at that moment, but a connection whose request is still running stays open after its
 * response (Fastify keeps idle sockets 72 s), so a load balancer or `fetch` holding it would
 * keep the process alive long after the last request. Once draining starts, each response
 * still in flight is sent with `Connection: close`, so Node closes its connection after it.
 * Connections are tracked, not requests: a keep-alive connection carries many requests and
 * costs one entry, and a request costs nothing.
 */
function trackConnections(server: Server): { drain(): void } {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return {
    drain() {
      for (const socket of sockets) {
        // The response the connection is serving now (Node detaches it when it is finished).
        const response = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
        if (response && !response.headersSent) response.setHeader('connection', 'close');
      }
    },
  };
}

/** What a refused listen means for the person starting the server, by its errno. */
const LISTEN_ERRORS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'another process listens there; stop it, or choose another --port (0 takes any free one)',
  EACCES:
    'this user may not listen on that port (ports below 1024 need privileges); choose --port 3000 or above',
  EADDRNOTAVAIL: 'the host is not an address of this machine; use 127.0.0.1, 0.0.0.0 or one of its own',
};

async function listen(app: FastifyInstance, host: string, port: number): Promise<void> {
  try {
    await app.listen({ port, host });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const detail = LISTEN_ERRORS[code] ?? (error instanceof Error ? error.message : String(error));
    const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    throw new ArchitectError('LISTEN_FAILED', { address, detail }, { cause: error });
  }
}

/**
 * Load, migrate, build and listen. Throws `BlueprintError` for a bad blueprint,
 * `DATABASE_UNAVAILABLE`, `SCHEMA_DRIFT` or `MIGRATION_FAILED` before listening, and
 * `LISTEN_FAILED` when the address cannot be taken.
 *
 * @example
 * const server = await startServer({ blueprint: 'examples/inventory', port: 0, memory: true });
 * console.log(server.apiUrl);
 * await server.close();
 */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  if (options.crossSiteCookies && !options.corsCredentials) {
    throw new Error('Cross-site cookies are for CORS with credentials: set corsCredentials too');
  }
  const model =
    typeof options.blueprint === 'string' ? await loadBlueprint(options.blueprint) : options.blueprint;
  const driver = options.database ?? (await openDatabase(options, model));
  // The caller's database stays open when the server closes.
  const closeDatabase = options.database ? async () => {} : () => driver.close();
  let app: FastifyInstance | undefined;
  let wallDriver: Driver | undefined;
  try {
    const migration = await migrateDatabase(driver, model);
    // After migrating: the app role and its grants exist by then.
    wallDriver = await openWallDatabase(options, model, driver);
    const identity = await identityFor(options, model, driver);
    app = await createApp(model, {
      ...options,
      driver,
      wallDriver,
      auth: [...(identity ? [identity.plugin] : []), ...(options.auth ?? [])],
    });
    if (identity) {
      const admin = await bootstrapAdmin(driver, model);
      app.log.info(
        {
          keys: identity.context.keys.source,
          rateLimits: options.redisUrl || process.env.REDIS_URL ? 'redis' : 'memory',
          admin: admin.status === 'not configured' ? admin.status : `${admin.email} (${admin.status})`,
        },
        'identity ready',
      );
    }
    app.log.info(
      { status: migration.status, checksum: migration.checksum, changes: migration.differences.length },
      migration.status === 'applied' ? 'schema applied' : 'schema current',
    );
    const host = options.host ?? '127.0.0.1';
    const requests = trackConnections(app.server);
    await listen(app, host, options.port ?? 3000);
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : (options.port ?? 3000);
    const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    const running = app;
    return {
      app,
      driver,
      model,
      origin,
      apiUrl: `${origin}${model.api.basePath}`,
      docsUrl: `${origin}/docs`,
      dataLocation: driver.location,
      ...(wallDriver ? { wallLocation: wallDriver.location, wallDriver } : {}),
      migration,
      async close({ delayMs = 0 } = {}) {
        if (delayMs > 0) {
          running.stopping();
          await new Promise((done) => setTimeout(done, delayMs));
        }
        try {
          requests.drain();
          await running.close();
        } finally {
          await wallDriver?.close();
          await closeDatabase();
        }
      },
    };
  } catch (error) {
    await app?.close().catch(() => {});
    await wallDriver?.close().catch(() => {});
    await closeDatabase().catch(() => {});
    throw error;
  }
}
