/**
 * HTTP hygiene for a JSON API: security headers (helmet's, with a content security policy that
 * allows nothing, since responses are data, not pages; `/docs` loosens it for its own assets),
 * CORS for an explicit allow-list of origins only, and response compression.
 *
 * The headers do not depend on the request, so helmet runs once at startup and one `onRequest`
 * hook copies its result onto each reply; running helmet's middleware per request re-derived
 * the same twelve headers every time and was a visible share of a small GET's cost.
 */
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

export interface SecurityOptions {
  /**
   * Origins allowed to call the API from a browser (`https://app.example.com`), or `*` for any.
   * Default: none (no CORS headers; same-origin and non-browser clients are unaffected).
   */
  readonly corsOrigins?: readonly string[];
  /**
   * Let pages on `corsOrigins` send the session cookies (`Access-Control-Allow-Credentials`).
   * Needs an explicit list: a browser refuses credentials with `*`, and any origin able to read
   * a signed-in answer could read the CSRF token too.
   */
  readonly corsCredentials?: boolean;
  /** Compress responses larger than 1 KiB when the client accepts it (default true). */
  readonly compression?: boolean;
}

/** The policy for JSON responses: nothing may be loaded, framed or run. */
export const API_CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
  },
};

/** helmet's options for every response (routes may replace the content security policy). */
const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: API_CONTENT_SECURITY_POLICY,
  // API responses are fetched cross-origin by design when CORS allows it.
  crossOriginResourcePolicy: { policy: 'same-site' },
  crossOriginEmbedderPolicy: false,
};

/** The headers helmet sets for these options, lower-cased, computed once. */
/**
 * Every header helmet sets with these options (document headers included), keyed in lower case.
 * The docs page is a document and gets them all; see `apiSecurityHeaders` for JSON answers.
 */
export function securityHeaders(
  contentSecurityPolicy: HelmetOptions['contentSecurityPolicy'] = API_CONTENT_SECURITY_POLICY,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string) {
      headers[name.toLowerCase()] = value;
    },
    removeHeader() {},
  };
  let failure: unknown;
  helmet({ ...HELMET_OPTIONS, contentSecurityPolicy })({} as never, response as never, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure;
  return headers;
}

/**
 * The headers that protect a JSON answer (OWASP REST Security Cheat Sheet): no framing (CSP
 * `frame-ancestors 'none'` and `X-Frame-Options: DENY`), no MIME sniffing, HTTPS only, no
 * referrer, no cross-site embedding, no caching (`Cache-Control: no-store`). Helmet's other headers act on HTML documents a browser
 * renders (opener isolation, agent clusters, DNS prefetch, IE download prompts, Flash
 * cross-domain policies, the retired XSS auditor); each costs every response its bytes and its
 * validation, so API answers leave them out and the docs page, a document, keeps them.
 */
export const API_SECURITY_HEADER_NAMES = [
  'content-security-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'cross-origin-resource-policy',
] as const;

export function apiSecurityHeaders(): Record<string, string> {
  const all = securityHeaders();
  const headers: Record<string, string> = {};
  for (const name of API_SECURITY_HEADER_NAMES) headers[name] = all[name]!;
  headers['x-frame-options'] = 'DENY';
  // Nothing an API answers is kept by a browser or a proxy (OWASP; RFC 6749 5.1 requires it of
  // the token answers): rows, tokens and errors alike. Conditional requests still work for a
  // client that keeps the ETag itself. Routes that may be kept say so (`/openapi.json`, the docs
  // page's assets).
  headers['cache-control'] = 'no-store';
  return headers;
}

export const securityPlugin = fp(
  async (app: FastifyInstance, options: SecurityOptions) => {
    const headers = apiSecurityHeaders();
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
    const origins = options.corsOrigins ?? [];
    if (options.corsCredentials && (origins.length === 0 || origins.includes('*'))) {
      throw new Error('CORS credentials need an explicit list of origins, not none or *');
    }
    if (origins.length > 0) {
      await app.register(cors, {
        origin: origins.includes('*') ? true : [...origins],
        methods: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'],
        allowedHeaders: [
          'Content-Type',
          'Authorization',
          'If-Match',
          'If-None-Match',
          'Idempotency-Key',
          'X-CSRF-Token',
          'X-Request-Id',
        ],
        exposedHeaders: [
          'Allow',
          'ETag',
          'Idempotent-Replayed',
          'Location',
          'Retry-After',
          'X-Request-Id',
          'RateLimit-Limit',
          'RateLimit-Remaining',
          'RateLimit-Reset',
        ],
        credentials: options.corsCredentials === true,
        maxAge: 600,
      });
    }
    if (options.compression !== false) {
      await app.register(compress, { global: true, threshold: 1024, encodings: ['gzip', 'br', 'deflate'] });
    }
  },
  { name: 'architect-security', fastify: '5.x' },
);
