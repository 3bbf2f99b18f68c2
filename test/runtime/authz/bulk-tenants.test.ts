/**
 * Organizations created in bulk are like organizations created one at a time: the creator is a
 * member of each with the blueprint's creator role, so they can enter it, on either driver (on
 * the server through the tenant wall, which a new tenant is not yet behind).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentityHarness, DRIVERS, type IdentityHarness, PASSWORD } from '../auth/identity-harness.js';

describe.each(DRIVERS)('bulk organizations on %s', (kind) => {
  let h: IdentityHarness;
  beforeAll(async () => {
    h = await createIdentityHarness(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  async function signUp(email: string) {
    const answer = await h.call('POST', '/auth/signup', {
      body: { email, password: PASSWORD, profile: { displayName: email } },
    });
    expect(answer.status).toBe(201);
    return answer.body as { accessToken: string; refreshToken: string; user: { id: string } };
  }

  it('makes the creator a member of every organization a bulk create makes', async () => {
    const founder = await signUp('many@orgs.example.com');
    const created = await h.call('POST', '/organizations/bulk', {
      bearer: founder.accessToken,
      body: {
        operation: 'create',
        items: [
          { slug: 'north', name: 'North' },
          { slug: 'south', name: 'South' },
        ],
      },
    });
    expect(created.status).toBe(200);
    const ids = (created.body.results as { status: number; id: string }[]).map((result) => {
      expect(result.status).toBe(201);
      return result.id;
    });
    let refreshToken = founder.refreshToken;
    for (const id of ids) {
      const entered = await h.call('POST', '/auth/refresh', { body: { refreshToken, tenantId: id } });
      expect(entered.status, `enter ${id}`).toBe(200);
      refreshToken = entered.body.refreshToken;
      const membership = await h.call('GET', `/organizations/${id}/memberships/${founder.user.id}`, {
        bearer: entered.body.accessToken,
      });
      expect(membership.body).toMatchObject({ role: 'owner' });
    }
  });

  it('a bulk upsert of organizations never fails with a server error, and leaves no tenant without its creator', async () => {
    const founder = await signUp('upsert@orgs.example.com');
    const answer = await h.call('POST', '/organizations/bulk', {
      bearer: founder.accessToken,
      body: { operation: 'upsert', onConflict: 'slug', items: [{ slug: 'east', name: 'East' }] },
    });
    expect(answer.status).toBeLessThan(500);
    for (const result of (answer.body.results ?? []) as { status: number; id?: string }[]) {
      if (result.status !== 201) continue;
      const entered = await h.call('POST', '/auth/refresh', {
        body: { refreshToken: founder.refreshToken, tenantId: result.id },
      });
      expect(entered.status).toBe(200);
    }
    if (answer.status === 403) expect(answer.body.error.code).toBe('FORBIDDEN');
  });
});
