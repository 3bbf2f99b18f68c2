/**
 * One app per driver for the HTTP suites: the real app factory, migrations and resource routes,
 * on PGlite in memory or on a throwaway PostgreSQL database. Every response goes through the
 * contract check; violations are collected and asserted empty at the end of each suite.
 */
import type { FastifyInstance } from 'fastify';
import { loadBlueprint, type Model } from '../../../src/blueprint/index.js';
import { createDriver, type Driver } from '../../../src/runtime/db/index.js';
import { migrateDatabase } from '../../../src/runtime/migrate/index.js';
import { createApp } from '../../../src/runtime/server/index.js';
import { createThrowawayDatabase, SERVER_URL, type ThrowawayDatabase } from '../../support/postgres.js';
import { type ContractViolation, createContractChecker } from '../contract/contract-check.js';

export type DriverKind = 'pglite' | 'postgres';

/** The drivers a suite runs on: PGlite always, the server when DATABASE_URL is set. */
export const DRIVERS: readonly DriverKind[] = SERVER_URL ? ['pglite', 'postgres'] : ['pglite'];

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field in the suites
export interface Reply<T = any> {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: T;
}

export interface CallOptions {
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface Harness {
  readonly model: Model;
  readonly app: FastifyInstance;
  readonly driver: Driver;
  readonly base: string;
  readonly violations: ContractViolation[];
  // biome-ignore lint/suspicious/noExplicitAny: as above
  call<T = any>(method: string, url: string, options?: CallOptions): Promise<Reply<T>>;
  close(): Promise<void>;
}

export async function createHarness(kind: DriverKind, blueprint = 'examples/inventory'): Promise<Harness> {
  const model = await loadBlueprint(blueprint);
  let database: ThrowawayDatabase | undefined;
  if (kind === 'postgres') database = await createThrowawayDatabase('architect_resources');
  const driver = await createDriver(database ? { databaseUrl: database.url, poolSize: 4 } : { memory: true });
  await migrateDatabase(driver, model);
  // These suites test the resource behaviour; authorization has its own (test/runtime/authz/).
  const app = await createApp(model, { driver, logLevel: false, docs: false, authorization: false });
  const checker = createContractChecker(model);
  const violations: ContractViolation[] = [];
  return {
    model,
    app,
    driver,
    base: model.api.basePath,
    violations,
    async call(method, url, options = {}) {
      const path =
        url.startsWith('/') && !url.startsWith(model.api.basePath) && !url.startsWith('/health')
          ? `${model.api.basePath}${url}`
          : url;
      const response = await app.inject({
        method: method as 'GET',
        url: path,
        headers: {
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
        payload:
          options.body === undefined
            ? undefined
            : typeof options.body === 'string'
              ? options.body
              : JSON.stringify(options.body),
      });
      const contentType = response.headers['content-type'] as string | undefined;
      const body =
        response.body === ''
          ? undefined
          : contentType?.startsWith('application/json')
            ? response.json()
            : response.body;
      const problem = checker.check(method, path, response.statusCode, body, contentType);
      if (problem) violations.push({ method, url: path, status: response.statusCode, problem });
      return { status: response.statusCode, headers: response.headers as Reply['headers'], body };
    },
    async close() {
      await app.close();
      await driver.close();
      await database?.drop();
    },
  };
}

/**
 * Send requests while a transaction holds a lock that writes to `table` wait for: the first
 * writes stay in flight and the others queue behind them (resources/write-batches.ts); once it
 * ends they leave together.
 */
export async function sendWhileLocked(
  api: Harness,
  table: string,
  send: () => Promise<Reply>[],
): Promise<Reply[]> {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked = () => {};
  const lockTaken = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const holder = api.driver.transaction(async (tx) => {
    await tx.query(`LOCK TABLE ${table} IN SHARE MODE`);
    locked();
    await held;
  });
  await lockTaken;
  const replies = Promise.all(send());
  // time for every request to reach its handler (none can finish before the lock is gone)
  await new Promise((resolve) => setTimeout(resolve, 100));
  release();
  await holder;
  return replies;
}
