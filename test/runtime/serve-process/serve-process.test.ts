/**
 * `architect serve` as real processes: two instances racing on one PostgreSQL apply the schema
 * once; SIGTERM lets an in-flight request finish before the process exits 0; restarting on the
 * same embedded data folder keeps the data; the proxy and body-limit options reach the server.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ROLE } from '../../../src/design/sql/tenancy-policies.js';
import {
  createThrowawayDatabase,
  NO_SERVER_REASON,
  SERVER_URL,
  type ThrowawayDatabase,
} from '../../support/postgres.js';
import {
  isBuilt,
  LIMITED_BLUEPRINT,
  NOTES_BLUEPRINT,
  ROOT,
  type ServeProcess,
  spawnServe,
  waitReady,
} from './serve-process.js';

const NOT_BUILT_REASON = 'needs the built CLI: run `npm run build` (npm test does)';
/** Real processes start slowly on a loaded machine (module loading, the WebAssembly parser). */
const PROCESS_TIMEOUT = { timeout: 180_000 };
const running: ServeProcess[] = [];

function serve(args: readonly string[], env: Record<string, string | undefined> = {}): ServeProcess {
  const process = spawnServe(args, env);
  running.push(process);
  return process;
}

afterAll(() => {
  for (const process of running) process.dispose();
});

