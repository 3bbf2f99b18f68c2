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

/** Seconds of clock skew accepted on `exp` and `nbf`. */
const CLOCK_TOLERANCE_S = 5;
/** Verified tokens remembered per key pair: a client reuses its token for every request. */
const VERIFIED_CAPACITY = 10_000;

interface Verified {
  readonly claims: AccessClaims;
  readonly notBefore: number;
  readonly expires: number;
}

/**
 * Tokens whose signature and claims were checked, by key pair, until they expire. The entry is
 * keyed by the whole token text (signature included) with the issuer and audience it was
 * checked for, so only a byte-identical token hits; `exp` and `nbf` are checked again on every
 * hit, so a remembered token is refused from the second it expires. An access token cannot be
 * revoked before it expires either way; remembering it only saves the signature check (an
 * Ed25519 verify costs about as much as the rest of a GET by id).
 */
const verifiedTokens = new WeakMap<SigningKeys, Map<string, Verified>>();

function remembered(keys: SigningKeys, key: string): AccessClaims | undefined {
  const entry = verifiedTokens.get(keys)?.get(key);
  if (!entry) return undefined;
  const now = Date.now() / 1000;
  if (now >= entry.expires + CLOCK_TOLERANCE_S || now < entry.notBefore - CLOCK_TOLERANCE_S) {
    verifiedTokens.get(keys)!.delete(key);
    return undefined;
  }
  return entry.claims;
}

function remember(keys: SigningKeys, key: string, entry: Verified): void {
  let cache = verifiedTokens.get(keys);
  if (!cache) {
    cache = new Map();
    verifiedTokens.set(keys, cache);
  }
  // Oldest first out: Map keeps insertion order.
  if (cache.size >= VERIFIED_CAPACITY) cache.delete(cache.keys().next().value!);
  cache.set(key, entry);
}

/** The claims of a valid token, or 401 `UNAUTHENTICATED` for anything else. */
export async function verifyAccessToken(
  keys: SigningKeys,
  settings: TokenSettings,
  token: string,
): Promise<AccessClaims> {
  const cacheKey = `${settings.issuer}\n${settings.audience}\n${token}`;
  const known = remembered(keys, cacheKey);
  if (known) return known;
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, {
      algorithms: [keys.algorithm],
      issuer: settings.issuer,
      audience: settings.audience,
      typ: 'at+jwt',
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['sub', 'exp', 'iat', 'nbf'],
    });
    const roles = Array.isArray(payload.roles)
      ? payload.roles.filter((role) => typeof role === 'string')
      : [];
    const claims: AccessClaims = {
      sub: payload.sub!,
      roles,
      tid: typeof payload.tid === 'string' ? payload.tid : undefined,
      sid: typeof payload.sid === 'string' ? payload.sid : undefined,
      csh: typeof payload.csh === 'string' ? payload.csh : undefined,
    };
    remember(keys, cacheKey, { claims, notBefore: payload.nbf!, expires: payload.exp! });
    return claims;
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
