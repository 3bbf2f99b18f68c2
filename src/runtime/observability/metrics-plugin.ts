/**
 * Prometheus metrics at `GET /metrics`: requests and their latency by method, route template
 * and status; the database pool; and the process (CPU, memory, event-loop lag, GC) from
 * prom-client's default collectors. Each app has its own registry, so several apps in one
 * process (tests) do not share counters. With a token, scrapes must bring it as a bearer token.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { ArchitectError } from '../../errors.js';
import { safeEqual } from '../auth/secrets.js';
import type { Driver } from '../db/driver.js';
import { asMetric, RequestHistogram } from './request-histogram.js';

/** Seconds; spans cached reads (ms) to slow bulk writes (s). */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Route label for requests that matched no route, so unknown URLs cannot explode cardinality. */
export const UNMATCHED_ROUTE = 'unmatched';

export interface MetricsOptions {
  readonly driver: Driver;
  /** The tenant wall's own login pool, reported as `db_wall_pool_connections` when given. */
  readonly wallDriver?: Driver;
  /** Metric name prefix (default `architect_`). */
  readonly prefix?: string;
  /**
   * When set, `/metrics` answers only `Authorization: Bearer <token>` (401 otherwise), for a
   * server reachable from outside: route names, traffic and pool use are not for everyone.
   */
  readonly token?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's Prometheus registry, for plugins that add their own metrics. */
    metrics: Registry;
  }
}

export const metricsPlugin = fp(
  async (app: FastifyInstance, options: MetricsOptions) => {
    const prefix = options.prefix ?? 'architect_';
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix });
    const labelNames = ['method', 'route', 'status'] as const;
    // Counted per label set in plain numbers, handed to prom-client when it is scraped: a
    // counter's inc() validates and hashes its labels on every call.
    const counts: { labels: Record<(typeof labelNames)[number], string>; count: number; reported: number }[] =
      [];
    new Counter({
      name: `${prefix}http_requests_total`,
      help: 'HTTP requests answered, by method, route template and status.',
      labelNames,
      registers: [registry],
      collect() {
        for (const entry of counts) {
          if (entry.count === entry.reported) continue;
          this.inc(entry.labels, entry.count - entry.reported);
          entry.reported = entry.count;
        }
      },
    });
    const duration = new RequestHistogram({
      name: `${prefix}http_request_duration_seconds`,
      help: 'Time from receiving a request to sending its response, by method, route template and status.',
      buckets: LATENCY_BUCKETS,
    });
    registry.registerMetric(asMetric(duration));
    const poolGauge = (name: string, help: string, driver: Driver) =>
      new Gauge({
        name: `${prefix}${name}`,
        help,
        labelNames: ['state'] as const,
        registers: [registry],
        collect() {
          const stats = driver.stats();
          this.set({ state: 'total' }, stats.total);
          this.set({ state: 'idle' }, stats.idle);
          this.set({ state: 'busy' }, stats.total - stats.idle);
          this.set({ state: 'waiting' }, stats.waiting);
        },
      });
    poolGauge(
      'db_pool_connections',
      'Database pool: connections by state (total, idle, busy) and work waiting for one (waiting).',
      options.driver,
    );
    if (options.wallDriver) {
      poolGauge(
        'db_wall_pool_connections',
        "The tenant wall's own login pool: connections by state (total, idle, busy) and work waiting for one (waiting).",
        options.wallDriver,
      );
    }

    app.decorate('metrics', registry);
    // Label sets are resolved once per method, route and status: prom-client hashes the label
    // object on every inc/observe otherwise. Each route records through its own hook, which
    // knows its template without building `request.routeOptions` per request.
    const recorders = new Map<string, (seconds: number) => void>();
    const record = (method: string, route: string, status: number, seconds: number) => {
      const key = `${method} ${status} ${route}`;
      let recorder = recorders.get(key);
      if (!recorder) {
        const labels = { method, route, status: String(status) };
        const entry = { labels, count: 0, reported: 0 };
        counts.push(entry);
        const latency = duration.series(labels);
        recorder = (value) => {
          entry.count += 1;
          latency.observe(value);
        };
        recorders.set(key, recorder);
      }
      recorder(seconds);
    };
    app.addHook('onRoute', (route) => {
      const url = route.url;
      const hook = (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
        record(request.method, url, reply.statusCode, reply.elapsedTime / 1000);
        done();
      };
      route.onResponse = Array.isArray(route.onResponse)
        ? [...route.onResponse, hook]
        : route.onResponse
          ? [route.onResponse, hook]
          : [hook];
    });
    // Requests no route matched (the 404 handler): one label, whatever the URL.
    app.addHook('onResponse', (request, reply, done) => {
      if (request.is404) record(request.method, UNMATCHED_ROUTE, reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
    const expected = options.token === undefined ? undefined : `Bearer ${options.token}`;
    app.get('/metrics', async (request, reply) => {
      if (expected !== undefined && !safeEqual(request.headers.authorization ?? '', expected)) {
        throw new ArchitectError(
          'UNAUTHENTICATED',
          {},
          { headers: { 'www-authenticate': 'Bearer realm="metrics"' } },
        );
      }
      reply.type(registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'architect-metrics', fastify: '5.x' },
);
