/**
 * One app per driver for the identity suites: the real app factory with the identity plugin,
 * the development mailbox, PGlite in memory or a throwaway PostgreSQL database. Every response
 * goes through the contract check against the generated OpenAPI document.
 */
import type { FastifyInstance } from 'fastify';
import { loadBlueprint, type Model } from '../../../src/blueprint/index.js';
import { createAccount } from '../../../src/runtime/auth/accounts.js';
import { createIdentity, type Identity } from '../../../src/runtime/auth/identity-plugin.js';
import { createDevMailbox, type DevMailbox } from '../../../src/runtime/auth/mailer.js';
import { hashPassword } from '../../../src/runtime/auth/passwords.js';
import { createDriver, type Driver } from '../../../src/runtime/db/index.js';
import { migrateDatabase } from '../../../src/runtime/migrate/index.js';
import type { RateLimits } from '../../../src/runtime/security/rate-limits.js';
import { createApp } from '../../../src/runtime/server/index.js';
import { createThrowawayDatabase, SERVER_URL, type ThrowawayDatabase } from '../../support/postgres.js';
import { type ContractViolation, createContractChecker } from '../contract/contract-check.js';

export type DriverKind = 'pglite' | 'postgres';

/** PGlite always; the server too when DATABASE_URL is set. */
export const DRIVERS: readonly DriverKind[] = SERVER_URL ? ['pglite', 'postgres'] : ['pglite'];

export const PASSWORD = 'correct horse battery staple';

// biome-ignore lint/suspicious/noExplicitAny: bodies are asserted field by field
export interface Reply<T = any> {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: T;
  readonly cookies: Record<string, { value: string; attributes: string }>;
}

export interface CallOptions {
  readonly body?: unknown;
  readonly bearer?: string;
  readonly headers?: Record<string, string>;
  /** Cookies to send (name -> value). */
  readonly cookies?: Record<string, string>;
}

export interface IdentityHarness {
  readonly model: Model;
  readonly app: FastifyInstance;
  readonly driver: Driver;
  readonly identity: Identity;
  readonly mailbox: DevMailbox;
  readonly violations: ContractViolation[];
  // biome-ignore lint/suspicious/noExplicitAny: as above
  call<T = any>(method: string, path: string, options?: CallOptions): Promise<Reply<T>>;
  /** An account made directly in the database (for admins, and sign-up policies that need one). */
  account(email: string, roles?: readonly string[]): Promise<string>;
  /** Security events recorded so far, oldest first. */
  events(
    kind?: string,
  ): Promise<
    { event: string; email: string | null; ip: string; request_id: string; user_id: string | null }[]
  >;
  close(): Promise<void>;
}

/** The model with changed `auth` settings (policy, limits), the rest as loaded. */
export function withAuth(model: Model, auth: Partial<Model['auth']>): Model {
  return { ...model, auth: { ...model.auth, ...auth } };
}

export function parseCookies(setCookie: string | string[] | undefined): Reply['cookies'] {
  const cookies: Reply['cookies'] = {};
  for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
    const [pair, ...attributes] = line.split(';');
    const index = pair!.indexOf('=');
    cookies[pair!.slice(0, index).trim()] = {
      value: decodeURIComponent(pair!.slice(index + 1)),
      attributes: attributes.join(';'),
    };
  }
  return cookies;
}

export async function createIdentityHarness(
  kind: DriverKind,
  blueprint: string | Model = 'examples/saas',
  options: {
    limits?: (model: Model) => RateLimits;
    /** CORS for the app: the allow-list, with credentials or not. */
    cors?: { origins: string[]; credentials?: boolean; crossSiteCookies?: boolean };
  } = {},
): Promise<IdentityHarness> {
  const model = typeof blueprint === 'string' ? await loadBlueprint(blueprint) : blueprint;
  let database: ThrowawayDatabase | undefined;
  if (kind === 'postgres') database = await createThrowawayDatabase('architect_identity');
  const driver = await createDriver(database ? { databaseUrl: database.url, poolSize: 4 } : { memory: true });
  await migrateDatabase(driver, model);
  const mailbox = createDevMailbox();
  const identity = await createIdentity(model, {
    driver,
    mailer: mailbox,
    ...(options.limits ? { limits: options.limits(model) } : {}),
    allowedOrigins: options.cors?.origins,
    crossSiteCookies: options.cors?.crossSiteCookies,
  });
  const app = await createApp(model, {
    driver,
    logLevel: false,
    docs: false,
    auth: [identity.plugin],
    corsOrigins: options.cors?.origins,
    corsCredentials: options.cors?.credentials,
  });
  const checker = createContractChecker(model);
  const violations: ContractViolation[] = [];
  const base = model.api.basePath;
  return {
    model,
    app,
    driver,
    identity,
    mailbox,
    violations,
    async call(method, path, options = {}) {
      const url = path.startsWith(base) ? path : `${base}${path}`;
      const headers: Record<string, string> = { ...options.headers };
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
      if (options.cookies) {
        headers.cookie = Object.entries(options.cookies)
          .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
          .join('; ');
      }
      const response = await app.inject({
        method: method as 'GET',
        url,
        headers,
        payload: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      const contentType = response.headers['content-type'] as string | undefined;
      const body =
        response.body === ''
          ? undefined
          : contentType?.startsWith('application/json')
            ? response.json()
            : response.body;
      const problem = checker.check(method, url, response.statusCode, body, contentType);
      if (problem) violations.push({ method, url, status: response.statusCode, problem });
      return {
        status: response.statusCode,
        headers: response.headers as Reply['headers'],
        body,
        cookies: parseCookies(response.headers['set-cookie']),
      };
    },
    async account(email, roles = []) {
      const account = await createAccount(driver, model, {
        email,
        passwordHash: await hashPassword(PASSWORD),
        roles,
        emailVerified: true,
        profile: model.auth.users ? { displayName: email.split('@')[0] } : undefined,
      });
      return account.id;
    },
    async events(kind) {
      const { rows } = await driver.query<{
        event: string;
        email: string | null;
        ip: string;
        request_id: string;
        user_id: string | null;
      }>(
        `SELECT event, email, ip::text AS ip, request_id, user_id::text AS user_id FROM auth_events
         WHERE $1::text IS NULL OR event = $1 ORDER BY created_at, id`,
        [kind ?? null],
      );
      return rows;
    },
    async close() {
      await app.close();
      await driver.close();
      await database?.drop();
    },
  };
}
