/**
 * Structured JSON logs (pino, through Fastify): one line per event, each request's lines carrying
 * its `requestId`. Credentials never reach the log.
 */
import type { FastifyServerOptions } from 'fastify';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Headers and fields replaced by `[redacted]` wherever they appear in a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

/**
 * Fastify `logger` options: `false` for silence (tests), otherwise pino writing JSON to stdout at
 * `level` (default `info`), or to `stream` when given.
 */
export function loggerOptions(
  level: LogLevel | false = 'info',
  stream?: { write(line: string): void },
): FastifyServerOptions['logger'] {
  if (level === false || level === 'silent') return false;
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(stream ? { stream } : {}),
  };
}
