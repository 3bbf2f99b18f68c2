/**
 * The first admin of a deployment comes from ARCHITECT_ADMIN_EMAIL / ARCHITECT_ADMIN_PASSWORD,
 * once: restarts leave the account as it is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin } from '../../../src/runtime/auth/bootstrap.js';
import { createIdentityHarness, DRIVERS, type IdentityHarness } from './identity-harness.js';

describe.each(DRIVERS)('the first admin on %s', (kind) => {
  let h: IdentityHarness;
  beforeAll(async () => {
    h = await createIdentityHarness(kind, 'examples/inventory');
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('is created from the environment once, with the admin role, and can create accounts', async () => {
    const env = {
      ARCHITECT_ADMIN_EMAIL: 'Ops@Example.com',
      ARCHITECT_ADMIN_PASSWORD: 'a long admin passphrase',
    };
    expect(await bootstrapAdmin(h.driver, h.model, {})).toEqual({ status: 'not configured' });
    expect(await bootstrapAdmin(h.driver, h.model, env)).toEqual({
      status: 'created',
      email: 'ops@example.com',
    });
    expect(
      await bootstrapAdmin(h.driver, h.model, { ...env, ARCHITECT_ADMIN_PASSWORD: 'another passphrase' }),
    ).toEqual({
      status: 'exists',
      email: 'ops@example.com',
    });
    const login = await h.call('POST', '/auth/login', {
      body: { email: 'ops@example.com', password: 'a long admin passphrase' },
    });
    expect(login.status).toBe(200);
    expect(login.body.user.roles).toEqual(['admin']);
    const created = await h.call('POST', '/auth/signup', {
      bearer: login.body.accessToken,
      body: { email: 'buyer@example.com', password: 'a buyer passphrase', roles: ['purchaser'] },
    });
    expect(created.status).toBe(201);
  });

  it('refuses half a configuration and a short password', async () => {
    await expect(
      bootstrapAdmin(h.driver, h.model, { ARCHITECT_ADMIN_EMAIL: 'x@example.com' }),
    ).rejects.toThrow(/both/);
    await expect(
      bootstrapAdmin(h.driver, h.model, {
        ARCHITECT_ADMIN_EMAIL: 'x@example.com',
        ARCHITECT_ADMIN_PASSWORD: 'short',
      }),
    ).rejects.toThrow(/at least/);
  });
});