describe.skipIf(!isBuilt())(
  `serve on embedded PostgreSQL${isBuilt() ? '' : ` (skipped: ${NOT_BUILT_REASON})`}`,
  PROCESS_TIMEOUT,
  () => {
    let dataDir: string;
    beforeAll(async () => {
      dataDir = join(await mkdtemp(join(tmpdir(), 'architect-serve-')), 'data');
    });
    afterAll(async () => {
      await rm(join(dataDir, '..'), { recursive: true, force: true });
    });

    it('keeps the data across a restart on the same data folder, and exits 0 on SIGTERM', async () => {
      const first = serve([NOTES_BLUEPRINT, '--data-dir', dataDir]);
      const origin = await first.started;
      expect(first.stderr()).toContain(`data  ${dataDir} (pglite; schema applied)`);
      expect(first.stderr()).toContain(`docs  ${origin}/docs`);
      await waitReady(origin);
      const id = await createNote(origin, 'kept across restarts');

      // a second process may not open the same folder while the first runs
      const intruder = serve([NOTES_BLUEPRINT, '--data-dir', dataDir]);
      expect(await intruder.exited).toBe(1);
      expect(intruder.stderr()).toContain('DATABASE_UNAVAILABLE');
      // nor take its port: a plain error, exit 1, no stack trace
      const port = new URL(origin).port;
      const squatter = serve([NOTES_BLUEPRINT, '--memory', '--port', port]);
      expect(await squatter.exited).toBe(1);
      expect(squatter.stderr()).toContain(
        `error LISTEN_FAILED: Cannot listen on 127.0.0.1:${port}: another process listens there; stop it, or choose another --port (0 takes any free one)`,
      );
      expect(squatter.stderr()).not.toContain('    at ');

      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      expect(first.stderr()).toContain('stopped');

      const second = serve([NOTES_BLUEPRINT, '--data-dir', dataDir]);
      const again = await second.started;
      expect(second.stderr()).toContain('(pglite; schema current)');
      const read = await fetch(`${again}/api/v1/notes/${id}`);
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject({ id, title: 'kept across restarts' });
      second.child.kill('SIGINT');
      expect(await second.exited).toBe(0);
    });

    /** A note created through the API; its id. */
    async function createNote(origin: string, title: string): Promise<string> {
      const created = await fetch(`${origin}/api/v1/notes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title }),
      });
      expect(created.status).toBe(201);
      return ((await created.json()) as { id: string }).id;
    }

    /** `serve <folder> --watch` on a copy of the notes blueprint in its own folder. */
    async function serveWatched(name: string, ...args: string[]) {
      const folder = join(dataDir, '..', name);
      await mkdir(folder, { recursive: true });
      const file = join(folder, 'blueprint.yaml');
      const original = await readFile(join(NOTES_BLUEPRINT, 'blueprint.yaml'), 'utf8');
      await writeFile(file, original);
      const server = serve([folder, '--watch', ...args]);
      const origin = await server.started;
      return {
        server,
        origin,
        file,
        /** Save the blueprint with `from` replaced by `to`. */
        edit: (from: string, to: string) => writeFile(file, original.replace(from, to)),
        /** Wait until the process has written `line` (a reload takes a process start). */
        async printed(line: string) {
          for (let look = 0; look < 600 && !server.stderr().includes(line); look++) {
            await new Promise((done) => setTimeout(done, 50));
          }
          expect(server.stderr()).toContain(line);
        },
      };
    }

    it('--watch: a changed blueprint restarts the server on its port and data; one with errors is reported and not served', async () => {
      const { server, origin, file, edit, printed } = await serveWatched('watched');
      expect(server.stderr()).toContain(`watch ${file}: a change restarts the server`);
      const id = await createNote(origin, 'before the change');

      await edit(
        'body: { type: text, optional: true }',
        'body: { type: text, optional: true }\n      pinned: { type: boolean, default: false }',
      );
      await printed('schema applied (1 change)');
      const read = await fetch(`${origin}/api/v1/notes/${id}`);
      expect(await read.json()).toMatchObject({ id, title: 'before the change', pinned: false });

      await edit('type: text,', 'type: txet,');
      await printed('watch: the blueprint has errors; still serving it as it was');
      expect(server.stderr()).toMatch(/blueprint\.yaml:\d+:\d+: error BLUEPRINT_UNKNOWN_TYPE/);
      expect((await fetch(`${origin}/api/v1/notes/${id}`)).status).toBe(200);

      server.child.kill('SIGINT');
      expect(await server.exited).toBe(0);
      expect(server.stderr().match(/the blueprint changed; restarting/g)).toHaveLength(1);
    });

    it('--watch --memory: the rows stay across restarts', async () => {
      const { server, origin, edit, printed } = await serveWatched('watched-in-memory', '--memory');
      const id = await createNote(origin, 'kept in memory');
      await edit('max: 200', 'max: 300');
      await printed('watch: serving 1 entity at');
      const read = await fetch(`${origin}/api/v1/notes/${id}`);
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject({ id, title: 'kept in memory' });
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    });

    it('with a shutdown delay, answers /ready 503 and goes on serving before it drains and exits 0', async () => {
      const server = serve([NOTES_BLUEPRINT, '--memory', '--shutdown-delay', '2000']);
      const origin = await server.started;
      await waitReady(origin);
      server.child.kill('SIGTERM');
      let ready = 200;
      for (let look = 0; look < 40 && ready === 200; look++) {
        ready = (await fetch(`${origin}/ready`)).status;
        if (ready === 200) await new Promise((done) => setTimeout(done, 25));
      }
      expect(ready, 'the load balancer is told to stop sending').toBe(503);
      const served = await fetch(`${origin}/api/v1/notes`);
      expect(served.status, 'requests already on their way are still served').toBe(200);
      expect(server.child.exitCode).toBeNull();
      expect(await server.exited).toBe(0);
      expect(server.stderr()).toContain('SIGTERM: /ready answers 503; serving 2000 ms more, then draining');
    });

    it('takes the client address from a trusted proxy, and the body limit, from flags and variables', async () => {
      // Per-IP budget 3: behind a trusted proxy each client address has its own.
      const proxied = serve([LIMITED_BLUEPRINT, '--memory', '--body-limit', '1kb'], {
        TRUST_PROXY: 'loopback',
      });
      const origin = await proxied.started;
      expect(proxied.stderr()).toContain('Limited: serving 1 entity');
      await waitReady(origin);
      const read = (client: string) =>
        fetch(`${origin}/api/v1/notes`, { headers: { 'x-forwarded-for': client } }).then(
          (answer) => answer.status,
        );
      const first = [];
      for (let call = 0; call < 4; call++) first.push(await read('203.0.113.1'));
      expect(first).toEqual([200, 200, 200, 429]);
      expect(await read('203.0.113.2')).toBe(200);
      const large = await fetch(`${origin}/api/v1/notes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.3' },
        body: JSON.stringify({ title: 'x'.repeat(2000) }),
      });
      expect(large.status).toBe(413);
      expect(((await large.json()) as { error: { message: string } }).error.message).toBe(
        'The request body is larger than the 1 KiB this server accepts',
      );
      proxied.child.kill('SIGTERM');
      expect(await proxied.exited).toBe(0);

      // Without it the header is the client's word, not the proxy's: one budget for the socket.
      const direct = serve([LIMITED_BLUEPRINT, '--memory']);
      const directOrigin = await direct.started;
      await waitReady(directOrigin);
      const statuses = [];
      for (const client of ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4']) {
        const answer = await fetch(`${directOrigin}/api/v1/notes`, {
          headers: { 'x-forwarded-for': client },
        });
        statuses.push(answer.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      direct.child.kill('SIGTERM');
      expect(await direct.exited).toBe(0);
    });
  },
);

