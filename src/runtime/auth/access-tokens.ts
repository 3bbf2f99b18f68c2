/**
 * Short-lived access tokens: JWTs signed with the asymmetric key pair, verified with an explicit
 * algorithm allow-list (so `alg: none` and HMAC-with-the-public-key tricks fail), issuer,
 * audience, expiry and not-before, with a small clock tolerance.
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import { ArchitectError } from '../../errors.js';
import type { SigningKeys } from './keys.js';

export interface AccessClaims {
  /** Account id. */
  readonly sub: string;
  /** Roles at issue time (account roles plus the membership role in the tenant). */
  readonly roles: readonly string[];
  /** Active tenant. */
  readonly tid?: string;
  /** Refresh family the token was issued from (logout revokes it). */
  readonly sid?: string;
  /** SHA-256 of the session's CSRF token: binds the double-submit token to this session. */
  readonly csh?: string;
}

export interface TokenSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
}

export async function signAccessToken(
  keys: SigningKeys,
  settings: TokenSettings,
  claims: AccessClaims,
): Promise<string> {
  const payload: Record<string, unknown> = { roles: [...claims.roles] };
  if (claims.tid) payload.tid = claims.tid;
  if (claims.sid) payload.sid = claims.sid;
  if (claims.csh) payload.csh = claims.csh;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: keys.algorithm, kid: keys.keyId, typ: 'at+jwt' })
    .setSubject(claims.sub)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime(`${settings.ttlSeconds}s`)
    .sign(keys.privateKey);
}

/** Looks like a JWT (three base64url parts); API keys never do. */
export function isJwtShaped(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

/** The claims of a valid token, or 401 `UNAUTHENTICATED` for anything else. */
export async function verifyAccessToken(
  keys: SigningKeys,
  settings: TokenSettings,
  token: string,
): Promise<AccessClaims> {
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, {
      algorithms: [keys.algorithm],
      issuer: settings.issuer,
      audience: settings.audience,
      typ: 'at+jwt',
      clockTolerance: 5,
      requiredClaims: ['sub', 'exp', 'iat', 'nbf'],
    });
    const roles = Array.isArray(payload.roles)
      ? payload.roles.filter((role) => typeof role === 'string')
      : [];
    return {
      sub: payload.sub!,
      roles,
      tid: typeof payload.tid === 'string' ? payload.tid : undefined,
      sid: typeof payload.sid === 'string' ? payload.sid : undefined,
      csh: typeof payload.csh === 'string' ? payload.csh : undefined,
    };
  } catch (error) {
    const reason = error instanceof errors.JWTExpired ? 'expired' : 'invalid';
    throw new ArchitectError('UNAUTHENTICATED', {}, { cause: error, headers: bearerChallenge(reason) });
  }
}

export function bearerChallenge(reason: 'expired' | 'invalid' | 'missing'): Record<string, string> {
  if (reason === 'missing') return { 'www-authenticate': 'Bearer' };
  const description = reason === 'expired' ? 'The access token expired' : 'The access token is not valid';
  return { 'www-authenticate': `Bearer error="invalid_token", error_description="${description}"` };
}
