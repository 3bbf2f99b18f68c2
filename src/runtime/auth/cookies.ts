/**
 * Browser sessions: the access token in `architect_session` and the refresh token in
 * `architect_refresh` (both httpOnly, Secure, SameSite), and the CSRF token in `architect_csrf`
 * (readable by the page's script, so it can echo it).
 *
 * CSRF protection is the double-submit cookie (OWASP "Double Submit Cookie") with an Origin
 * check: a state-changing request authenticated by a cookie must send `X-CSRF-Token` equal to
 * the `architect_csrf` cookie (compared in constant time), and, when the browser sends
 * `Origin`, it must be this server or an allowed CORS origin. A cross-site page can make the
 * browser send the cookies but can neither read the CSRF cookie nor set the header. The access
 * token carries the SHA-256 of its session's CSRF token, so the pair is bound to the session.
 * Bearer clients carry no ambient credentials and are not checked.
 *
 * A page on another site (`--cors-credentials --cross-site-cookies`) gets the three cookies with
 * `SameSite=None`, which a browser needs to send them on its cross-site requests. It cannot read
 * `architect_csrf` (a cookie belongs to the API's host), so it keeps the `csrfToken` of the
 * session answer, or asks `GET <base>/auth/csrf` for it again after a reload; only an allowed
 * origin can read that answer. The Origin check and the token bound to the session still apply.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../../design/openapi/components.js';
import { ArchitectError } from '../../errors.js';
import { safeEqual, sha256 } from './secrets.js';

export { SESSION_COOKIE };
export const REFRESH_COOKIE = 'architect_refresh';
export const CSRF_COOKIE = 'architect_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface CookieSettings {
  /** `Secure` cookies (default true; browsers accept them on http://localhost too). */
  readonly secure: boolean;
  /** Path the refresh cookie is sent to: `<base path>/auth`. */
  readonly refreshPath: string;
  /** `SameSite=None` on all three, for pages on another site (needs `secure`). */
  readonly crossSite?: boolean;
}

export interface SessionCookies {
  readonly accessToken: string;
  readonly accessTtlSeconds: number;
  readonly refreshToken: string;
  readonly refreshExpiresAt: string;
  readonly csrfToken: string;
}

/** Set the three session cookies (needs `@fastify/cookie`). */
export function setSessionCookies(
  reply: FastifyReply,
  settings: CookieSettings,
  session: SessionCookies,
): void {
  const refreshMaxAge = Math.max(
    0,
    Math.floor((new Date(session.refreshExpiresAt).getTime() - Date.now()) / 1000),
  );
  const sameSite = (own: 'lax' | 'strict') => (settings.crossSite ? 'none' : own);
  // Partitioned (CHIPS): a browser that blocks third-party cookies still keeps these, keyed to
  // the page's site, which is the only site that uses them.
  const partitioned = settings.crossSite === true;
  reply.setCookie(SESSION_COOKIE, session.accessToken, {
    httpOnly: true,
    secure: settings.secure,
    sameSite: sameSite('lax'),
    partitioned,
    path: '/',
    maxAge: session.accessTtlSeconds,
  });
  reply.setCookie(REFRESH_COOKIE, session.refreshToken, {
    httpOnly: true,
    secure: settings.secure,
    sameSite: sameSite('strict'),
    partitioned,
    path: settings.refreshPath,
    maxAge: refreshMaxAge,
  });
  reply.setCookie(CSRF_COOKIE, session.csrfToken, {
    httpOnly: false,
    secure: settings.secure,
    sameSite: sameSite('strict'),
    partitioned,
    path: '/',
    maxAge: refreshMaxAge,
  });
}

/**
 * Expire the three cookies, with the attributes they were set with: a browser takes a cookie
 * from a cross-site answer only when it is `SameSite=None; Secure`, removals included.
 */
export function clearSessionCookies(reply: FastifyReply, settings: CookieSettings): void {
  const attributes = settings.crossSite ? { secure: true, sameSite: 'none' as const, partitioned: true } : {};
  reply.clearCookie(SESSION_COOKIE, { ...attributes, path: '/' });
  reply.clearCookie(REFRESH_COOKIE, { ...attributes, path: settings.refreshPath });
  reply.clearCookie(CSRF_COOKIE, { ...attributes, path: '/' });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** Origin `https://app.example.com` is this server (same host) or on the allow-list. */
function isAllowedOrigin(origin: string, request: FastifyRequest, allowed: readonly string[]): boolean {
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  try {
    // Both through URL, so a default port written out (`:443`, `:80`) compares equal.
    const server = new URL(`${request.protocol}://${request.host}`);
    return new URL(origin).origin === server.origin;
  } catch {
    return false;
  }
}

/**
 * Throws 403 `CSRF_FAILED` unless the request proves it comes from the site's own pages. With
 * `sessionHash` (the `csh` claim of the session's access token) the token must also be the one
 * issued with that session (the signed variant of the double submit), so a cookie planted by a
 * sibling subdomain does not pass.
 */
export function checkCsrf(
  request: FastifyRequest,
  allowedOrigins: readonly string[],
  sessionHash?: string,
): void {
  const origin = request.headers.origin;
  if (origin !== undefined && !isAllowedOrigin(origin, request, allowedOrigins)) {
    throw new ArchitectError('CSRF_FAILED');
  }
  const header = request.headers[CSRF_HEADER];
  const cookie = request.cookies?.[CSRF_COOKIE];
  if (typeof header !== 'string' || !cookie || !safeEqual(header, cookie)) {
    throw new ArchitectError('CSRF_FAILED');
  }
  if (sessionHash !== undefined && !safeEqual(sha256(header), sessionHash)) {
    throw new ArchitectError('CSRF_FAILED');
  }
}
