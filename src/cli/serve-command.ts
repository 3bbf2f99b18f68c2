import type { Command } from 'commander';
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
  corsOrigin?: string[];
  logLevel?: string;
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
      '--cors-origin <origin...>',
      'browser origins allowed to call the API (env CORS_ORIGINS, comma separated)',
    )
    .option('--log-level <level>', `one of ${LOG_LEVELS.join(', ')} (env LOG_LEVEL; default info)`)
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
      // Loaded here so commands that do not serve never load Fastify or the database drivers.
      const { startServer } = await import('../runtime/server/start.js');
      const server = await startServer({
        blueprint: input,
        port: parsePort(options.port ?? (process.env.PORT || undefined)),
        host: options.host ?? (process.env.HOST || '127.0.0.1'),
        databaseUrl,
        appDatabaseUrl,
        poolSize,
        appPoolSize,
        dataDir: options.dataDir,
        memory: options.memory,
        corsOrigins,
        logLevel: logLevel as (typeof LOG_LEVELS)[number],
      });
      io.stderr(
        [
          `${server.model.title}: serving ${server.model.entities.length} entities`,
          `  API   ${server.apiUrl}`,
          `  docs  ${server.docsUrl}`,
          `  data  ${server.dataLocation} (${server.driver.kind}${poolNote(server.driver)}; schema ${server.migration.status})`,
          ...(server.wallLocation && server.wallDriver
            ? [`  wall  ${server.wallLocation} (tenant statements${poolNote(server.wallDriver)})`]
            : []),
          ...(appDatabaseUrl && !server.wallLocation
            ? ['  note  the app database URL is not used: the blueprint has no tenancy']
            : []),
          'Press Ctrl+C to stop.',
          '',
        ].join('\n'),
      );
      const signal = await waitForSignal(io);
      io.stderr(`${signal}: finishing in-flight requests, then stopping\n`);
      await server.close();
      io.stderr('stopped\n');
      setExitCode(command, EXIT.ok);
    });
}
