/**
 * Live-database review against a real PostgreSQL server: a throwaway database with known
 * problems, a query that scans for lack of an index, and index advice proven by plan cost.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewDatabase } from '../../../src/review/database/index.js';
import type { Finding } from '../../../src/review/finding.js';
import {
  createThrowawayDatabase,
  NO_SERVER_REASON,
  SERVER_URL,
  type ThrowawayDatabase,
} from '../../support/postgres.js';

const SCHEMA = `
CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  status text NOT NULL,
  total numeric NOT NULL
);
CREATE TABLE import_rows (line text);
INSERT INTO customers (name) SELECT 'customer ' || g FROM generate_series(1, 1000) g;
INSERT INTO orders (customer_id, status, total)
  SELECT 1 + g % 1000, CASE WHEN g % 10 = 0 THEN 'open' ELSE 'done' END, g FROM generate_series(1, 20000) g;
CREATE INDEX orders_status_idx ON orders (status);
CREATE INDEX orders_status_copy_idx ON orders (status);
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0) NOT VALID;
CREATE SEQUENCE ticket_numbers AS integer;
SELECT setval('ticket_numbers', 2000000000);
ANALYZE;
`;

/** The slow query: orders of one customer, with no index on customer_id. */
const SLOW_QUERY = 'SELECT id, total FROM orders WHERE customer_id = $1';

const byRule = (findings: Finding[], id: string) => findings.filter((finding) => finding.ruleId === id);

describe.skipIf(!SERVER_URL)(`live database review (${NO_SERVER_REASON})`, () => {
  let database: ThrowawayDatabase;
  let sql: postgres.Sql;
  let hasHypopgPackage = false;

  beforeAll(async () => {
    database = await createThrowawayDatabase('architect_review_db');
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
    await sql.unsafe(SCHEMA);
    // A failed concurrent unique build leaves an INVALID index behind.
    await sql
      .unsafe('CREATE UNIQUE INDEX CONCURRENTLY orders_status_unique ON orders (status)')
      .catch(() => {});
    for (let i = 0; i < 5; i++) await sql.unsafe(SLOW_QUERY.replace('$1', String(i + 1)));
    const [row] = await sql.unsafe<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM pg_available_extensions WHERE name = 'hypopg'",
    );
    hasHypopgPackage = (row?.n ?? 0) > 0;
    // Table statistics reach pg_stat_user_tables when the backend flushes them (PostgreSQL 15+ can force it).
    await sql.unsafe('SELECT pg_stat_force_next_flush()').catch(() => {});
    await sql.unsafe('SELECT 1');
    await new Promise((resolve) => setTimeout(resolve, 1200));
  });

  afterAll(async () => {
    await sql?.end();
    await database?.drop();
  });

  it('reports catalog and statistics problems without changing anything', async () => {
    const findings = await reviewDatabase({ databaseUrl: database.url, minUnusedIndexBytes: 0 });
    expect(findings.every((finding) => finding.location.file.startsWith('postgres://'))).toBe(true);
    expect(byRule(findings, 'database/fk-without-index').map((f) => f.message)).toEqual([
      expect.stringContaining('orders_customer_id_fkey on public.orders (customer_id)'),
    ]);
    expect(byRule(findings, 'database/table-without-primary-key').map((f) => f.location.pointer)).toEqual([
      'public.import_rows',
    ]);
    expect(byRule(findings, 'database/duplicate-index')).toHaveLength(1);
    expect(byRule(findings, 'database/invalid-index').map((f) => f.message)).toEqual([
      expect.stringContaining('orders_status_unique'),
    ]);
    expect(byRule(findings, 'database/not-valid-constraint').map((f) => f.message)).toEqual([
      expect.stringContaining('orders_total_positive'),
    ]);
    expect(byRule(findings, 'database/sequence-near-exhaustion').map((f) => f.message)).toEqual([
      expect.stringContaining('public.ticket_numbers'),
    ]);
    expect(byRule(findings, 'database/seq-scan-heavy-table').map((f) => f.location.pointer)).toContain(
      'public.orders',
    );
    expect(byRule(findings, 'database/unused-index').length).toBeGreaterThan(0);
    // No hypopg in this database and no trial flag: advice is withheld, not guessed.
    const advice = byRule(findings, 'database/index-advice');
    expect(advice).toHaveLength(1);
    expect(advice[0]!.message).toContain('not measured');
    const [indexes] = await sql.unsafe<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'orders'",
    );
    expect(indexes!.n).toBe(4);
  });

  it('proves the missing index with a real index built and rolled back (explicit trial flag)', async () => {
    const findings = await reviewDatabase({
      databaseUrl: database.url,
      allowIndexTrial: true,
      queries: [SLOW_QUERY],
    });
    const advice = byRule(findings, 'database/index-advice');
    const proposal = advice.find((f) => f.message.includes('orders (customer_id)'));
    expect(proposal, JSON.stringify(advice, null, 2)).toBeDefined();
    const [, before, after] = /from ([\d.]+) to ([\d.]+)/.exec(proposal!.message)!;
    expect(Number(after)).toBeLessThan(Number(before) / 2);
    expect(proposal!.fix?.replacement).toMatch(
      /^CREATE INDEX CONCURRENTLY .* ON public\.orders \(customer_id\);$/,
    );
    expect(proposal!.help).toContain('rolled-back transaction');
    const [left] = await sql.unsafe<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'orders' AND indexdef LIKE '%(customer_id)%'",
    );
    expect(left!.n).toBe(0);
  });

  it('proves the missing index with a hypothetical index when hypopg is installed', async (context) => {
    context.skip(
      !hasHypopgPackage,
      'the hypopg extension is not installed on this server (.ci/run installs postgresql-<major>-hypopg)',
    );
    await sql.unsafe('CREATE EXTENSION IF NOT EXISTS hypopg');
    try {
      const findings = await reviewDatabase({ databaseUrl: database.url, queries: [SLOW_QUERY] });
      const proposal = byRule(findings, 'database/index-advice').find((f) =>
        f.message.includes('orders (customer_id)'),
      );
      expect(proposal).toBeDefined();
      expect(proposal!.help).toContain('hypopg');
      const [, before, after] = /from ([\d.]+) to ([\d.]+)/.exec(proposal!.message)!;
      expect(Number(after)).toBeLessThan(Number(before) / 2);
    } finally {
      await sql.unsafe('DROP EXTENSION hypopg');
    }
  });

  it('estimates bloat left by a mass DELETE that no vacuum has reclaimed', async () => {
    await sql.unsafe(`
      CREATE TABLE events_log (id bigint PRIMARY KEY, payload text NOT NULL) WITH (autovacuum_enabled = false);
      INSERT INTO events_log SELECT g, repeat('x', 100) FROM generate_series(1, 200000) g;
      DELETE FROM events_log WHERE id % 10 <> 0;
      ANALYZE events_log;`);
    try {
      const findings = await reviewDatabase({ databaseUrl: database.url, minRows: 1000 });
      const bloat = byRule(findings, 'database/table-bloat');
      expect(bloat.map((f) => f.location.pointer)).toEqual(['public.events_log']);
      const [, percent] = /\((\d+)% estimated bloat\)/.exec(bloat[0]!.message)!;
      expect(Number(percent)).toBeGreaterThan(50);
    } finally {
      await sql.unsafe('DROP TABLE events_log');
    }
  });
});
