/**
 * Organizations created in bulk are like organizations created one at a time: the creator is a
 * member of each with the blueprint's creator role, so they can enter it, on either driver (on
 * the server through the tenant wall, which a new tenant is not yet behind). A bulk upsert does
 * the same for its new rows, and its updates reach the active tenant only.
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

  it('a bulk upsert creates new organizations with their creator, updates the active one and takes over no other tenant', async () => {
    const founder = await signUp('upsert@orgs.example.com');
    // An upsert may update, so it takes the update role (owner or admin) in the active tenant.
    const refused = await h.call('POST', '/organizations/bulk', {
      bearer: founder.accessToken,
      body: { operation: 'upsert', onConflict: 'slug', items: [{ slug: 'east', name: 'East' }] },
    });
    expect(refused.status).toBe(403);
    const made = await h.call('POST', '/organizations', {
      bearer: founder.accessToken,
      body: { slug: 'east', name: 'East' },
    });
    expect(made.status).toBe(201);
    const entered = await h.call('POST', '/auth/refresh', {
      body: { refreshToken: founder.refreshToken, tenantId: made.body.id },
    });
    expect(entered.status).toBe(200);

    // Another person's organization, which the founder is not a member of.
    const rival = await signUp('rival@orgs.example.com');
    const theirs = await h.call('POST', '/organizations', {
      bearer: rival.accessToken,
      body: { slug: 'west', name: 'West' },
    });
    expect(theirs.status).toBe(201);

    const second = await h.call('POST', '/organizations/bulk?mode=partial', {
      bearer: entered.body.accessToken,
      body: {
        operation: 'upsert',
        onConflict: 'slug',
        items: [
          { slug: 'east', name: 'East renamed' },
          { slug: 'west', name: 'Taken over' },
          { slug: 'central', name: 'Central' },
        ],
      },
    });
    expect(second.status).toBe(207);
    const [own, other, fresh] = second.body.results as { status: number; id?: string }[];
    expect(own).toMatchObject({ status: 200, id: made.body.id });
    expect(other).toMatchObject({ status: 409, error: { code: 'CONFLICT' } });
    expect(fresh).toMatchObject({ status: 201 });

    const rivalInside = await h.call('POST', '/auth/refresh', {
      body: { refreshToken: rival.refreshToken, tenantId: theirs.body.id },
    });
    const west = await h.call('GET', `/organizations/${theirs.body.id}`, {
      bearer: rivalInside.body.accessToken,
    });
    expect(west.body).toMatchObject({ name: 'West' });
    const central = await h.call('POST', '/auth/refresh', {
      body: { refreshToken: entered.body.refreshToken, tenantId: fresh!.id },
    });
    expect(central.status).toBe(200);
  });
});
