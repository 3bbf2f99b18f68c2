/**
 * The adversarial suite: a signed-in user of tenant A goes after tenant B's rows through every
 * route kind (item reads, lists, filters, includes, updates, deletes, bulk writes, transitions,
 * history, nested collections), by id and by guessed foreign keys. Nothing of B may come back and
 * every item answer is 404. The same for ownership (a member and another member's task), then
 * roles (401/403), field rules and mass assignment. PGlite always, PostgreSQL with DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_URL } from '../../support/postgres.js';
import { seedWorld, type World } from './seed.js';
import {
  type AuthzHarness,
  type Caller,
  createAuthzHarness,
  type DriverKind,
  headersOf,
  type Reply,
} from './support.js';

const DRIVERS: readonly DriverKind[] = SERVER_URL
  ? ['pglite', 'postgres', 'postgres-wall-login']
  : ['pglite'];

/** No id, name or text of tenant B anywhere in an answer. */
function leaks(reply: Reply, world: World): string[] {
  const text = JSON.stringify(reply.body ?? '');
  const secrets = [world.b.id, world.b.project, world.b.task, world.b.invitation, world.b.apiKey, 'bravo'];
  return secrets.filter((secret) => text.includes(secret));
}

describe.each(DRIVERS)('authorization on %s', (kind) => {
  let api: AuthzHarness;
  let world: World;
  let alice: Caller;

  beforeAll(async () => {
    api = await createAuthzHarness(kind);
    world = await seedWorld(api);
    alice = world.a.owner;
  });
  afterAll(async () => {
    await api?.close();
  });

  /** B's rows, read by B's owner: unchanged by anything A tried. */
  async function expectTenantBUntouched(): Promise<void> {
    const bob = world.b.owner;
    const project = await api.call(bob, 'GET', `/projects/${world.b.project}`);
    expect(project.status).toBe(200);
    expect(project.body).toMatchObject({ name: 'bravo web', version: 1 });
    const task = await api.call(bob, 'GET', `/tasks/${world.b.task}`);
    expect(task.body).toMatchObject({ title: 'bravo secret task', status: 'open', version: 1 });
    const invitation = await api.call(
      bob,
      'GET',
      `/organizations/${world.b.id}/invitations/${world.b.invitation}`,
    );
    expect(invitation.body).toMatchObject({ status: 'pending', version: 1 });
    const key = await api.call(bob, 'GET', `/organizations/${world.b.id}/api-keys/${world.b.apiKey}`);
    expect(key.status).toBe(200);
    const organization = await api.call(bob, 'GET', `/organizations/${world.b.id}`);
    expect(organization.body).toMatchObject({ name: 'BRAVO', version: 1 });
    const members = await api.call(bob, 'GET', `/organizations/${world.b.id}/memberships`);
    expect(members.body.data).toHaveLength(1);
    const invitations = await api.call(bob, 'GET', `/organizations/${world.b.id}/invitations?count=true`);
    expect(invitations.body.page.count).toBe(1);
  }

  describe('tenant A against tenant B', () => {
    it('item reads of B rows are 404, by every item route', async () => {
      const b = world.b;
      const urls = [
        `/projects/${b.project}`,
        `/tasks/${b.task}`,
        `/organizations/${b.id}`,
        `/organizations/${b.id}/invitations/${b.invitation}`,
        `/organizations/${b.id}/invitations/${b.invitation}/history`,
        `/organizations/${b.id}/api-keys/${b.apiKey}`,
        `/organizations/${b.id}/memberships/${world.users.bob}`,
        // A's own parent with B's child, and B's parent with A's child.
        `/organizations/${world.a.id}/invitations/${b.invitation}`,
        `/organizations/${b.id}/invitations/${world.a.invitation}`,
      ];
      for (const url of urls) {
        const reply = await api.call(alice, 'GET', url);
        expect(reply.status, url).toBe(404);
        expect(reply.body.error.code, url).toBe('NOT_FOUND');
        expect(leaks(reply, world), url).toEqual([]);
      }
    });

    it('nested collections of B are 404; top-level lists, counts and filters show only A', async () => {
      const b = world.b;
      for (const nested of ['memberships', 'invitations', 'api-keys']) {
        const reply = await api.call(alice, 'GET', `/organizations/${b.id}/${nested}`);
        expect(reply.status, nested).toBe(404);
      }
      const lists = [
        '/projects?count=true',
        '/tasks?count=true',
        '/organizations?count=true',
        `/tasks?projectId=${b.project}`,
        `/tasks?projectId[in]=${b.project},${world.a.project}`,
        `/tasks?organizationId=${b.id}`,
        `/projects?id=${b.project}`,
        '/tasks?title[like]=bravo',
        '/projects?q=bravo',
        '/tasks?limit=100',
      ];
      for (const url of lists) {
        const reply = await api.call(alice, 'GET', url);
        expect(reply.status, url).toBe(200);
        expect(leaks(reply, world), url).toEqual([]);
      }
      const organizations = await api.call(alice, 'GET', '/organizations?count=true');
      expect(organizations.body.data.map((row: { id: string }) => row.id)).toEqual([world.a.id]);
      expect(organizations.body.page.count).toBe(1);
      const projects = await api.call(alice, 'GET', '/projects?count=true');
      expect(projects.body.page.count).toBe(1);
    });

    it('people are visible to themselves and to members of their tenant only', async () => {
      const bob = await api.call(alice, 'GET', `/users/${world.users.bob}`);
      expect(bob.status).toBe(404);
      const people = await api.call(alice, 'GET', '/users?count=true');
      expect(people.body.data.map((row: { id: string }) => row.id)).toEqual([alice.userId]);
      expect(JSON.stringify(people.body)).not.toContain('bob@example.com');
      const byEmail = await api.call(alice, 'GET', '/users?email=bob@example.com');
      expect(byEmail.body.data).toEqual([]);
      const ownerOfB = await api.call(world.b.owner, 'GET', `/users/${world.users.bob}`);
      expect(ownerOfB.status).toBe(200);
    });

    it('includes embed only rows of the active tenant, from any entity', async () => {
      // Bob joins A as well: A now sees him, and still nothing of what he has in B.
      const joined = await api.call(alice, 'POST', `/organizations/${world.a.id}/memberships`, {
        userId: world.users.bob,
      });
      expect(joined.status).toBe(201);
      const urls = [
        `/users/${world.users.bob}?include=projects,tasksByCreatedBy,membershipsByUser,apiKeys`,
        `/users?include=projects,tasksByCreatedBy,apiKeys,invitations,membershipsByUser&limit=100`,
        `/organizations/${world.a.id}?include=projects.tasks,apiKeys,memberships`,
        '/organizations?include=projects,tasks',
        `/projects/${world.a.project}?include=tasks,organization`,
        '/tasks?include=project,organization,createdBy',
        `/organizations/${world.a.id}/memberships?include=user,organization`,
      ];
      for (const url of urls) {
        const reply = await api.call(alice, 'GET', url);
        expect(reply.status, url).toBe(200);
        expect(leaks(reply, world), url).toEqual([]);
      }
      const bob = await api.call(
        alice,
        'GET',
        `/users/${world.users.bob}?include=tasksByCreatedBy,membershipsByUser`,
      );
      expect(bob.status).toBe(200);
      expect(bob.body.tasksByCreatedBy).toEqual([]);
      expect(bob.body.membershipsByUser.map((row: { organizationId: string }) => row.organizationId)).toEqual(
        [world.a.id],
      );
    });

    it('updates, deletes and transitions of B rows are 404 and change nothing', async () => {
      const b = world.b;
      const attempts: [string, string, unknown?][] = [
        ['PATCH', `/projects/${b.project}`, { name: 'pwned' }],
        ['DELETE', `/projects/${b.project}`],
        ['PATCH', `/tasks/${b.task}`, { title: 'pwned' }],
        ['DELETE', `/tasks/${b.task}`],
        ['POST', `/tasks/${b.task}/complete`],
        ['PATCH', `/organizations/${b.id}`, { name: 'pwned' }],
        ['DELETE', `/organizations/${b.id}`],
        ['PATCH', `/organizations/${b.id}/invitations/${b.invitation}`, { message: 'pwned' }],
        ['POST', `/organizations/${b.id}/invitations/${b.invitation}/revoke`, {}],
        ['POST', `/organizations/${b.id}/invitations/${b.invitation}/accept`],
        ['POST', `/organizations/${world.a.id}/invitations/${b.invitation}/accept`],
        ['PATCH', `/organizations/${b.id}/api-keys/${b.apiKey}`, { name: 'pwned' }],
        ['DELETE', `/organizations/${b.id}/api-keys/${b.apiKey}`],
        ['PATCH', `/organizations/${b.id}/memberships/${world.users.bob}`, { role: 'member' }],
        ['DELETE', `/organizations/${b.id}/memberships/${world.users.bob}`],
      ];
      for (const [method, url, body] of attempts) {
        const reply = await api.call(alice, method, url, body);
        expect(reply.status, `${method} ${url}`).toBe(404);
        expect(leaks(reply, world), url).toEqual([]);
        // With If-Match too: a stale-version answer (412) would confirm the row exists.
        if (method !== 'POST') {
          const guarded = await api.app.inject({
            method: method as 'PATCH',
            url: `${api.model.api.basePath}${url}`,
            headers: {
              'x-test-user': alice.userId,
              'x-test-roles': 'owner',
              'x-test-tenant': alice.tenantId!,
              'if-match': '"7"',
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            payload: body === undefined ? undefined : JSON.stringify(body),
          });
          expect(guarded.statusCode, `${method} ${url} with If-Match`).toBe(404);
        }
      }
      await expectTenantBUntouched();
    });

    it('creates under B (nested) are 404: no way into another tenant by its path', async () => {
      const b = world.b;
      const attempts: [string, unknown][] = [
        [`/organizations/${b.id}/memberships`, { userId: alice.userId, role: 'owner' }],
        [`/organizations/${b.id}/invitations`, { email: 'x@example.com', expiresAt: '2099-01-01T00:00:00Z' }],
        [`/organizations/${b.id}/api-keys`, { name: 'mine', prefix: 'steal000' }],
        [
          `/organizations/${b.id}/memberships/bulk`,
          { operation: 'create', items: [{ userId: alice.userId, role: 'owner' }] },
        ],
        [
          `/organizations/${b.id}/invitations/bulk?mode=partial`,
          { operation: 'create', items: [{ email: 'y@example.com', expiresAt: '2099-01-01T00:00:00Z' }] },
        ],
      ];
      for (const [url, body] of attempts) {
        const reply = await api.call(alice, 'POST', url, body);
        expect(reply.status, url).toBe(404);
      }
      await expectTenantBUntouched();
    });

    it('bulk writes naming B rows fail per item with 404 and change nothing', async () => {
      const b = world.b;
      const partial = await api.call(alice, 'POST', '/projects/bulk?mode=partial', {
        operation: 'update',
        items: [
          { id: b.project, name: 'pwned' },
          { id: world.a.project, name: 'acme web' },
        ],
      });
      expect(partial.status).toBe(207);
      expect(partial.body.results[0]).toMatchObject({ index: 0, status: 404 });
      expect(partial.body.results[1]).toMatchObject({ index: 1, status: 200 });
      const atomic = await api.call(alice, 'POST', '/tasks/bulk', {
        operation: 'delete',
        items: [{ id: b.task }],
      });
      expect(atomic.status).toBe(404);
      const upsert = await api.call(alice, 'POST', '/projects/bulk?mode=partial', {
        operation: 'upsert',
        items: [{ id: b.project, code: 'WEB', name: 'pwned' }],
      });
      expect(JSON.stringify(upsert.body)).not.toContain('pwned');
      const organizations = await api.call(alice, 'POST', '/organizations/bulk?mode=partial', {
        operation: 'update',
        items: [{ id: b.id, name: 'pwned' }],
      });
      expect(organizations.body.results[0]).toMatchObject({ status: 404 });
      await expectTenantBUntouched();
    });

    it('guessed foreign keys to B rows fail exactly like keys that do not exist', async () => {
      const missing = '01a20000-0000-7000-8000-000000000000';
      const forB = await api.call(alice, 'POST', '/tasks', { projectId: world.b.project, title: 'x' });
      const forNothing = await api.call(alice, 'POST', '/tasks', { projectId: missing, title: 'x' });
      expect(forB.status).toBeGreaterThanOrEqual(400);
      expect(forB.status).toBeLessThan(500);
      expect(forB.status).toBe(forNothing.status);
      expect(forB.body.error.code).toBe(forNothing.body.error.code);
      expect(leaks(forB, world)).toEqual([]);
      const patch = await api.call(alice, 'PATCH', `/tasks/${world.a.task}`, { projectId: world.b.project });
      const patchNothing = await api.call(alice, 'PATCH', `/tasks/${world.a.task}`, { projectId: missing });
      expect(patch.status).toBe(patchNothing.status);
      expect(patch.status).toBeLessThan(500);
      const bulk = await api.call(alice, 'POST', '/tasks/bulk?mode=partial', {
        operation: 'create',
        items: [{ projectId: world.b.project, title: 'x' }],
      });
      expect(bulk.body.results[0].status).toBe(forNothing.status);
      await expectTenantBUntouched();
    });

    it('a caller without an active tenant sees no tenant rows at all', async () => {
      const drifter: Caller = { userId: world.users.carol, roles: ['owner', 'admin'] };
      for (const url of ['/projects', '/tasks', '/organizations']) {
        const reply = await api.call(drifter, 'GET', url);
        expect(reply.status, url).toBe(200);
        expect(reply.body.data, url).toEqual([]);
      }
      expect((await api.call(drifter, 'GET', `/projects/${world.a.project}`)).status).toBe(404);
      // A tenant id that is no id at all: no rows, never a cast error.
      const garbled: Caller = { userId: 'not-a-user', roles: ['owner'], tenantId: "x' OR '1'='1" };
      for (const url of ['/projects', '/tasks', '/organizations', '/users']) {
        const reply = await api.call(garbled, 'GET', url);
        expect(reply.status, url).toBe(200);
        expect(reply.body.data, url).toEqual([]);
      }
      expect((await api.call(garbled, 'GET', `/tasks/${world.a.task}`)).status).toBe(404);
      expect((await api.call(drifter, 'POST', '/projects', { code: 'X', name: 'x' })).status).toBe(403);
      const bulk = await api.call(drifter, 'POST', '/projects/bulk', {
        operation: 'create',
        items: [{ code: 'X', name: 'x' }],
      });
      expect(bulk.status).toBe(403);
    });
  });

  describe('ownership', () => {
    it('a member cannot change or delete another member’s task (404), but may read it', async () => {
      const carol = world.other;
      const id = world.memberTask;
      expect((await api.call(carol, 'GET', `/tasks/${id}`)).status).toBe(200);
      for (const [method, url, body] of [
        ['PATCH', `/tasks/${id}`, { title: 'mine now' }],
        ['DELETE', `/tasks/${id}`, undefined],
        ['POST', `/tasks/${id}/complete`, undefined],
      ] as const) {
        const reply = await api.call(carol, method, url, body);
        expect(reply.status, `${method} ${url}`).toBe(404);
      }
      const bulk = await api.call(carol, 'POST', '/tasks/bulk?mode=partial', {
        operation: 'update',
        items: [{ id, title: 'mine now' }],
      });
      expect(bulk.body.results[0].status).toBe(404);
      const own = await api.call(world.member, 'PATCH', `/tasks/${id}`, { title: 'mallory task v2' });
      expect(own.status).toBe(200);
      // The owner role is exempt from the ownership rule.
      const owner = await api.call(alice, 'POST', `/tasks/${id}/complete`);
      expect(owner.status).toBe(200);
      expect(owner.body.createdById).toBe(world.users.mallory);
    });

    it('the owner column is the caller, whatever the body says', async () => {
      const forged = await api.call(world.member, 'POST', '/tasks', {
        projectId: world.a.project,
        title: 'forged',
        createdById: world.users.carol,
      });
      expect(forged.status).toBe(422);
      const honest = await api.call(world.member, 'POST', '/tasks', {
        projectId: world.a.project,
        title: 'mine',
      });
      expect(honest.body.createdById).toBe(world.users.mallory);
      expect(honest.body.organizationId).toBe(world.a.id);
    });
  });

  describe('operation rules', () => {
    it('anonymous callers get 401 with a Bearer challenge on every rule but any', async () => {
      for (const [method, url] of [
        ['GET', '/projects'],
        ['GET', `/projects/${world.a.project}`],
        ['POST', '/projects'],
        ['PATCH', `/tasks/${world.a.task}`],
        ['DELETE', `/tasks/${world.a.task}`],
        ['POST', `/tasks/${world.a.task}/complete`],
        ['POST', '/tasks/bulk'],
        ['GET', '/audit'],
      ] as const) {
        const reply = await api.call(null, method, url, method === 'GET' ? undefined : {});
        expect(reply.status, `${method} ${url}`).toBe(401);
        expect(reply.headers['www-authenticate']).toBe('Bearer');
      }
    });

    it('signed in without the role is 403, before the body is validated or a row is looked up', async () => {
      const member = world.member;
      const refused: [string, string, unknown?][] = [
        ['DELETE', `/projects/${world.a.project}`],
        ['DELETE', `/projects/${world.b.project}`],
        ['GET', `/organizations/${world.a.id}/invitations`],
        ['POST', `/organizations/${world.a.id}/invitations`, { not: 'valid' }],
        ['POST', `/organizations/${world.a.id}/invitations/${world.a.invitation}/revoke`, {}],
        ['PATCH', `/organizations/${world.a.id}`, { name: 'x' }],
        ['POST', '/users', {}],
        ['POST', '/projects/bulk', { operation: 'delete', items: [{ id: world.a.project }] }],
        ['POST', `/organizations/${world.a.id}/api-keys/bulk`, { operation: 'upsert', items: [] }],
        ['GET', `/organizations/${world.a.id}?include=invitations`],
        ['GET', `/projects?include=organization.apiKeys`],
      ];
      for (const [method, url, body] of refused) {
        const reply = await api.call(member, method, url, body);
        expect(reply.status, `${method} ${url}`).toBe(403);
        expect(reply.body.error.code).toBe('FORBIDDEN');
      }
      const allowed = await api.call(member, 'POST', '/projects/bulk', {
        operation: 'create',
        items: [{ code: 'BULK', name: 'bulk' }],
      });
      expect(allowed.status).toBe(200);
    });

    it("the audit trail shows each tenant's admin their own tenant's changes and nothing of another's", async () => {
      const admin: Caller = { ...alice, roles: ['admin'] };
      const trail = await api.call(admin, 'GET', '/audit?limit=100');
      expect(trail.status).toBe(200);
      const rows = trail.body.data as { entity: string; entityId: string }[];
      // Tenant A's own audited rows are there (its organization, invitation and API key)...
      expect(rows.map((row) => row.entityId)).toEqual(
        expect.arrayContaining([world.a.id, world.a.invitation, world.a.apiKey]),
      );
      // ...and no row of tenant B, under any filter.
      expect(leaks(trail, world)).toEqual([]);
      const filtered = await api.call(admin, 'GET', `/audit?entityId=${world.b.invitation}`);
      expect(filtered.status).toBe(200);
      expect(filtered.body.data).toEqual([]);
      // No active tenant: no trail to show.
      const { tenantId: _none, ...withoutTenant } = admin;
      expect((await api.call(withoutTenant, 'GET', '/audit')).status).toBe(403);
    });
  });

  describe('field rules', () => {
    it('fields visible to some roles are absent for others, in items, lists and includes', async () => {
      const member = world.member;
      const asMember = [
        (await api.call(member, 'GET', `/tasks/${world.a.task}`)).body,
        ...(await api.call(member, 'GET', '/tasks')).body.data,
        ...(await api.call(member, 'GET', `/projects/${world.a.project}?include=tasks`)).body.tasks,
        ...(
          (await api.call(member, 'GET', '/projects?include=tasks')).body.data as { tasks: unknown[] }[]
        ).flatMap((project) => project.tasks),
      ];
      expect(asMember.length).toBeGreaterThan(2);
      for (const task of asMember) expect(task).not.toHaveProperty('internalNotes');
      const asOwner = await api.call(alice, 'GET', `/tasks/${world.a.task}`);
      expect(asOwner.body.internalNotes).toBe('acme internal');
      for (const url of [
        '/tasks?internalNotes=acme%20internal',
        '/tasks?internalNotes[like]=acme',
        '/tasks?sort=internalNotes',
        '/tasks?fields=id,internalNotes',
        `/tasks/${world.a.task}?fields=internalNotes`,
      ]) {
        expect((await api.call(member, 'GET', url)).status, url).toBe(403);
      }
    });

    it('a retried create cannot replay hidden fields to a caller who may not see them', async () => {
      const send = (roles: string) =>
        api.app.inject({
          method: 'POST',
          url: `${api.model.api.basePath}/tasks`,
          headers: {
            ...headersOf(alice),
            'x-test-roles': roles,
            'content-type': 'application/json',
            'idempotency-key': 'replay-1',
          },
          payload: JSON.stringify({
            projectId: world.a.project,
            title: 'replayed',
            internalNotes: 'owner only',
          }),
        });
      const first = await send('owner');
      expect(first.statusCode).toBe(201);
      expect(first.json().internalNotes).toBe('owner only');
      // The same request with fewer roles is refused before the stored answer is looked up.
      const retry = await send('member');
      expect(retry.statusCode).toBe(403);
      expect(retry.body).not.toContain('owner only');
    });

    it('fields writable by some roles are refused with 403 for others, in single and bulk writes', async () => {
      const member = world.member;
      const create = await api.call(member, 'POST', '/tasks', {
        projectId: world.a.project,
        title: 'estimated',
        estimateHours: 5,
      });
      expect(create.status).toBe(403);
      const patch = await api.call(member, 'PATCH', `/tasks/${world.memberTask}`, { estimateHours: 5 });
      expect(patch.status).toBe(403);
      const hidden = await api.call(member, 'PATCH', `/tasks/${world.memberTask}`, { internalNotes: 'x' });
      expect(hidden.status).toBe(403);
      const bulk = await api.call(member, 'POST', '/tasks/bulk', {
        operation: 'create',
        items: [
          { projectId: world.a.project, title: 'ok' },
          { projectId: world.a.project, title: 'x', estimateHours: 1 },
        ],
      });
      expect(bulk.status).toBe(403);
      expect(bulk.body.error.details[0].field).toBe('items/1/estimateHours');
      const owner = await api.call(alice, 'PATCH', `/tasks/${world.a.task}`, { estimateHours: 8 });
      expect(owner.status).toBe(200);
    });
  });

  describe('mass assignment', () => {
    it('tenant, owner, key, version, readonly, lifecycle and system fields are refused, never applied', async () => {
      const attempts: [string, string, Record<string, unknown>][] = [
        ['POST', '/projects', { code: 'MA', name: 'x', organizationId: world.b.id }],
        ['PATCH', `/projects/${world.a.project}`, { organizationId: world.b.id }],
        ['PATCH', `/projects/${world.a.project}`, { version: 99 }],
        ['PATCH', `/projects/${world.a.project}`, { id: world.b.project }],
        ['PATCH', `/projects/${world.a.project}`, { createdAt: '2000-01-01T00:00:00Z' }],
        ['POST', '/tasks', { projectId: world.a.project, title: 'x', createdById: world.users.bob }],
        ['PATCH', `/tasks/${world.a.task}`, { createdById: world.users.bob }],
        ['PATCH', `/tasks/${world.a.task}`, { status: 'done' }],
        ['PATCH', `/organizations/${world.a.id}`, { suspendedAt: '2000-01-01T00:00:00Z' }],
        ['PATCH', `/organizations/${world.a.id}/api-keys/${world.a.apiKey}`, { secretHash: 'a'.repeat(64) }],
        ['PATCH', `/organizations/${world.a.id}/memberships/${alice.userId}`, { organizationId: world.b.id }],
      ];
      for (const [method, url, body] of attempts) {
        const reply = await api.call(alice, method, url, body);
        expect(reply.status, `${method} ${url} ${JSON.stringify(body)}`).toBe(422);
        expect(reply.body.error.code).toBe('VALIDATION_FAILED');
      }
      const bulk = await api.call(alice, 'POST', '/projects/bulk?mode=partial', {
        operation: 'create',
        items: [{ code: 'MB', name: 'x', organizationId: world.b.id }],
      });
      expect(bulk.body.results[0].status).toBe(422);
      const project = await api.call(alice, 'GET', `/projects/${world.a.project}`);
      expect(project.body.organizationId).toBe(world.a.id);
      await expectTenantBUntouched();
    });
  });

  describe('injection', () => {
    const LIST_URLS = ['/projects', '/tasks', '/organizations', '/users'];
    const STRUCTURAL = [
      'sort=name;DROP TABLE projects',
      'sort=(SELECT 1)',
      'sort=name%20DESC',
      'sort="name"',
      'fields=id,(SELECT%20secret_hash%20FROM%20api_keys)',
      'fields=*',
      'include=tasks;--',
      'include=../../organization',
      "include=tasks'",
      'id=%27%20OR%201=1--',
      'createdAt[gt]=yesterday%27%20OR%201=1',
      'name[regex]=.*',
      'name[eq]%5B%5D=x',
      'name);DROP%20TABLE%20tasks;--=1',
      'limit=1;SELECT',
      'limit=-1',
      'cursor=%27%20OR%201=1--',
      'count=1%20OR%201=1',
      'version[gt]=0%20OR%201=1',
    ];
    const VALUES = [
      "name=' OR '1'='1",
      'name[like]=%25%27%20OR%201=1--',
      "q=') OR 1=1 --",
      'name[in]=a%27,b%27)%20OR%20(1=1',
    ];

    it('malformed filter, sort, fields and include parameters are 400, never 500', async () => {
      for (const url of LIST_URLS) {
        for (const query of STRUCTURAL) {
          const reply = await api.call(alice, 'GET', `${url}?${query}`);
          expect(reply.status, `${url}?${query}`).toBe(400);
        }
      }
    });

    it('hostile values are data: no match, no leak, no error', async () => {
      for (const url of ['/projects', '/tasks', '/organizations']) {
        for (const query of VALUES) {
          const reply = await api.call(alice, 'GET', `${url}?${query}`);
          expect(reply.status, `${url}?${query}`).toBeLessThan(500);
          if (reply.status === 200) expect(reply.body.data, `${url}?${query}`).toEqual([]);
        }
      }
      // Not a key at all: the path schema answers 400 before any statement runs.
      const byId = await api.call(alice, 'GET', "/projects/'%20OR%201=1--");
      expect(byId.status).toBe(400);
    });
  });
});
