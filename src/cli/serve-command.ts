import type { Command } from 'commander';
import type { Model } from '../blueprint/model.js';
import { ArchitectError } from '../errors.js';
import type { Driver } from '../runtime/db/driver.js';
import { EXIT, type Io, setExitCode } from './io.js';

interface ServeOptions {
  port?: string;
  host?: string;
  databaseUrl?: string;
  appDatabaseUrl?: string;
  poolSize?: string;
  appPoolSize?: string;
  dataDir?: string;
  memory?: boolean;
  watch?: boolean;
  corsOrigin?: string[];
  corsCredentials?: boolean;
  crossSiteCookies?: boolean;
  logLevel?: string;
  bodyLimit?: string;
  requestTimeout?: string;
  trustProxy?: string;
  metricsToken?: string;
  shutdownDelay?: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function parsePort(text: string | undefined): number {
  const port = Number(text ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ArchitectError('CLI_USAGE', { detail: `--port must be a port number (0-65535), not ${text}` });
  }
  return port;
}

/** A connection count from a flag or its variable: a whole number from 1 to 1000. */
function parsePoolSize(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const size = Number(text);
  if (!Number.isInteger(size) || size < 1 || size > 1000) {
    throw new ArchitectError('CLI_USAGE', {
      detail: `${flag} must be a whole number from 1 to 1000, not ${text}`,
    });
  }
  return size;
}

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** `1048576`, `512kb`, `10mb`: a body size in bytes, from 1 byte to 1 GiB. */
function parseBodyLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(\d+)\s*([kmg]?b?)\s*$/i.exec(text);
  const bytes = match ? Number(match[1]) * SIZE_UNITS[match[2]!.toLowerCase()]! : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > SIZE_UNITS.gb!) {
    throw new ArchitectError('CLI_USAGE', {
      detail: `--body-limit must be a size from 1 byte to 1gb (1048576, 512kb, 10mb), not ${text}`,
    });
  }
  return bytes;
}

/**
 * `*` or an origin as a browser sends it in `Origin` (`https://app.example.com`, no path, no
 * trailing slash, no default port): anything else would never match and CORS would silently
 * not apply.
 */
function checkOrigin(text: string): void {
  if (text === '*') return;
  let origin: string | undefined;
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') origin = url.origin;
  } catch {
    origin = undefined;
  }
  if (origin === text) return;
  throw new ArchitectError('CLI_USAGE', {
    detail: `--cors-origin takes origins as browsers send them (https://app.example.com) or *, not ${text}${origin ? `; did you mean ${origin}?` : ''}`,
  });
}

/** A yes/no environment variable: `true` or `false` (or unset). */
function parseSwitch(variable: string): boolean | undefined {
  const text = process.env[variable]?.trim();
  if (!text) return undefined;
  if (text === 'true' || text === 'false') return text === 'true';
  throw new ArchitectError('CLI_USAGE', { detail: `${variable} must be true or false, not ${text}` });
}

/** Whole milliseconds from 0 to an hour, for `flag`. */
function parseMilliseconds(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Number(text);
  if (text.trim() === '' || !Number.isInteger(ms) || ms < 0 || ms > 3_600_000) {
    throw new ArchitectError('CLI_USAGE', {
      detail: `${flag} must be milliseconds from 0 to 3600000, not ${text}`,
    });
  }
  return ms;
}

/**
 * Which proxies to believe about the client address: `true`/`false`, a hop count, or a comma
 * list of addresses and CIDR ranges (`loopback`, `10.0.0.0/8`), as Fastify's `trustProxy` takes.
 */
function parseTrustProxy(text: string | undefined): boolean | number | string[] | undefined {
  if (text === undefined) return undefined;
  const value = text.trim();
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops >= 1 && hops <= 100) return hops;
  } else {
    const proxies = value.split(',').map((part) => part.trim());
    if (proxies.every((part) => /^[0-9A-Za-z.:/_-]+$/.test(part))) return proxies;
  }
  throw new ArchitectError('CLI_USAGE', {
    detail: `--trust-proxy must be true, false, a hop count from 1 to 100, or proxy addresses (loopback, 10.0.0.0/8), not ${text}`,
  });
}

/** `, pool 10` for a server's pool; nothing for embedded PostgreSQL's single connection. */
function poolNote(driver: Driver): string {
  return driver.kind === 'postgres' ? `, pool ${driver.stats().total}` : '';
}

