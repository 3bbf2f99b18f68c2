/**
 * Operations endpoints, outside the API base path: `GET /health` (the process is alive),
 * `GET /ready` (the database answers and holds the blueprint's current schema, and the tenant
 * wall's own login, when there is one, answers too, and the server is not stopping; load
 * balancers route traffic only then) and `GET /openapi.json` (the design output, the same
 * document `architect design` writes).
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
  /** The tenant wall's own login (`AppOptions.wallDriver`), checked as well when given. */
  readonly wallDriver?: Driver;
  /** Builds the OpenAPI document (once, on first request). */
  readonly openApi: () => unknown | Promise<unknown>;
}

export interface ReadyChecks {
  readonly database: 'ok' | 'unreachable';
  readonly schema: 'current' | 'outdated' | 'unknown';
  /** The tenant wall's own login, when the app has one. */
  readonly wall?: 'ok' | 'unreachable';
}

/**
 * Ask the database whether it answers and holds the blueprint's current schema (and, given the
 * tenant wall's own login, whether that answers as well).
 */
export async function readyChecks(driver: Driver, model: Model, wallDriver?: Driver): Promise<ReadyChecks> {
  let checks: ReadyChecks;
  try {
    const current = await isSchemaCurrent(driver, model);
    checks = { database: 'ok', schema: current ? 'current' : 'outdated' };
  } catch {
    checks = { database: 'unreachable', schema: 'unknown' };
  }
  if (!wallDriver) return checks;
  try {
    await wallDriver.query('SELECT 1');
    return { ...checks, wall: 'ok' };
  } catch {
    return { ...checks, wall: 'unreachable' };
  }
}

function notReadyDetail(checks: ReadyChecks): string {
  if (checks.database !== 'ok') return 'The database is not reachable';
  if (checks.schema !== 'current') return 'The database schema is not current';
  return "The tenant wall's login cannot reach the database";
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Say the server is about to stop: `/ready` answers 503 from now on, so load balancers
     * stop sending requests, while everything else is still served (`serve --shutdown-delay`).
     */
    stopping(): void;
  }
}

export const operationsPlugin = fp(
  async (app: FastifyInstance, options: OperationsOptions) => {
    let stopping = false;
    app.decorate('stopping', () => {
      stopping = true;
    });
    app.get('/health', async () => ({ status: 'ok' }));

    app.get('/ready', async () => {
      if (stopping) {
        throw new ArchitectError(
          'SERVICE_UNAVAILABLE',
          { detail: 'The server is shutting down' },
          { headers: { 'retry-after': '5' } },
        );
      }
      const checks = await readyChecks(options.driver, options.model, options.wallDriver);
      if (checks.database === 'ok' && checks.schema === 'current' && checks.wall !== 'unreachable')
        return { status: 'ok', checks };
      throw new ArchitectError(
        'SERVICE_UNAVAILABLE',
        { detail: notReadyDetail(checks) },
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
