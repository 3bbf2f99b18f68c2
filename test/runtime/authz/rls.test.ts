/**
 * The second wall: on a PostgreSQL server, tenant-owned tables have row-level security and the
 * app's request statements run as `architect_app` with the tenant set per transaction. These
 * tests talk to the database directly, under the app role, with no WHERE clause to help.
 * PGlite runs as a superuser that bypasses RLS, so there the runtime's predicates are the wall
 * (the tenancy suite proves those on both drivers).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_USERS_TABLE } from '../../../src/design/sql/auth-tables.js';
import { APP_ROLE, TENANT_SETTING } from '../../../src/design/sql/tenancy-policies.js';
import { checkWallLogin } from '../../../src/runtime/auth/wall-login.js';
import { withSession } from '../../../src/runtime/db/session-driver.js';
import { NO_SERVER_REASON, SERVER_URL } from '../../support/postgres.js';
import { seedWorld, type World } from './seed.js';
import { type AuthzHarness, createAuthzHarness, openWallLogin } from './support.js';

describe.skipIf(!SERVER_URL)(
  `row-level security on PostgreSQL (${SERVER_URL ? 'server' : NO_SERVER_REASON})`,
  () => {
    let api: AuthzHarness;
    let world: World;

    beforeAll(async () => {
      api = await createAuthzHarness('postgres');
      world = await seedWorld(api);
    });
    afterAll(async () => {
      await api?.close();
    });

    it('the app role without the tenant setting sees no rows of any tenant-owned table', async () => {
      const counts = await api.driver.transaction(async (tx) => {
        await tx.query(`SET LOCAL ROLE ${APP_ROLE}`);
        const result: Record<string, number> = {};
        for (const table of [
          'projects',
          'tasks',
          'invitations',
          'api_keys',
          'memberships',
          'organizations',
        ]) {
          const { rows } = await tx.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${table}`);
          result[table] = rows[0]!.count;
        }
        return result;
      });
      expect(counts).toEqual({
        projects: 0,
        tasks: 0,
        invitations: 0,
        api_keys: 0,
        memberships: 0,
        organizations: 0,
      });
      // The owner (who migrates) still sees them all: the rows are there.
      const { rows } = await api.driver.query<{ count: number }>(
        'SELECT count(*)::int AS count FROM projects',
      );
      expect(rows[0]!.count).toBeGreaterThanOrEqual(2);
    });

    it('with the tenant set, only that tenant’s rows, whatever the statement asks for', async () => {
      const asA = withSession(api.driver, { role: APP_ROLE, settings: { [TENANT_SETTING]: world.a.id } });
      const all = await asA.query<{ id: string }>('SELECT id FROM projects');
      expect(all.rows.map((row) => row.id)).toContain(world.a.project);
      expect(all.rows.map((row) => row.id)).not.toContain(world.b.project);
      const direct = await asA.query('SELECT * FROM tasks WHERE id = $1', [world.b.task]);
      expect(direct.rowCount).toBe(0);
      const update = await asA.query("UPDATE projects SET name = 'pwned' WHERE id = $1", [world.b.project]);
      expect(update.rowCount).toBe(0);
      await expect(
        asA.query('INSERT INTO projects (organization_id, code, name) VALUES ($1, $2, $3)', [
          world.b.id,
          'RLS',
          'smuggled',
        ]),
      ).rejects.toThrow(/row-level security/);
      // A transaction of several statements is walled from its first one.
      const inTransaction = await asA.transaction(async (tx) => {
        const first = await tx.query<{ role: string; count: number }>(
          'SELECT current_user AS role, count(*)::int AS count FROM projects WHERE id = $1',
          [world.b.project],
        );
        const second = await tx.query('SELECT id FROM projects WHERE id = $1', [world.a.project]);
        return { ...first.rows[0]!, own: second.rowCount };
      });
      expect(inTransaction).toEqual({ role: APP_ROLE, count: 0, own: 1 });
    });

    it('the setting ends with its transaction: a pooled connection does not keep it', async () => {
      const asA = withSession(api.driver, { role: APP_ROLE, settings: { [TENANT_SETTING]: world.a.id } });
      await asA.query('SELECT 1');
      for (let attempt = 0; attempt < 8; attempt += 1) {
        const { rows } = await api.driver.query<{ role: string; tenant: string | null }>(
          `SELECT current_user AS role, current_setting('${TENANT_SETTING}', true) AS tenant`,
        );
        expect(rows[0]!.role).not.toBe(APP_ROLE);
        expect(rows[0]!.tenant ?? '').toBe('');
      }
    });

    it('on its own login (APP_DATABASE_URL) the wall has no role to go back to', async () => {
      const wall = await openWallLogin(api.driver, api.databaseUrl!);
      try {
        const asA = withSession(wall, { settings: { [TENANT_SETTING]: world.a.id } });
        // What an injected statement would try first: leave the app role.
        const reset = await asA.transaction(async (tx) => {
          await tx.query('RESET ROLE');
          return (
            await tx.query<{ count: number; role: string }>(
              'SELECT count(*)::int AS count, current_user AS role FROM projects',
            )
          ).rows[0]!;
        });
        expect(reset.role).toBe(APP_ROLE);
        const owner = (await api.driver.query<{ role: string }>('SELECT current_user AS role')).rows[0]!.role;
        await expect(asA.query(`SET ROLE ${owner}`)).rejects.toThrow(/permission denied/);
        const projects = await asA.query<{ id: string }>('SELECT id FROM projects');
        expect(projects.rows.map((row) => row.id)).toContain(world.a.project);
        expect(projects.rows.map((row) => row.id)).not.toContain(world.b.project);
        expect(reset.count).toBe(projects.rowCount);
      } finally {
        await wall.close();
      }
    });

    it('an app given the wall login runs tenant requests on it', async () => {
      const walled = await createAuthzHarness('postgres-wall-login');
      try {
        const there = await seedWorld(walled);
        const before = walled.wallUse.count;
        const answer = await walled.call(there.a.owner, 'GET', `/projects/${there.a.project}`);
        expect(answer.status).toBe(200);
        expect(walled.wallUse.count).toBe(before + 1);

        // Its pool has its own gauge beside the owner's.
        const metrics = await walled.app.inject({ url: '/metrics' });
        expect(metrics.body).toContain('architect_db_wall_pool_connections{state="total"} 4');
        expect(metrics.body).toMatch(/architect_db_pool_connections\{state="total"\} 4/);

        // Readiness covers the login too: a load balancer stops routing when it cannot connect.
        const ready = await walled.app.inject({ url: '/ready' });
        expect(ready.json()).toMatchObject({ status: 'ok', checks: { wall: 'ok' } });
        await walled.closeWallLogin();
        const down = await walled.app.inject({ url: '/ready' });
        expect(down.statusCode).toBe(503);
        expect(down.json().error.details).toMatchObject({ database: 'ok', wall: 'unreachable' });
      } finally {
        await walled.close();
      }
    });

    it('refuses a wall login that would skip row-level security', async () => {
      // The owner's own URL: a superuser here, and the owner of the tables in any case.
      await expect(checkWallLogin(api.driver)).rejects.toMatchObject({ code: 'APP_ROLE_UNSAFE' });
    });

    it('the app role cannot read the identity tables', async () => {
      await expect(
        api.driver.transaction(async (tx) => {
          await tx.query(`SET LOCAL ROLE ${APP_ROLE}`);
          await tx.query(`SELECT * FROM ${AUTH_USERS_TABLE} LIMIT 1`);
        }),
      ).rejects.toThrow(/permission denied/);
    });
  },
);