/** Resolves on the first SIGINT or SIGTERM; a second one exits at once. */
function waitForSignal(io: Io): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      const forceExit = () => {
        io.stderr('second signal: exiting without waiting for requests\n');
        process.exit(EXIT.invalid);
      };
      process.once('SIGINT', forceExit);
      process.once('SIGTERM', forceExit);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export function registerServeCommand(program: Command, io: Io): void {
  program
    .command('serve')
    .description('serve the blueprint as a REST API (embedded PostgreSQL unless DATABASE_URL is set)')
    .argument('<blueprint>', 'blueprint file, or a folder holding blueprint.yaml')
    .option('-p, --port <port>', 'port to listen on (env PORT; default 3000; 0 picks a free one)')
    .option('--host <host>', 'address to listen on (env HOST; default 127.0.0.1; 0.0.0.0 for all)')
    .option('--database-url <url>', 'PostgreSQL server URL (env DATABASE_URL); default: embedded PostgreSQL')
    .option(
      '--app-database-url <url>',
      'the tenant wall logs in here as architect_app (env APP_DATABASE_URL); default: SET ROLE on the database URL',
    )
    .option('--pool-size <n>', 'connections to the PostgreSQL server (env DATABASE_POOL_SIZE; default 10)')
    .option(
      '--app-pool-size <n>',
      "connections of the tenant wall's own login (env APP_DATABASE_POOL_SIZE; default: --pool-size)",
    )
    .option(
      '--data-dir <dir>',
      'embedded PostgreSQL data folder (default: .architect/data beside the blueprint)',
    )
    .option('--memory', 'embedded PostgreSQL in memory: nothing is kept')
    .option(
      '--watch',
      'restart when the blueprint changes (development); a blueprint with errors is reported and the running one kept',
    )
    .option(
      '--cors-origin <origin...>',
      'browser origins allowed to call the API (env CORS_ORIGINS, comma separated)',
    )
    .option(
      '--cors-credentials',
      'pages on the --cors-origin origins may send the session cookies (env CORS_CREDENTIALS=true)',
    )
    .option(
      '--cross-site-cookies',
      'session cookies with SameSite=None, for pages on another site; with --cors-credentials (env CROSS_SITE_COOKIES=true)',
    )
    .option('--log-level <level>', `one of ${LOG_LEVELS.join(', ')} (env LOG_LEVEL; default info)`)
    .option(
      '--body-limit <size>',
      'largest request body: bytes, or 512kb, 10mb (env BODY_LIMIT; default 10mb)',
    )
    .option(
      '--request-timeout <ms>',
      'answer 503 TIMEOUT to a request still running after this (env REQUEST_TIMEOUT_MS; default 30000; 0: off)',
    )
    .option(
      '--metrics-token <token>',
      'GET /metrics answers only Authorization: Bearer <token> (env METRICS_TOKEN; default: open)',
    )
    .option(
      '--shutdown-delay <ms>',
      'on SIGTERM, answer /ready with 503 and go on serving this long before draining, so a load balancer stops sending requests first (env SHUTDOWN_DELAY_MS; default 0)',
    )
    .option(
      '--trust-proxy <proxies>',
      'take the client address from X-Forwarded-For set by these proxies: true, a hop count, or addresses and CIDRs, comma separated (env TRUST_PROXY; default: none)',
    )
    .action(async (input: string, options: ServeOptions, command: Command) => {
      const logLevel = options.logLevel ?? process.env.LOG_LEVEL ?? 'info';
      if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
        throw new ArchitectError('CLI_USAGE', {
          detail: `--log-level must be one of ${LOG_LEVELS.join(', ')}`,
        });
      }
      const databaseUrl = options.databaseUrl ?? (process.env.DATABASE_URL || undefined);
      if (databaseUrl && (options.memory || options.dataDir)) {
        throw new ArchitectError('CLI_USAGE', {
          detail: '--memory and --data-dir are for embedded PostgreSQL; drop them or the database URL',
        });
      }
      const appDatabaseUrl = options.appDatabaseUrl ?? (process.env.APP_DATABASE_URL || undefined);
      if (appDatabaseUrl && !databaseUrl) {
        throw new ArchitectError('CLI_USAGE', {
          detail: '--app-database-url is for a PostgreSQL server; give --database-url (or DATABASE_URL) too',
        });
      }
      const poolSize = parsePoolSize(
        '--pool-size',
        options.poolSize ?? (process.env.DATABASE_POOL_SIZE || undefined),
      );
      const appPoolSize = parsePoolSize(
        '--app-pool-size',
        options.appPoolSize ?? (process.env.APP_DATABASE_POOL_SIZE || undefined),
      );
      const corsOrigins =
        options.corsOrigin ??
        process.env.CORS_ORIGINS?.split(',')
          .map((origin) => origin.trim())
          .filter(Boolean);
      for (const origin of corsOrigins ?? []) checkOrigin(origin);
      const corsCredentials = options.corsCredentials ?? parseSwitch('CORS_CREDENTIALS');
      const crossSiteCookies = options.crossSiteCookies ?? parseSwitch('CROSS_SITE_COOKIES');
      if (corsCredentials && (!corsOrigins?.length || corsOrigins.includes('*'))) {
        throw new ArchitectError('CLI_USAGE', {
          detail:
            '--cors-credentials needs --cors-origin with the origins themselves: browsers refuse credentials with *',
        });
      }
      if (crossSiteCookies && !corsCredentials) {
        throw new ArchitectError('CLI_USAGE', {
          detail: '--cross-site-cookies is for pages that send cookies: give --cors-credentials too',
        });
      }
      const bodyLimit = parseBodyLimit(options.bodyLimit ?? (process.env.BODY_LIMIT || undefined));
      const requestTimeoutMs = parseMilliseconds(
        '--request-timeout',
        options.requestTimeout ?? (process.env.REQUEST_TIMEOUT_MS || undefined),
      );
      const trustProxy = parseTrustProxy(options.trustProxy ?? (process.env.TRUST_PROXY || undefined));
      const metricsToken = options.metricsToken ?? (process.env.METRICS_TOKEN || undefined);
      const shutdownDelayMs = parseMilliseconds(
        '--shutdown-delay',
        options.shutdownDelay ?? (process.env.SHUTDOWN_DELAY_MS || undefined),
      );
      if (metricsToken !== undefined && metricsToken.length < 16) {
        throw new ArchitectError('CLI_USAGE', {
          detail: '--metrics-token must be at least 16 characters (openssl rand -hex 16 makes one)',
        });
      }
      // Loaded here so commands that do not serve never load Fastify or the database drivers.
      const { startServer } = await import('../runtime/server/start.js');
      // Watching an in-memory database: one database for every restart, so its rows stay.
      const database =
        options.watch && options.memory
          ? await (await import('../runtime/db/driver.js')).createDriver({ memory: true })
          : undefined;
      const launch = (
        blueprint: string | Model,
        port = parsePort(options.port ?? (process.env.PORT || undefined)),
      ) =>
        startServer({
          blueprint,
          port,
          host: options.host ?? (process.env.HOST || '127.0.0.1'),
          databaseUrl,
          appDatabaseUrl,
          poolSize,
          appPoolSize,
          dataDir: options.dataDir,
          memory: options.memory,
          corsOrigins,
          corsCredentials,
          crossSiteCookies,
          logLevel: logLevel as (typeof LOG_LEVELS)[number],
          bodyLimit,
          requestTimeoutMs,
          trustProxy,
          metricsToken,
          database,
        });
      const server = await launch(input).catch(async (error: unknown) => {
        await database?.close();
        throw error;
      });
      // Watching before the banner: a save right after it is not missed.
      const watching = options.watch
        ? (await import('./serve-watch.js')).watchBlueprint(
            server.model.source,
            server,
            (model) =>
              // the port it listens on now, should it have been 0 (any free one)
              launch(model, Number(new URL(server.origin).port)),
            io,
          )
        : undefined;
      io.stderr(
        [
          `${server.model.title}: serving ${server.model.entities.length} ${server.model.entities.length === 1 ? 'entity' : 'entities'}`,
          `  API   ${server.apiUrl}`,
          `  docs  ${server.docsUrl}`,
          `  data  ${server.dataLocation} (${server.driver.kind}${poolNote(server.driver)}; schema ${server.migration.status})`,
          ...(server.wallLocation && server.wallDriver
            ? [`  wall  ${server.wallLocation} (tenant statements${poolNote(server.wallDriver)})`]
            : []),
          ...(appDatabaseUrl && !server.wallLocation
            ? ['  note  the app database URL is not used: the blueprint has no tenancy']
            : []),
          ...(options.watch ? [`  watch ${server.model.source}: a change restarts the server`] : []),
          'Press Ctrl+C to stop.',
          '',
        ].join('\n'),
      );
      // Should no server run any more (neither blueprint would start), stop watching and fail.
      const stopped = watching?.failed.catch(async (error: unknown) => {
        await watching.stop();
        throw error;
      });
      const signal = await (stopped ? Promise.race([waitForSignal(io), stopped]) : waitForSignal(io));
      const running = watching ? await watching.stop() : server;
      if (shutdownDelayMs) {
        io.stderr(`${signal}: /ready answers 503; serving ${shutdownDelayMs} ms more, then draining\n`);
      }
      io.stderr(`${signal}: finishing in-flight requests, then stopping\n`);
      await running.close({ delayMs: shutdownDelayMs });
      await database?.close();
      io.stderr('stopped\n');
      setExitCode(command, EXIT.ok);
    });
}
