/**
 * The identity routes as a browser and an API client use them: cookies with CSRF protection,
 * API keys (shown once, hashed, bound to roles, revocable), password reset and email
 * verification through the development mailbox, and the three sign-up policies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBlueprint } from '../../../src/blueprint/index.js';
import { CSRF_COOKIE, REFRESH_COOKIE, SESSION_COOKIE } from '../../../src/runtime/auth/cookies.js';
import {
  createIdentityHarness,
  DRIVERS,
  type IdentityHarness,
  PASSWORD,
  withAuth,
} from './identity-harness.js';

describe.each(DRIVERS)('browser sessions, API keys, reset and verification on %s', (kind) => {
  let h: IdentityHarness;

  beforeAll(async () => {
    // Generous sign-in budgets: this suite signs in often; the brute-force suite keeps the defaults.
    const model = await loadBlueprint('examples/saas');
    h = await createIdentityHarness(
      kind,
      withAuth(model, { rateLimits: { ...model.auth.rateLimits, login: { perMinute: 1000 } } }),
    );
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  async function signUp(email: string) {
    const answer = await h.call('POST', '/auth/signup', {
      body: { email, password: PASSWORD, profile: { displayName: email.split('@')[0] } },
    });
    expect(answer.status).toBe(201);
    return answer;
  }

  it('signs up openly: default roles, a session, cookies with httpOnly, Secure and SameSite, a verification message', async () => {
    const answer = await signUp('Grace@Example.com');
    expect(answer.headers.location).toBe('/api/v1/auth/me');
    expect(answer.body.user).toMatchObject({ email: 'grace@example.com', roles: [], emailVerified: false });
    const session = answer.cookies[SESSION_COOKIE]!;
    expect(session.value).toBe(answer.body.accessToken);
    expect(session.attributes).toMatch(/HttpOnly/);
    expect(session.attributes).toMatch(/Secure/);
    expect(session.attributes).toMatch(/SameSite=Lax/);
    expect(answer.cookies[REFRESH_COOKIE]!.attributes).toMatch(
      /HttpOnly.*Secure.*SameSite=Strict|SameSite=Strict.*HttpOnly/s,
    );
    expect(answer.cookies[REFRESH_COOKIE]!.attributes).toMatch(/Path=\/api\/v1\/auth/);
    expect(answer.cookies[CSRF_COOKIE]!.attributes).not.toMatch(/HttpOnly/);
    expect(h.mailbox.latest('grace@example.com')?.data?.purpose).toBe('verify');
    // Nobody picks their own roles, and an address signs up once.
    const roles = await h.call('POST', '/auth/signup', {
      body: {
        email: 'eve@example.com',
        password: PASSWORD,
        roles: ['admin'],
        profile: { displayName: 'Eve' },
      },
    });
    expect(roles.status).toBe(403);
    const again = await h.call('POST', '/auth/signup', {
      body: { email: 'grace@example.com', password: PASSWORD, profile: { displayName: 'G' } },
    });
    expect(again.status).toBe(409);
    // The account row of `auth.users` needs its required fields, and gets no others.
    const noProfile = await h.call('POST', '/auth/signup', {
      body: { email: 'np@example.com', password: PASSWORD },
    });
    expect(noProfile.status).toBe(422);
    const extra = await h.call('POST', '/auth/signup', {
      body: {
        email: 'np@example.com',
        password: PASSWORD,
        profile: { displayName: 'N', lastSeenAt: '2024-01-01T00:00:00Z' },
      },
    });
    expect(extra.status).toBe(422);
    const short = await h.call('POST', '/auth/signup', {
      body: { email: 'x@example.com', password: 'short' },
    });
    expect(short.status).toBe(422);
    expect(short.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('verifies the address with a single-use token', async () => {
    const token = h.mailbox.latest('grace@example.com')!.data!.token!;
    expect((await h.call('POST', '/auth/email-verification/confirm', { body: { token } })).status).toBe(204);
    const reused = await h.call('POST', '/auth/email-verification/confirm', { body: { token } });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('INVALID_TOKEN');
    const login = await h.call('POST', '/auth/login', {
      body: { email: 'grace@example.com', password: PASSWORD },
    });
    expect(login.body.user.emailVerified).toBe(true);
    // Tokens are never kept by a cache (RFC 6749 5.1).
    expect(login.body.accessToken).toEqual(expect.any(String));
    expect(login.headers['cache-control']).toBe('no-store');
    expect(await h.events('email_verified')).toHaveLength(1);
  });

  it('authenticates by cookie and demands the CSRF token on cookie-authenticated writes', async () => {
    const login = await h.call('POST', '/auth/login', {
      body: { email: 'grace@example.com', password: PASSWORD },
    });
    const cookies = {
      [SESSION_COOKIE]: login.cookies[SESSION_COOKIE]!.value,
      [CSRF_COOKIE]: login.cookies[CSRF_COOKIE]!.value,
    };
    const me = await h.call('GET', '/auth/me', { cookies });
    expect(me.status).toBe(200);
    expect(me.body.method).toBe('cookie');

    const noToken = await h.call('POST', '/auth/api-keys', { cookies, body: { name: 'ci' } });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe('CSRF_FAILED');
    const wrongToken = await h.call('POST', '/auth/api-keys', {
      cookies,
      headers: { 'x-csrf-token': 'guess' },
      body: { name: 'ci' },
    });
    expect(wrongToken.body.error.code).toBe('CSRF_FAILED');
    const crossSite = await h.call('POST', '/auth/api-keys', {
      cookies,
      headers: { 'x-csrf-token': cookies[CSRF_COOKIE], origin: 'https://evil.example' },
      body: { name: 'ci' },
    });
    expect(crossSite.body.error.code).toBe('CSRF_FAILED');
    // A matching pair the attacker planted (cookie and header) is not the session's token.
    const planted = await h.call('POST', '/auth/api-keys', {
      cookies: { ...cookies, [CSRF_COOKIE]: 'planted-token' },
      headers: { 'x-csrf-token': 'planted-token' },
      body: { name: 'ci' },
    });
    expect(planted.body.error.code).toBe('CSRF_FAILED');
    const sameSite = await h.call('POST', '/auth/api-keys', {
      cookies,
      headers: { 'x-csrf-token': cookies[CSRF_COOKIE], origin: 'http://localhost:80' },
      body: { name: 'ci' },
    });
    expect(sameSite.status).toBe(201);
    // Bearer clients carry no ambient credentials: no CSRF token needed.
    const bearer = await h.call('POST', '/auth/api-keys', {
      bearer: login.body.accessToken,
      body: { name: 'cli' },
    });
    expect(bearer.status).toBe(201);

    // The refresh cookie is a credential too: refreshing by cookie needs the CSRF token.
    const refreshCookies = {
      [REFRESH_COOKIE]: login.cookies[REFRESH_COOKIE]!.value,
      [CSRF_COOKIE]: cookies[CSRF_COOKIE],
    };
    const forged = await h.call('POST', '/auth/refresh', { cookies: refreshCookies });
    expect(forged.body.error.code).toBe('CSRF_FAILED');
    const refreshed = await h.call('POST', '/auth/refresh', {
      cookies: refreshCookies,
      headers: { 'x-csrf-token': cookies[CSRF_COOKIE] },
    });
    expect(refreshed.status).toBe(200);
    const out = await h.call('POST', '/auth/logout', {
      cookies: { [SESSION_COOKIE]: refreshed.body.accessToken, [CSRF_COOKIE]: refreshed.body.csrfToken },
      headers: { 'x-csrf-token': refreshed.body.csrfToken },
    });
    expect(out.status).toBe(204);
    expect(out.cookies[SESSION_COOKIE]!.value).toBe('');
  });

  it('API keys: shown once, listed without the secret, bound to roles, usable as Bearer, revocable', async () => {
    const adminId = await h.account('root@example.com', ['admin']);
    const login = await h.call('POST', '/auth/login', {
      body: { email: 'root@example.com', password: PASSWORD },
    });
    const bearer = login.body.accessToken as string;
    const created = await h.call('POST', '/auth/api-keys', {
      bearer,
      body: { name: 'deploy', roles: ['admin'] },
    });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    expect(key).toMatch(/^ak_/);
    expect(created.headers.location).toBe(`/api/v1/auth/api-keys/${created.body.apiKey.id}`);
    const stored = await h.driver.query<{ secret_hash: string }>(
      'SELECT secret_hash FROM auth_api_keys WHERE id = $1',
      [created.body.apiKey.id],
    );
    // The secret is base64url, so it may hold `_` itself: everything after the prefix.
    const secret = /^ak_[A-Za-z0-9]{8}_(.+)$/.exec(key)![1]!;
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(stored.rows[0]!.secret_hash).not.toContain(secret);

    const listed = await h.call('GET', '/auth/api-keys', { bearer });
    expect(listed.body.data.map((row: { name: string }) => row.name)).toContain('deploy');
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect((await h.call('GET', `/auth/api-keys/${created.body.apiKey.id}`, { bearer })).body.prefix).toBe(
      created.body.apiKey.prefix,
    );

    const me = await h.call('GET', '/auth/me', { bearer: key });
    expect(me.body).toMatchObject({ id: adminId, method: 'api_key', roles: ['admin'] });
    const escalate = await h.call('POST', '/auth/api-keys', {
      bearer,
      body: { name: 'x', roles: ['owner'] },
    });
    expect(escalate.status).toBe(403);
    const keyMakesKey = await h.call('POST', '/auth/api-keys', { bearer: key, body: { name: 'child' } });
    expect(keyMakesKey.status).toBe(403);

    expect((await h.call('DELETE', `/auth/api-keys/${created.body.apiKey.id}`, { bearer })).status).toBe(204);
    expect((await h.call('GET', '/auth/me', { bearer: key })).status).toBe(401);
    const other = await h.call('DELETE', '/auth/api-keys/01900000-0000-7000-8000-000000000000', { bearer });
    expect(other.status).toBe(404);
    const events = (await h.events()).map((row) => row.event);
    expect(events).toEqual(expect.arrayContaining(['api_key_created', 'api_key_revoked']));
    const createdEvent = (await h.events('api_key_created')).at(-1)!;
    expect(createdEvent).toMatchObject({
      user_id: adminId,
      ip: '127.0.0.1',
      request_id: created.headers['x-request-id'],
    });
  });

  it('pages the key list with limit and cursor', async () => {
    const login = await h.call('POST', '/auth/login', {
      body: { email: 'root@example.com', password: PASSWORD },
    });
    const bearer = login.body.accessToken as string;
    for (const name of ['a', 'b', 'c']) await h.call('POST', '/auth/api-keys', { bearer, body: { name } });
    const first = await h.call('GET', '/auth/api-keys?limit=2', { bearer });
    expect(first.body.data).toHaveLength(2);
    const second = await h.call('GET', `/auth/api-keys?limit=2&cursor=${first.body.page.nextCursor}`, {
      bearer,
    });
    expect(second.body.data[0].id).not.toBe(first.body.data[1].id);
    expect(second.body.data[0].id > first.body.data[1].id).toBe(true);
  });

  it('resets a password with a single-use token, without saying whether an address exists', async () => {
    const before = await h.call('POST', '/auth/login', {
      body: { email: 'grace@example.com', password: PASSWORD },
    });
    const unknown = await h.call('POST', '/auth/password-reset', { body: { email: 'nobody@example.com' } });
    expect(unknown.status).toBe(202);
    expect(h.mailbox.latest('nobody@example.com')).toBeUndefined();
    const known = await h.call('POST', '/auth/password-reset', { body: { email: 'grace@example.com' } });
    expect(known.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    const token = h.mailbox.latest('grace@example.com')!.data!.token!;
    const stored = await h.driver.query('SELECT 1 FROM auth_one_time_tokens WHERE token_hash = $1', [token]);
    expect(stored.rows).toHaveLength(0);

    const changed = await h.call('POST', '/auth/password-reset/confirm', {
      body: { token, password: 'a brand new passphrase' },
    });
    expect(changed.status).toBe(204);
    const twice = await h.call('POST', '/auth/password-reset/confirm', {
      body: { token, password: 'another one here' },
    });
    expect(twice.body.error.code).toBe('INVALID_TOKEN');
    const old = await h.call('POST', '/auth/login', {
      body: { email: 'grace@example.com', password: PASSWORD },
    });
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('INVALID_CREDENTIALS');
    const fresh = await h.call('POST', '/auth/login', {
      body: { email: 'grace@example.com', password: 'a brand new passphrase' },
    });
    expect(fresh.status).toBe(200);
    // Sessions opened before the reset are over.
    const stale = await h.call('POST', '/auth/refresh', { body: { refreshToken: before.body.refreshToken } });
    expect(stale.status).toBe(401);
  });

  it('keeps the contract on every answer', () => {
    expect(h.violations).toEqual([]);
  });
});

describe.each(DRIVERS)('sign-up policies on %s', (kind) => {
  it('admin: only an admin creates accounts, with roles, and gets the account, not a session', async () => {
    const h = await createIdentityHarness(kind, 'examples/inventory');
    try {
      const body = { email: 'buyer@example.com', password: PASSWORD, roles: ['purchaser'] };
      const anonymous = await h.call('POST', '/auth/signup', { body });
      expect(anonymous.status).toBe(401);
      await h.account('viewer@example.com', ['viewer']);
      await h.account('boss@example.com', ['admin']);
      const viewer = await h.call('POST', '/auth/login', {
        body: { email: 'viewer@example.com', password: PASSWORD },
      });
      expect((await h.call('POST', '/auth/signup', { bearer: viewer.body.accessToken, body })).status).toBe(
        403,
      );
      const admin = await h.call('POST', '/auth/login', {
        body: { email: 'boss@example.com', password: PASSWORD },
      });
      const created = await h.call('POST', '/auth/signup', { bearer: admin.body.accessToken, body });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ email: 'buyer@example.com', roles: ['purchaser'] });
      expect(created.body.accessToken).toBeUndefined();
      const unknownRole = await h.call('POST', '/auth/signup', {
        bearer: admin.body.accessToken,
        body: { ...body, email: 'x@example.com', roles: ['god'] },
      });
      expect(unknownRole.status).toBe(422);
      expect(h.violations).toEqual([]);
    } finally {
      await h.close();
    }
  }, 60_000);

  it('invite: sign-up needs an invitation for that address, used once', async () => {
    const model = withAuth(await loadBlueprint('examples/inventory'), {
      signup: 'invite',
      defaultRoles: ['viewer'],
    });
    const h = await createIdentityHarness(kind, model);
    try {
      const closed = await h.call('POST', '/auth/signup', {
        body: { email: 'new@example.com', password: PASSWORD },
      });
      expect(closed.status).toBe(403);
      expect(closed.body.error.code).toBe('SIGNUP_CLOSED');
      await h.account('boss@example.com', ['admin']);
      const admin = await h.call('POST', '/auth/login', {
        body: { email: 'boss@example.com', password: PASSWORD },
      });
      const invited = await h.call('POST', '/auth/invitations', {
        bearer: admin.body.accessToken,
        body: { email: 'new@example.com', roles: ['purchaser'] },
      });
      expect(invited.status).toBe(202);
      const invitation = h.mailbox.latest('new@example.com')!.data!.token!;
      const wrongAddress = await h.call('POST', '/auth/signup', {
        body: { email: 'other@example.com', password: PASSWORD, invitation },
      });
      expect(wrongAddress.body.error.code).toBe('INVALID_TOKEN');
      // An invitation is tried once: the wrong address used it up.
      const spent = await h.call('POST', '/auth/signup', {
        body: { email: 'new@example.com', password: PASSWORD, invitation },
      });
      expect(spent.body.error.code).toBe('INVALID_TOKEN');
      const invitation2 = (
        await h.call('POST', '/auth/invitations', {
          bearer: admin.body.accessToken,
          body: { email: 'new@example.com', roles: ['purchaser'] },
        })
      ).status;
      expect(invitation2).toBe(202);
      const token = h.mailbox.latest('new@example.com')!.data!.token!;
      const joined = await h.call('POST', '/auth/signup', {
        body: { email: 'new@example.com', password: PASSWORD, invitation: token },
      });
      expect(joined.status).toBe(201);
      expect(joined.body.user).toMatchObject({ roles: ['purchaser'], emailVerified: true });
      const reused = await h.call('POST', '/auth/signup', {
        body: { email: 'new@example.com', password: PASSWORD, invitation: token },
      });
      expect(reused.status).toBe(409);
      expect(reused.body.error.code).toBe('UNIQUE_VIOLATION');
      expect(h.violations).toEqual([]);
    } finally {
      await h.close();
    }
  }, 60_000);

  it('answers in the blueprint JSON case (snake)', async () => {
    const chat = await loadBlueprint('examples/chat');
    const h = await createIdentityHarness(kind, withAuth(chat, { methods: ['password', 'jwt'] }));
    try {
      await h.account('sam@example.com');
      const login = await h.call('POST', '/auth/login', {
        body: { email: 'sam@example.com', password: PASSWORD },
      });
      expect(login.status).toBe(200);
      expect(login.body.access_token).toBeDefined();
      const refreshed = await h.call('POST', '/auth/refresh', {
        body: { refresh_token: login.body.refresh_token },
      });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.user.email_verified).toBe(true);
      expect(h.violations).toEqual([]);
    } finally {
      await h.close();
    }
  }, 60_000);
});
