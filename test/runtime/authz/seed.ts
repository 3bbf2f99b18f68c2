/**
 * Two tenants of the SaaS example, each with an owner, tenant A with two members, and a row of
 * every tenant-owned kind per tenant, created through the API as the people who own them.
 */
import { type AuthzHarness, type Caller, expectStatus } from './support.js';

export interface Tenant {
  readonly id: string;
  readonly owner: Caller;
  readonly project: string;
  readonly task: string;
  readonly invitation: string;
  readonly apiKey: string;
}

export interface World {
  readonly a: Tenant;
  readonly b: Tenant;
  /** Members of A: `member` created `memberTask`; `other` did not. */
  readonly member: Caller;
  readonly other: Caller;
  readonly memberTask: string;
  readonly users: {
    readonly alice: string;
    readonly bob: string;
    readonly mallory: string;
    readonly carol: string;
  };
}

const ROOT: Caller = { userId: '00000000-0000-7000-8000-000000000001', roles: ['admin'] };

async function user(harness: AuthzHarness, name: string): Promise<string> {
  const body = expectStatus(
    await harness.call(ROOT, 'POST', '/users', { email: `${name}@example.com`, displayName: name }),
    201,
    `create user ${name}`,
  );
  return body.id as string;
}

async function tenant(harness: AuthzHarness, userId: string, slug: string): Promise<Tenant> {
  const organization = expectStatus(
    await harness.call({ userId, roles: [] }, 'POST', '/organizations', { slug, name: slug.toUpperCase() }),
    201,
    `create organization ${slug}`,
  );
  const id = organization.id as string;
  const owner: Caller = { userId, roles: ['owner'], tenantId: id };
  // The creator became a member with the blueprint's creator role.
  expectStatus(
    await harness.call(owner, 'GET', `/organizations/${id}/memberships/${userId}`),
    200,
    'membership',
  );
  const project = expectStatus(
    await harness.call(owner, 'POST', '/projects', { code: 'WEB', name: `${slug} web` }),
    201,
    'project',
  );
  const task = expectStatus(
    await harness.call(owner, 'POST', '/tasks', {
      projectId: project.id,
      title: `${slug} secret task`,
      internalNotes: `${slug} internal`,
      estimateHours: 3,
    }),
    201,
    'task',
  );
  const invitation = expectStatus(
    await harness.call(owner, 'POST', `/organizations/${id}/invitations`, {
      email: `new@${slug}.example.com`,
      expiresAt: '2099-01-01T00:00:00Z',
    }),
    201,
    'invitation',
  );
  const apiKey = expectStatus(
    await harness.call(owner, 'POST', `/organizations/${id}/api-keys`, {
      name: 'ci',
      prefix: `${slug}000000`.slice(0, 8),
    }),
    201,
    'api key',
  );
  return {
    id,
    owner,
    project: project.id as string,
    task: task.id as string,
    invitation: invitation.id as string,
    apiKey: apiKey.id as string,
  };
}

export async function seedWorld(harness: AuthzHarness): Promise<World> {
  const alice = await user(harness, 'alice');
  const bob = await user(harness, 'bob');
  const mallory = await user(harness, 'mallory');
  const carol = await user(harness, 'carol');
  const a = await tenant(harness, alice, 'acme');
  const b = await tenant(harness, bob, 'bravo');
  const member: Caller = { userId: mallory, roles: ['member'], tenantId: a.id };
  const other: Caller = { userId: carol, roles: ['member'], tenantId: a.id };
  const memberTask = expectStatus(
    await harness.call(member, 'POST', '/tasks', { projectId: a.project, title: 'mallory task' }),
    201,
    'member task',
  );
  return { a, b, member, other, memberTask: memberTask.id as string, users: { alice, bob, mallory, carol } };
}
