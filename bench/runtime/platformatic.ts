/**
 * The Platformatic DB side: `@platformatic/sql-mapper` (entities read from the database) and
 * `@platformatic/sql-openapi` (their REST routes) on Fastify, the two packages Platformatic DB
 * serves its REST API with, on the same products table and PostgreSQL server.
 *
 * Why not `@platformatic/db` itself: every 3.x release (3.67.0 is the newest) requires Node
 * >= 22.19 and this project runs on Node 20; its 2.x building blocks (2.61.0) install and run on
 * Node 20 with Fastify 5. PostgreSQL server only (sql-mapper has no PGlite adapter).
 *
 * Routes compared: `GET /products/{id}`, `GET /products?where.active.eq=true&where.sku.gt=..&
 * orderby.sku=asc&limit=20` (it has offset pages, no cursor: a keyset on the unique sku is the
 * same page), `POST /products`. It has no If-Match on updates and no bulk route. Its query
 * string cannot say `deleted_at IS NULL` (`where.deletedAt.eq=null` is the text "null"), so its
 * page cannot use the soft-delete table's partial unique index on sku: PostgreSQL reads and
 * sorts the table; that is how it serves this schema. Its create body must carry every NOT NULL
 * column, defaults or not (`uom`, `active`, `version`).
 */
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';

export async function createPlatformaticApp(
  connectionString: string,
  poolSize: number,
): Promise<FastifyInstance> {
  // Loaded by name at run time: their type declarations augment Fastify's route config, which
  // would change the project's own types.
  const load = async (name: string) =>
    ((await import(name)) as { default: FastifyPluginAsync<Record<string, unknown>> }).default;
  const mapper = await load('@platformatic/sql-mapper');
  const openapi = await load('@platformatic/sql-openapi');
  const app = Fastify({ logger: false });
  await app.register(mapper, { connectionString, poolSize });
  await app.register(openapi);
  await app.ready();
  return app;
}
