/**
 * Structured JSON logs (pino, through Fastify): one line per event, each request's lines carrying
 * its `requestId`. Credentials never reach the log.
 */
import { type FastifyReply, type FastifyRequest, type FastifyServerOptions, LogController } from 'fastify';

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

/**
 * One line per request at `info`, when it is answered: method, URL, route template, client
 * address (from a trusted proxy's `X-Forwarded-For` with `trustProxy`), status and time in ms,
 * so a slow or failing request is read from one line, not joined from two by request id. Its
 * arrival is logged at `debug`.
 */
export class RequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    // Flat, so log queries need no nesting (pino's `req`/`res` serializers expect the objects).
    const fields = {
      method: request.method,
      url: request.url,
      route: request.routeOptions.url,
      remoteAddress: request.ip,
      statusCode: reply.statusCode,
      responseTime: reply.elapsedTime,
    };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else reply.log.info(fields, 'request completed');
  }
}
