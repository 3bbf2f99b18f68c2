/**
 * Operations endpoints, outside the API base path: `GET /health` (the process is alive),
 * `GET /ready` (the database answers and holds the blueprint's current schema; load balancers
 * route traffic only then) and `GET /openapi.json` (the design output, the same document
 * `architect design` writes).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Model } from '../../blueprint/model.js';
import { ArchitectError } from '../../errors.js';
import type { Driver } from '../db/driver.js';
import { isSchemaCurrent } from '../migrate/migrate.js';

export interface OperationsOptions {
  readonly model: Model;
  readonly driver: Driver;
  /** Builds the OpenAPI document (once, on first request). */
  readonly openApi: () => unknown | Promise<unknown>;
}

export interface ReadyChecks {
  readonly database: 'ok' | 'unreachable';
  readonly schema: 'current' | 'outdated' | 'unknown';
}

/** Ask the database whether it answers and holds the blueprint's current schema. */
export async function readyChecks(driver: Driver, model: Model): Promise<ReadyChecks> {
  try {
    const current = await isSchemaCurrent(driver, model);
    return { database: 'ok', schema: current ? 'current' : 'outdated' };
  } catch {
    return { database: 'unreachable', schema: 'unknown' };
  }
}

export const operationsPlugin = fp(
  async (app: FastifyInstance, options: OperationsOptions) => {
    app.get('/health', async () => ({ status: 'ok' }));

    app.get('/ready', async () => {
      const checks = await readyChecks(options.driver, options.model);
      if (checks.database === 'ok' && checks.schema === 'current') return { status: 'ready', checks };
      const detail =
        checks.database === 'ok' ? 'The database schema is not current' : 'The database is not reachable';
      throw new ArchitectError(
        'SERVICE_UNAVAILABLE',
        { detail },
        { details: checks, headers: { 'retry-after': '5' } },
      );
    });

    let document: Promise<unknown> | undefined;
    app.get('/openapi.json', async (_request, reply) => {
      document ??= Promise.resolve().then(options.openApi);
      reply.header('cache-control', 'no-cache');
      return document;
    });
  },
  { name: 'architect-operations', fastify: '5.x' },
);
