// The reference start: what a minimal hand-written service on embedded PostgreSQL does before it
// can answer, in one process: load Fastify and PGlite, open a new in-memory database (initdb),
// create the products table, register one route and listen. It prints its origin when ready.
import { PGlite } from '@electric-sql/pglite';
import Fastify from 'fastify';

const db = await PGlite.create();
await db.exec(`CREATE TABLE products (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(), sku text NOT NULL UNIQUE, name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(), version integer NOT NULL DEFAULT 1)`);
const app = Fastify();
app.get('/ready', async () => {
  await db.query('SELECT 1');
  return { status: 'ready' };
});
const origin = await app.listen({ port: 0, host: '127.0.0.1' });
process.stderr.write(`API   ${origin}/\n`);
process.on('SIGTERM', async () => {
  await app.close();
  await db.close();
  process.exit(0);
});