const canUseServer = isBuilt() && SERVER_URL !== undefined;
const serverSkipReason = !isBuilt() ? NOT_BUILT_REASON : NO_SERVER_REASON;

describe.skipIf(!canUseServer)(
  `serve on a PostgreSQL server${canUseServer ? '' : ` (skipped: ${serverSkipReason})`}`,
  PROCESS_TIMEOUT,
  () => {
    let database: ThrowawayDatabase;
    beforeAll(async () => {
      database = await createThrowawayDatabase('architect_serve');
    });
    afterAll(async () => {
      for (const process of running) process.dispose();
      await database?.drop();
    });

    it('two instances started at the same moment both come up; the schema is applied once', async () => {
      const env = { DATABASE_URL: database.url };
      const [one, two] = [serve([NOTES_BLUEPRINT], env), serve([NOTES_BLUEPRINT], env)];
      const origins = await Promise.all([one.started, two.started]);
      await Promise.all(origins.map((origin) => waitReady(origin)));
      const statuses = [one, two]
        .map((process) => /schema (applied|current)\)/.exec(process.stderr())?.[1])
        .sort();
      expect(statuses).toEqual(['applied', 'current']);
      const sql = postgres(database.url, { max: 1, onnotice: () => {} });
      try {
        const rows = await sql`SELECT blueprint FROM architect_migrations`;
        expect(rows.map((row) => row.blueprint)).toEqual(['notes']);
      } finally {
        await sql.end();
      }
      one.child.kill('SIGTERM');
      two.child.kill('SIGTERM');
      expect(await Promise.all([one.exited, two.exited])).toEqual([0, 0]);
    });

    it('gives the tenant wall its own login with APP_DATABASE_URL, and refuses one that would skip RLS', async () => {
      // A copy of the multi-tenant example, so its development keys are written beside the copy.
      const folder = await mkdtemp(join(tmpdir(), 'architect-wall-'));
      const saas = await createThrowawayDatabase('architect_wall');
      const sql = postgres(saas.url, { max: 1, onnotice: () => {} });
      try {
        await copyFile(join(ROOT, 'examples/saas/blueprint.yaml'), join(folder, 'blueprint.yaml'));
        const owner = serve([folder], { DATABASE_URL: saas.url, APP_DATABASE_URL: saas.url });
        expect(await owner.exited).toBe(1);
        expect(owner.stderr()).toContain('APP_ROLE_UNSAFE');
        expect(owner.stderr()).toContain('superuser');

        // The refused start still migrated: the app role exists; let it log in (trust auth here).
        await sql.unsafe(`ALTER ROLE ${APP_ROLE} LOGIN`);
        const login = new URL(saas.url);
        login.username = APP_ROLE;
        const server = serve([folder], {
          DATABASE_URL: saas.url,
          APP_DATABASE_URL: login.toString(),
          DATABASE_POOL_SIZE: '5',
          APP_DATABASE_POOL_SIZE: '3',
        });
        const origin = await server.started;
        await waitReady(origin);
        expect(server.stderr()).toMatch(/data {2}postgres:\/\/postgres@\S+ \(postgres, pool 5; schema \w+\)/);
        expect(server.stderr()).toMatch(
          new RegExp(`wall  postgres://${APP_ROLE}@\\S+ \\(tenant statements, pool 3\\)`),
        );
        const metrics = await (await fetch(`${origin}/metrics`)).text();
        expect(metrics).toContain('architect_db_pool_connections{state="total"} 5');
        expect(metrics).toContain('architect_db_wall_pool_connections{state="total"} 3');
        server.child.kill('SIGTERM');
        expect(await server.exited).toBe(0);
      } finally {
        await sql.end();
        await saas.drop();
        await rm(folder, { recursive: true, force: true });
      }
    });

    it('SIGTERM during an in-flight request lets it finish, then the process exits 0', async () => {
      const server = serve([NOTES_BLUEPRINT], { DATABASE_URL: database.url });
      const origin = await server.started;
      await waitReady(origin);
      // Two connections: one reserved to hold the lock, one to watch pg_stat_activity.
      const sql = postgres(database.url, { max: 2, onnotice: () => {} });
      try {
        // Hold a lock the list query needs, so the request stays in flight until we let it go.
        const reserved = await sql.reserve();
        await reserved`BEGIN`;
        await reserved`LOCK TABLE notes IN ACCESS EXCLUSIVE MODE`;
        const inFlight = fetch(`${origin}/api/v1/notes`);
        for (;;) {
          const [row] = await sql`SELECT count(*)::int AS waiting FROM pg_stat_activity
                                 WHERE datname = ${database.name} AND wait_event_type = 'Lock'`;
          if (row!.waiting > 0) break;
          await new Promise((done) => setTimeout(done, 50));
        }
        server.child.kill('SIGTERM');
        await new Promise((done) => setTimeout(done, 300));
        expect(server.child.exitCode, 'still draining while the request runs').toBeNull();
        await reserved`COMMIT`;
        reserved.release();
        const response = await inFlight;
        expect(response.status).toBe(200);
        // the keep-alive connection is closed after the response, or it would hold the process
        expect(response.headers.get('connection')).toBe('close');
        expect(await response.json()).toMatchObject({ data: [] });
        expect(await server.exited).toBe(0);
        expect(server.stderr()).toContain('SIGTERM: finishing in-flight requests');
      } finally {
        await sql.end();
      }
    });

    it('a write past the request deadline is cancelled in the database, not done after its 503', async () => {
      const server = serve([NOTES_BLUEPRINT, '--request-timeout', '500'], { DATABASE_URL: database.url });
      const origin = await server.started;
      await waitReady(origin);
      const created = await fetch(`${origin}/api/v1/notes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'before' }),
      });
      const { id } = (await created.json()) as { id: string };
      const sql = postgres(database.url, { max: 2, onnotice: () => {} });
      const reserved = await sql.reserve();
      let locked = false;
      try {
        await reserved`BEGIN`;
        locked = true;
        await reserved`LOCK TABLE notes IN ACCESS EXCLUSIVE MODE`;
        const patched = await fetch(`${origin}/api/v1/notes/${id}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ title: 'after' }),
        });
        expect(patched.status).toBe(503);
        expect(((await patched.json()) as { error: { code: string } }).error.code).toMatch(
          /^(TIMEOUT|SERVICE_UNAVAILABLE)$/,
        );
        // The UPDATE is no longer waiting for the lock: the server cancelled it.
        for (let look = 0; ; look++) {
          const [row] = await sql`SELECT count(*)::int AS waiting FROM pg_stat_activity
                                 WHERE datname = ${database.name} AND application_name = 'architect'
                                   AND wait_event_type = 'Lock'`;
          if (row!.waiting === 0) break;
          expect(look, 'the UPDATE still waits for the lock').toBeLessThan(40);
          await new Promise((done) => setTimeout(done, 50));
        }
        await reserved`COMMIT`;
        locked = false;
        const read = await fetch(`${origin}/api/v1/notes/${id}`);
        expect(await read.json()).toMatchObject({ title: 'before', version: 1 });
        server.child.kill('SIGTERM');
        expect(await server.exited).toBe(0);
      } finally {
        if (locked) await reserved`ROLLBACK`;
        reserved.release();
        await sql.end({ timeout: 1 });
      }
    });
  },
);
