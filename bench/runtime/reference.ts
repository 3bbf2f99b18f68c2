/**
 * The reference the runtime is measured against: a minimal hand-written Fastify app serving the
 * same five product routes with the SQL a careful person would write by hand (the same
 * statements the runtime sends: a keyed SELECT, a keyset page, an INSERT ... RETURNING, a
 * version-checked UPDATE and a jsonb_to_recordset upsert), JSON schemas on the bodies, and nothing else: no request ids, error
 * envelopes, metrics, security headers, compression, timeouts or idempotency.
 */
import Fastify, { type FastifyInstance } from 'fastify';

/** Runs one parameterized statement: postgres.js `unsafe(text, values, { prepare: true })`, or PGlite. */
export type RunQuery = (text: string, values: unknown[]) => Promise<Record<string, unknown>[]>;

const COLUMNS = `id, sku, name, uom, active, reorder_point AS "reorderPoint", created_at AS "createdAt", updated_at AS "updatedAt", version`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function encodeCursor(row: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify([row.sku])).toString('base64url');
}

export async function createReferenceApp(query: RunQuery): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });

  app.get<{ Params: { id: string } }>('/api/v1/products/:id', async (request, reply) => {
    if (!UUID.test(request.params.id)) return reply.code(400).send({ error: 'bad id' });
    const [row] = await query(`SELECT ${COLUMNS} FROM products WHERE id = $1 AND deleted_at IS NULL`, [
      request.params.id,
    ]);
    if (!row) return reply.code(404).send({ error: 'not found' });
    return reply.header('etag', `"${row.version}"`).send(row);
  });

  app.get<{ Querystring: { active?: string; limit?: string; cursor?: string } }>(
    '/api/v1/products',
    async (request) => {
      const limit = Math.min(500, Math.max(1, Number(request.query.limit ?? 50)));
      const values: unknown[] = [request.query.active !== 'false'];
      let after = '';
      if (request.query.cursor) {
        // sku is unique: it orders the page alone, no tie-breaker (as the runtime does)
        const [sku] = JSON.parse(Buffer.from(request.query.cursor, 'base64url').toString()) as string[];
        values.push(sku);
        after = ' AND sku > $2';
      }
      const rows = await query(
        `SELECT ${COLUMNS} FROM products WHERE deleted_at IS NULL AND active = $1${after} ORDER BY sku LIMIT ${limit + 1}`,
        values,
      );
      const more = rows.length > limit;
      const data = more ? rows.slice(0, limit) : rows;
      return { data, page: { limit, nextCursor: more ? encodeCursor(data[data.length - 1]!) : null } };
    },
  );

  const productBody = {
    type: 'object',
    additionalProperties: false,
    required: ['sku', 'name'],
    properties: {
      sku: { type: 'string', maxLength: 64 },
      name: { type: 'string', maxLength: 200 },
      uom: { type: 'string', maxLength: 16 },
      active: { type: 'boolean' },
    },
  } as const;

  app.post<{ Body: { sku: string; name: string; uom?: string; active?: boolean } }>(
    '/api/v1/products',
    { schema: { body: productBody } },
    async (request, reply) => {
      const { sku, name, uom = 'ea', active = true } = request.body;
      const [row] = await query(
        `INSERT INTO products (sku, name, uom, active) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
        [sku, name, uom, active],
      );
      return reply
        .code(201)
        .header('location', `/api/v1/products/${row!.id}`)
        .header('etag', `"${row!.version}"`)
        .send(row);
    },
  );

  app.patch<{ Params: { id: string }; Body: { name?: string } }>(
    '/api/v1/products/:id',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { name: productBody.properties.name },
        },
      },
    },
    async (request, reply) => {
      const match = /^"(\d+)"$/.exec(request.headers['if-match'] ?? '');
      if (!UUID.test(request.params.id) || !match) return reply.code(400).send({ error: 'bad request' });
      // The version trigger bumps version and updated_at, as on the runtime's table.
      const [row] = await query(
        `UPDATE products SET name = COALESCE($1, name) WHERE id = $2 AND version = $3 AND deleted_at IS NULL RETURNING ${COLUMNS}`,
        [request.body.name ?? null, request.params.id, Number(match[1])],
      );
      if (!row) return reply.code(412).send({ error: 'version changed' });
      return reply.header('etag', `"${row.version}"`).send(row);
    },
  );

  app.post<{ Body: { items: { sku: string; name: string }[] } }>(
    '/api/v1/products/bulk',
    {
      schema: {
        body: {
          type: 'object',
          required: ['items'],
          properties: {
            operation: { const: 'upsert' },
            onConflict: { const: 'sku' },
            items: { type: 'array', maxItems: 5000, items: productBody },
          },
        },
      },
    },
    async (request) => {
      const rows = await query(
        `INSERT INTO products AS t (sku, name) SELECT r.sku, r.name FROM jsonb_to_recordset($1::text::jsonb) AS r(sku text, name text)
         ON CONFLICT (sku) WHERE deleted_at IS NULL DO UPDATE SET name = EXCLUDED.name
         RETURNING t.id, t.version, (t.xmax = 0) AS created`,
        [JSON.stringify(request.body.items)],
      );
      const created = rows.filter((row) => row.created).length;
      return {
        summary: { total: rows.length, created, updated: rows.length - created },
        results: rows.map((row, index) => ({
          index,
          status: row.created ? 201 : 200,
          id: row.id,
          version: row.version,
        })),
      };
    },
  );

  await app.ready();
  return app;
}
