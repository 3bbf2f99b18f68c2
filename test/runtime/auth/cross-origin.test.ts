/**
 * A browser session from a page on another site (`corsCredentials` with `crossSiteCookies`):
 * the preflight allows the cookies and the CSRF header, the cookies are `SameSite=None; Secure`,
 * the page keeps the CSRF token from the session answer or asks `/auth/csrf` for it after a
 * reload, and a page on an origin that is not allowed gets neither the answers nor the writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBlueprint } from '../../../src/blueprint/index.js';
import { CSRF_COOKIE, REFRESH_COOKIE, SESSION_COOKIE } from '../../../src/runtime/auth/cookies.js';
import { createIdentity } from '../../../src/runtime/auth/identity-plugin.js';
import { createDriver } from '../../../src/runtime/db/index.js';
import { createApp } from '../../../src/runtime/server/index.js';
import { createIdentityHarness, DRIVERS, type IdentityHarness, PASSWORD } from './identity-harness.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';

describe.each(DRIVERS)('cookie sessions from a page on another site, on %s', (kind) => {
  let h: IdentityHarness;

  beforeAll(async () => {
    h = await createIdentityHarness(kind, 'examples/saas', {
      cors: { origins: [APP], credentials: true, crossSiteCookies: true },
    });
    await h.account('ada@example.com');
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  async function signIn() {
    const login = await h.call('POST', '/auth/login', {
      headers: { origin: APP },
      body: { email: 'ada@example.com', password: PASSWORD },
    });
    expect(login.status).toBe(200);
    return login;
  }

  it('answers the preflight of a cookie write: credentials allowed, X-CSRF-Token allowed', async () => {
    const preflight = await h.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/auth/api-keys',
      headers: {
        origin: APP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-csrf-token',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(APP);
    expect(preflight.headers['access-control-allow-credentials']).toBe('true');
    expect(preflight.headers['access-control-allow-headers']).toContain('X-CSRF-Token');
    const other = await h.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/auth/api-keys',
      headers: { origin: EVIL, 'access-control-request-method': 'POST' },
    });
    // Without Allow-Origin the browser refuses the write, whatever else the answer says.
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sets SameSite=None; Secure cookies, and takes a write with the token of the session answer', async () => {
    const login = await signIn();
    expect(login.headers['access-control-allow-credentials']).toBe('true');
    for (const name of [SESSION_COOKIE, REFRESH_COOKIE, CSRF_COOKIE]) {
      expect(login.cookies[name]!.attributes).toMatch(/SameSite=None/);
      expect(login.cookies[name]!.attributes).toMatch(/Secure/);
      // CHIPS: kept by browsers that block third-party cookies, keyed to the page's site.
      expect(login.cookies[name]!.attributes).toMatch(/Partitioned/);
    }
    const cookies = {
      [SESSION_COOKIE]: login.cookies[SESSION_COOKIE]!.value,
      [CSRF_COOKIE]: login.cookies[CSRF_COOKIE]!.value,
    };
    const write = await h.call('POST', '/auth/api-keys', {
      cookies,
      headers: { origin: APP, 'x-csrf-token': login.body.csrfToken },
      body: { name: 'from the app' },
    });
    expect(write.status).toBe(201);
    expect(write.headers['access-control-allow-origin']).toBe(APP);
    expect(write.headers['access-control-allow-credentials']).toBe('true');

    // The browser sends the cookies to a page on any site; only the allowed one gets through.
    const forged = await h.call('POST', '/auth/api-keys', {
      cookies,
      headers: { origin: EVIL, 'x-csrf-token': login.body.csrfToken },
      body: { name: 'forged' },
    });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('CSRF_FAILED');
    expect(forged.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('gives the CSRF token back after a reload, even once the access token has expired, so the page can refresh', async () => {
    const login = await signIn();
    const csrf = login.cookies[CSRF_COOKIE]!.value;
    const again = await h.call('GET', '/auth/csrf', {
      cookies: { [SESSION_COOKIE]: 'expired.or.garbled', [CSRF_COOKIE]: csrf },
      headers: { origin: APP },
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ csrfToken: login.body.csrfToken });
    expect(again.headers['access-control-allow-credentials']).toBe('true');
    expect(again.headers['cache-control']).toBe('no-store');
    // A page elsewhere can make the browser ask, but not read the answer.
    const elsewhere = await h.call('GET', '/auth/csrf', {
      cookies: { [CSRF_COOKIE]: csrf },
      headers: { origin: EVIL },
    });
    expect(elsewhere.headers['access-control-allow-origin']).toBeUndefined();

    const refreshed = await h.call('POST', '/auth/refresh', {
      cookies: { [REFRESH_COOKIE]: login.cookies[REFRESH_COOKIE]!.value, [CSRF_COOKIE]: csrf },
      headers: { origin: APP, 'x-csrf-token': again.body.csrfToken },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.cookies[SESSION_COOKIE]!.attributes).toMatch(/SameSite=None/);

    const none = await h.call('GET', '/auth/csrf', { headers: { origin: APP } });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('clears the cookies with the attributes a cross-site answer needs', async () => {
    const login = await signIn();
    const out = await h.call('POST', '/auth/logout', {
      cookies: {
        [SESSION_COOKIE]: login.cookies[SESSION_COOKIE]!.value,
        [CSRF_COOKIE]: login.cookies[CSRF_COOKIE]!.value,
      },
      headers: { origin: APP, 'x-csrf-token': login.body.csrfToken },
    });
    expect(out.status).toBe(204);
    for (const name of [SESSION_COOKIE, REFRESH_COOKIE, CSRF_COOKIE]) {
      expect(out.cookies[name]!.value).toBe('');
      expect(out.cookies[name]!.attributes).toMatch(/SameSite=None/);
      expect(out.cookies[name]!.attributes).toMatch(/Secure/);
      expect(out.cookies[name]!.attributes).toMatch(/Partitioned/);
    }
  });

  it('answers every request as the OpenAPI document says', () => {
    expect(h.violations).toEqual([]);
  });
});

describe('cross-origin cookie settings that cannot work', () => {
  it('refuses credentials for any origin, and cross-site cookies without Secure', async () => {
    const model = await loadBlueprint('examples/saas');
    const driver = await createDriver({ memory: true });
    try {
      await expect(
        createApp(model, { driver, logLevel: false, corsOrigins: ['*'], corsCredentials: true }),
      ).rejects.toThrow(/explicit list of origins/);
      await expect(
        createIdentity(model, { driver, secureCookies: false, crossSiteCookies: true }),
      ).rejects.toThrow(/must be Secure/);
    } finally {
      await driver.close();
    }
  });
});
