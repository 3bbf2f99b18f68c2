/**
 * Who is calling: `Authorization: Bearer <JWT or API key>`, else the `architect_session`
 * cookie, else nobody. Any credential that is presented must be valid: a bad, expired,
 * not-yet-valid, tampered, wrongly signed (`alg: none` included) or wrong-audience token is 401
 * `UNAUTHENTICATED`, never a silent fall back to anonymous. The one exception is a stale
 * session cookie on the routes that exist to replace it (login, refresh, sign-up ...).
 */
import type { FastifyRequest } from 'fastify';
import { ArchitectError } from '../../errors.js';
import { bearerChallenge, isJwtShaped, verifyAccessToken } from './access-tokens.js';
import { isApiKeyShaped, touchApiKey, verifyApiKey } from './api-keys.js';
import { SESSION_COOKIE } from './cookies.js';
import type { IdentityContext } from './identity-context.js';
import type { AuthPrincipal } from './principal.js';

/** Route config flag of routes that ignore an invalid session cookie. */
export interface AuthRouteConfig {
  readonly ignoreStaleSession?: boolean;
}

function unauthenticated(reason: 'invalid' | 'missing' = 'invalid'): ArchitectError {
  return new ArchitectError('UNAUTHENTICATED', {}, { headers: bearerChallenge(reason) });
}

async function fromAccessToken(
  context: IdentityContext,
  token: string,
  method: 'jwt' | 'cookie',
): Promise<AuthPrincipal> {
  const claims = await verifyAccessToken(context.keys, context.tokens, token);
  // A signed-out (or reused, or reset) session's access tokens end with it.
  if (claims.sid && (await context.sessions.isRevoked(claims.sid))) throw unauthenticated();
  return {
    id: claims.sub,
    userId: claims.sub,
    roles: claims.roles,
    ...(claims.tid ? { tenantId: claims.tid } : {}),
    method,
    ...(claims.sid ? { sessionId: claims.sid } : {}),
    ...(claims.csh ? { csrfHash: claims.csh } : {}),
  };
}

async function fromApiKey(context: IdentityContext, key: string): Promise<AuthPrincipal> {
  const owner = await verifyApiKey(context.driver, key);
  if (!owner) throw unauthenticated();
  await touchApiKey(context.driver, owner.keyId);
  return {
    id: owner.userId,
    userId: owner.userId,
    roles: owner.roles,
    ...(owner.tenantId ? { tenantId: owner.tenantId } : {}),
    method: 'api_key',
    keyId: owner.keyId,
  };
}

/** The caller of a request, or null; throws 401 for credentials that do not hold. */
export async function authenticate(
  context: IdentityContext,
  request: FastifyRequest,
): Promise<AuthPrincipal | null> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer +([^\s]+) *$/i.exec(header);
    if (!match) throw unauthenticated();
    const token = match[1]!;
    if (isJwtShaped(token)) return fromAccessToken(context, token, 'jwt');
    if (context.acceptsApiKeys && isApiKeyShaped(token)) return fromApiKey(context, token);
    throw unauthenticated();
  }
  const cookie = request.cookies?.[SESSION_COOKIE];
  if (!cookie) return null;
  try {
    return await fromAccessToken(context, cookie, 'cookie');
  } catch (error) {
    const config = request.routeOptions?.config as AuthRouteConfig | undefined;
    if (config?.ignoreStaleSession) return null;
    throw error;
  }
}
