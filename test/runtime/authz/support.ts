/**
 * The SaaS example served with authorization on, on PGlite or a throwaway PostgreSQL database,
 * and callers that act as a given principal. Until a real authentication plugin is wired by the
 * app, a test-only plugin sets `request.principal` from `x-test-*` headers (the hook point is
 * the same one the real plugin uses).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { loadBlueprint, type Model } from '../../../src/blueprint/index.js';
import { APP_ROLE } from '../../../src/design/sql/tenancy-policies.js';
import type { AuthPrincipal } from '../../../src/runtime/auth/principal.js';
import { checkWallLogin } from '../../../src/runtime/auth/wall-login.js';
import {
  createDriver,
  type Driver,
  type Transaction,
  type TransactionOptions,
} from '../../../src/runtime/db/index.js';
import { migrateDatabase } from '../../../src/runtime/migrate/index.js';
import { createApp } from '../../../src/runtime/server/index.js';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../../support/postgres.js';

/**
 * `postgres-wall-login`: the server with the tenant wall on its own login (`architect_app`,
 * `APP_DATABASE_URL`) instead of `SET LOCAL ROLE` on the owner's connections.
 */
export type DriverKind = 'pglite' | 'postgres' | 'postgres-wall-login';

/** The same database as `url`, logged in as the app role (the test server trusts local logins). */
export async function openWallLogin(owner: Driver, url: string): Promise<Driver> {
  await owner.exec(`ALTER ROLE ${APP_ROLE} LOGIN`);
  const login = new URL(url);
  login.username = APP_ROLE;
  login.password = '';
  const wall = await createDriver({ databaseUrl: login.toString(), poolSize: 4 });
  try {
    await checkWallLogin(wall);
  } catch (error) {
    await wall.close();
    throw error;
  }
  return wall;
}

export interface Caller {
  readonly userId: string;
  readonly roles: readonly string[];
  readonly tenantId?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
export interface Reply<T = any> {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: T;
}

/** Sets `request.principal` from `x-test-user`, `x-test-roles` and `x-test-tenant`. */
export const testAuthentication = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', async (request) => {
    const user = request.headers['x-test-user'];
    if (typeof user !== 'string') return;
    const roles = String(request.headers['x-test-roles'] ?? '')
      .split(',')
      .filter(Boolean);
    const tenant = request.headers['x-test-tenant'];
    const principal: AuthPrincipal = {
      id: user,
      userId: user,
      roles,
      method: 'jwt',
      ...(typeof tenant === 'string' && tenant ? { tenantId: tenant } : {}),
    };
    request.principal = principal;
  });
});

export function headersOf(caller: Caller | null): Record<string, string> {
  if (!caller) return {};
  return {
    'x-test-user': caller.userId,
    'x-test-roles': caller.roles.join(','),
    ...(caller.tenantId ? { 'x-test-tenant': caller.tenantId } : {}),
  };
}

export interface AuthzHarness {
  readonly model: Model;
  readonly app: FastifyInstance;
  readonly driver: Driver;
  /** The throwaway server database's URL (the owner's login); none on PGlite. */
  readonly databaseUrl?: string;
  /** Statements and transactions run on the wall's own login (`postgres-wall-login`). */
  readonly wallUse: { readonly count: number };
  /** Close the wall's own login early, as if its server went away (`postgres-wall-login`). */
  closeWallLogin(): Promise<void>;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  call<T = any>(caller: Caller | null, method: string, url: string, body?: unknown): Promise<Reply<T>>;
  close(): Promise<void>;
}

export async function createAuthzHarness(
  kind: DriverKind,
  blueprint = 'examples/saas',
): Promise<AuthzHarness> {
  const model = await loadBlueprint(blueprint);
  let database: ThrowawayDatabase | undefined;
  if (kind !== 'pglite') database = await createThrowawayDatabase('architect_authz');
  const driver = await createDriver(database ? { databaseUrl: database.url, poolSize: 4 } : { memory: true });
  await migrateDatabase(driver, model);
  const wallLogin =
    kind === 'postgres-wall-login' && model.tenancy.kind === 'organization'
      ? await openWallLogin(driver, database!.url)
      : undefined;
  // Counts the work handed to the wall's login, so a test can tell it is the one in use.
  const wallUse = { count: 0 };
  const wallDriver: Driver | undefined = wallLogin && {
    ...wallLogin,
    query: (text, params) => {
      wallUse.count += 1;
      return wallLogin.query(text, params);
    },
    transaction: (work, options) => {
      wallUse.count += 1;
      return wallLogin.transaction(work, options);
    },
    ...(wallLogin.transactionAfter
      ? {
          transactionAfter: <T>(
            setup: string,
            work: (tx: Transaction) => Promise<T>,
            options?: TransactionOptions,
          ) => {
            wallUse.count += 1;
            return wallLogin.transactionAfter!(setup, work, options);
          },
        }
      : {}),
    ...(wallLogin.queryAfter
      ? {
          queryAfter: (setup: string, text: string, params?: readonly unknown[]) => {
            wallUse.count += 1;
            return wallLogin.queryAfter!(setup, text, params);
          },
        }
      : {}),
  };
  const app = await createApp(model, {
    driver,
    wallDriver,
    logLevel: process.env.AUTHZ_LOG ? 'error' : false,
    docs: false,
    auth: [testAuthentication],
  });
  return {
    model,
    app,
    driver,
    ...(database ? { databaseUrl: database.url } : {}),
    wallUse,
    async closeWallLogin() {
      await wallLogin?.close();
    },
    async call(caller, method, url, body) {
      const response = await app.inject({
        method: method as 'GET',
        url: `${model.api.basePath}${url}`,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headersOf(caller),
        },
        payload: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (response.headers['content-type'] as string | undefined)?.startsWith('application/json');
      return {
        status: response.statusCode,
        headers: response.headers as Reply['headers'],
        body: (response.body === '' ? undefined : json ? response.json() : response.body) as never,
      };
    },
    async close() {
      await app.close();
      await wallDriver?.close();
      await driver.close();
      await database?.drop();
    },
  };
}

/** Throw with the answer when a seeding call does not give the expected status. */
export function expectStatus<T>(reply: Reply<T>, status: number, what: string): T {
  if (reply.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${reply.status} ${JSON.stringify(reply.body)}`);
  }
  return reply.body;
}
