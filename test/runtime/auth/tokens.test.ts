/**
 * Adversarial token suite: every forged, stale or misdirected access token is 401 with the error
 * envelope and a Bearer challenge, by header and by cookie; refresh tokens rotate, and reuse
 * revokes the whole family so that the legitimate holder's next refresh fails too.
 */
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../../src/runtime/auth/cookies.js';
import { NO_SERVER_REASON } from '../../support/postgres.js';
import { createIdentityHarness, DRIVERS, type IdentityHarness, PASSWORD } from './identity-harness.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe.each(DRIVERS)('access and refresh tokens on %s', (kind) => {
  let h: IdentityHarness;
  let userId: string;
  let session: { accessToken: string; refreshToken: string };

  beforeAll(async () => {
    h = await createIdentityHarness(kind);
    const signup = await h.call('POST', '/auth/signup', {
      body: { email: 'ada@example.com', password: PASSWORD, profile: { displayName: 'Ada' } },
    });
    expect(signup.status).toBe(201);
    userId = signup.body.user.id;
    session = signup.body;
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  /** A token with the API's issuer, audience and type, signed as `claims` and `sign` say. */
  async function forge(
    overrides: { aud?: string; iss?: string; exp?: number; nbf?: number; typ?: string } = {},
    key = h.identity.context.keys.privateKey,
    alg: string = h.identity.context.keys.algorithm,
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg, typ: overrides.typ ?? 'at+jwt' })
      .setSubject(userId)
      .setIssuer(overrides.iss ?? h.identity.context.tokens.issuer)
      .setAudience(overrides.aud ?? h.identity.context.tokens.audience)
      .setIssuedAt(now)
      .setNotBefore(overrides.nbf ?? now)
      .setExpirationTime(overrides.exp ?? now + 600)
      .sign(key);
  }

  const cases: [string, () => Promise<string>][] = [
    [
      'alg none',
      async () => {
        const now = Math.floor(Date.now() / 1000);
        return `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64({
          sub: userId,
          roles: ['admin'],
          iss: h.identity.context.tokens.issuer,
          aud: h.identity.context.tokens.audience,
          iat: now,
          nbf: now,
          exp: now + 600,
        })}.`;
      },
    ],
    ['a wrong key', async () => forge({}, (await generateKeyPair('EdDSA')).privateKey)],
    [
      'HS256 keyed with the public key',
      async () => {
        const { exportSPKI } = await import('jose');
        const secret = new TextEncoder().encode(await exportSPKI(h.identity.context.keys.publicKey));
        return forge({}, secret as never, 'HS256');
      },
    ],
    ['expired', async () => forge({ exp: Math.floor(Date.now() / 1000) - 120 })],
    ['not yet valid', async () => forge({ nbf: Math.floor(Date.now() / 1000) + 3600 })],
    [
      'tampered claims',
      async () => {
        const [header, payload, signature] = session.accessToken.split('.');
        const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
        return `${header}.${b64({ ...claims, roles: ['admin'] })}.${signature}`;
      },
    ],
    ['a wrong audience', async () => forge({ aud: 'urn:architect:other:api' })],
    ['a wrong issuer', async () => forge({ iss: 'urn:architect:other' })],
    ['not an access token (typ)', async () => forge({ typ: 'JWT' })],
    ['garbage', async () => 'not-a-token'],
  ];

  it('accepts its own access token', async () => {
    const me = await h.call('GET', '/auth/me', { bearer: session.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: userId, email: 'ada@example.com', method: 'jwt' });
  });

  it.each(cases)('refuses a token with %s: 401 by header and by cookie', async (_name, make) => {
    const token = await make();
    const byHeader = await h.call('GET', '/auth/me', { bearer: token });
    expect(byHeader.status).toBe(401);
    expect(byHeader.body.error.code).toBe('UNAUTHENTICATED');
    expect(byHeader.body.error.requestId).toBe(byHeader.headers['x-request-id']);
    expect(byHeader.headers['www-authenticate']).toMatch(/^Bearer/);
    const byCookie = await h.call('GET', '/auth/me', { cookies: { [SESSION_COOKIE]: token } });
    expect(byCookie.status).toBe(401);
    expect(byCookie.body.error.code).toBe('UNAUTHENTICATED');
    // A resource route too: a bad credential never falls back to anonymous.
    const list = await h.call('GET', '/organizations', { bearer: token });
    expect(list.status).toBe(401);
  });

  it('refuses other schemes and a bearer without a token', async () => {
    for (const authorization of ['Basic YWRhOnB3', 'Bearer', 'Bearer a b', `Token ${session.accessToken}`]) {
      const answer = await h.call('GET', '/auth/me', { headers: { authorization } });
      expect(answer.status, authorization).toBe(401);
    }
  });

  it('rotates refresh tokens; reuse revokes the family and the legitimate next refresh fails', async () => {
    const login = await h.call('POST', '/auth/login', {
      body: { email: 'ada@example.com', password: PASSWORD },
    });
    expect(login.status).toBe(200);
    const first = login.body.refreshToken as string;
    const rotated = await h.call('POST', '/auth/refresh', { body: { refreshToken: first } });
    expect(rotated.status).toBe(200);
    const second = rotated.body.refreshToken as string;
    expect(second).not.toBe(first);
    expect((await h.call('GET', '/auth/me', { bearer: rotated.body.accessToken })).status).toBe(200);

    // A thief replays the first token: refused, and the family is revoked.
    const replay = await h.call('POST', '/auth/refresh', { body: { refreshToken: first } });
    expect(replay.status).toBe(401);
    expect(replay.body.error.message).toMatch(/already used/);
    // The legitimate holder's current token no longer works either, nor the session's access tokens.
    const holder = await h.call('POST', '/auth/refresh', { body: { refreshToken: second } });
    expect(holder.status).toBe(401);
    expect((await h.call('GET', '/auth/me', { bearer: rotated.body.accessToken })).status).toBe(401);
    const reused = await h.events('refresh_reused');
    expect(reused).toHaveLength(1);
    expect(reused[0]).toMatchObject({
      user_id: userId,
      ip: '127.0.0.1',
      request_id: replay.headers['x-request-id'],
    });
  });

  it('refuses unknown refresh tokens, and logout revokes the session family and its access tokens', async () => {
    expect((await h.call('POST', '/auth/refresh', { body: { refreshToken: 'rt_nope' } })).status).toBe(401);
    expect((await h.call('POST', '/auth/refresh', { body: {} })).status).toBe(401);
    const login = await h.call('POST', '/auth/login', {
      body: { email: 'ada@example.com', password: PASSWORD },
    });
    expect((await h.call('GET', '/auth/me', { bearer: login.body.accessToken })).status).toBe(200);
    const out = await h.call('POST', '/auth/logout', { bearer: login.body.accessToken });
    expect(out.status).toBe(204);
    const after = await h.call('POST', '/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(after.status).toBe(401);
    // The signed-out session's access token ends with it, by header and by cookie, long before
    // it would expire; another session of the same person is untouched.
    const me = await h.call('GET', '/auth/me', { bearer: login.body.accessToken });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('UNAUTHENTICATED');
    expect(
      (await h.call('GET', '/auth/me', { cookies: { [SESSION_COOKIE]: login.body.accessToken } })).status,
    ).toBe(401);
    expect((await h.call('GET', '/auth/me', { bearer: session.accessToken })).status).toBe(200);
  });

  it('keeps the contract on every answer', () => {
    expect(h.violations).toEqual([]);
  });
});

if (!DRIVERS.includes('postgres')) {
  describe('the PostgreSQL run of this suite', () => {
    it.skip(`is skipped: ${NO_SERVER_REASON}`, () => {});
  });
}
