/**
 * Authorization behind the real identity plugin: people sign up, create their organization
 * (becoming its owner), take a token for it, and work there; real JWTs carry the tenant and the
 * roles. Tenant B's owner cannot reach tenant A's rows with any token the API will issue him.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentityHarness, DRIVERS, type IdentityHarness, PASSWORD } from '../auth/identity-harness.js';

describe.each(DRIVERS)('authorization with the identity plugin on %s', (kind) => {
  let h: IdentityHarness;

  beforeAll(async () => {
    h = await createIdentityHarness(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Sign up, create an organization, and refresh into it: a token with `tid` and the owner role. */
  async function founder(email: string, slug: string) {
    const signUp = await h.call('POST', '/auth/signup', {
      body: { email, password: PASSWORD, profile: { displayName: slug } },
    });
    expect(signUp.status).toBe(201);
    const organization = await h.call('POST', '/organizations', {
      bearer: signUp.body.accessToken,
      body: { slug, name: slug },
    });
    expect(organization.status).toBe(201);
    const refreshed = await h.call('POST', '/auth/refresh', {
      body: { refreshToken: signUp.body.refreshToken, tenantId: organization.body.id },
    });
    expect(refreshed.status).toBe(200);
    return {
      token: refreshed.body.accessToken as string,
      refreshToken: refreshed.body.refreshToken as string,
      tenantId: organization.body.id as string,
      userId: signUp.body.user.id as string,
    };
  }

  it('each founder works in their own tenant, and nothing crosses', async () => {
    const ann = await founder('ann@acme.example.com', 'acme');
    const bob = await founder('bob@bravo.example.com', 'bravo');
    const membership = await h.call('GET', `/organizations/${ann.tenantId}/memberships/${ann.userId}`, {
      bearer: ann.token,
    });
    expect(membership.body).toMatchObject({ role: 'owner' });

    const project = await h.call('POST', '/projects', {
      bearer: ann.token,
      body: { code: 'WEB', name: 'acme web' },
    });
    expect(project.status).toBe(201);
    expect(project.body.organizationId).toBe(ann.tenantId);

    for (const url of [`/projects/${project.body.id}`, `/organizations/${ann.tenantId}`]) {
      expect((await h.call('GET', url, { bearer: bob.token })).status, url).toBe(404);
    }
    const bobsList = await h.call('GET', '/projects', { bearer: bob.token });
    expect(bobsList.body.data).toEqual([]);
    const patch = await h.call('PATCH', `/projects/${project.body.id}`, {
      bearer: bob.token,
      body: { name: 'x' },
    });
    expect(patch.status).toBe(404);

    // Bob asks for a token in Ann's tenant: whatever the identity layer answers, it is no key to A.
    const intrusion = await h.call('POST', '/auth/refresh', {
      body: { refreshToken: bob.refreshToken, tenantId: ann.tenantId },
    });
    const token = intrusion.status === 200 ? (intrusion.body.accessToken as string) : bob.token;
    expect((await h.call('GET', `/projects/${project.body.id}`, { bearer: token })).status).toBe(404);

    expect((await h.call('GET', '/projects')).status).toBe(401);
    const tampered = `${ann.token.slice(0, -4)}AAAA`;
    expect((await h.call('GET', '/projects', { bearer: tampered })).status).toBe(401);
  });
});
