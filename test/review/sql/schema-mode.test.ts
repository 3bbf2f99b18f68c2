import { describe, expect, it } from 'vitest';
import { isMigrationText, reviewMigrations } from '../../../src/review/migration/index.js';
import { reviewSqlSchema } from '../../../src/review/sql/index.js';

/** What pg_dump prints: tables first, then keys, indexes and foreign keys as ALTERs. */
const DUMP = `--
-- PostgreSQL database dump
--
\\restrict abc123
SET statement_timeout = 0;
SET lock_timeout = 0;
CREATE TABLE public.customers (
    id bigint NOT NULL,
    name text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);
CREATE TABLE public.orders (
    id bigint NOT NULL,
    customer_id bigint NOT NULL,
    placed_at timestamp without time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);
ALTER TABLE ONLY public.customers ADD CONSTRAINT customers_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id);
CREATE INDEX orders_customer_id_idx ON public.orders USING btree (customer_id);
ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customers(id) ON DELETE CASCADE;
\\unrestrict abc123
`;

describe('schema mode', () => {
  it('judges a pg_dump by its final state: keys and indexes added by later ALTERs count', async () => {
    const findings = await reviewSqlSchema({ file: 'dump.sql', text: DUMP });
    expect(findings.map((f) => f.ruleId)).toEqual(['sql/timestamp-without-time-zone']);
    expect(findings[0]!.location).toMatchObject({ file: 'dump.sql', line: 16, column: 5 });
  });

  it('raises no lock rule on tables the same file creates, even read as a migration', async () => {
    const findings = await reviewMigrations([{ file: 'dump.sql', text: DUMP }]);
    expect(findings).toEqual([]);
  });

  it('reports a syntax error where it is and keeps reviewing the other statements', async () => {
    const text =
      'CREATE TABLE a (id bigint PRIMARY KEY);\nCREATE TABLE b (id bigint PRIMARY KEY,, x int);\nCREATE TABLE c (v json);\n';
    const findings = await reviewSqlSchema({ file: 'x.sql', text });
    const syntax = findings.filter((f) => f.ruleId === 'sql/syntax-error');
    expect(syntax).toHaveLength(1);
    expect(syntax[0]!.location.line).toBe(2);
    expect(findings.some((f) => f.ruleId === 'sql/prefer-jsonb' && f.location.line === 3)).toBe(true);
  });

  it('counts columns in characters when the file has multi-byte text before the finding', async () => {
    const text =
      "COMMENT ON SCHEMA public IS 'éèà — 日本';\nCREATE TABLE t (id bigint PRIMARY KEY, data json);\n";
    const [finding] = (await reviewSqlSchema({ file: 'x.sql', text })).filter(
      (f) => f.ruleId === 'sql/prefer-jsonb',
    );
    expect(finding!.location).toMatchObject({ line: 2, column: 40 });
  });

  it('offers fixes as SQL that PostgreSQL parses', async () => {
    const findings = await reviewSqlSchema({
      file: 'x.sql',
      text: 'CREATE TABLE customers (id bigint PRIMARY KEY);\nCREATE TABLE orders (id serial PRIMARY KEY, customer_id bigint REFERENCES customers (id) ON DELETE CASCADE);',
    });
    const fixes = findings.flatMap((f) => (f.fix?.replacement ? [f.fix.replacement] : []));
    expect(fixes.length).toBeGreaterThan(0);
    for (const fix of fixes) {
      const errors = await reviewSqlSchema({ file: 'fix.sql', text: fix });
      expect(errors.filter((f) => f.ruleId === 'sql/syntax-error')).toEqual([]);
    }
  });
});

describe('isMigrationText', () => {
  it('knows migration tools by their folders and file names', () => {
    const text = 'CREATE TABLE a (id bigint PRIMARY KEY);';
    expect(isMigrationText(text, 'db/migrations/add_a.sql')).toBe(true);
    expect(isMigrationText(text, 'sql/V3__add_a.sql')).toBe(true);
    expect(isMigrationText(text, 'sql/0003_add_a.sql')).toBe(true);
    expect(isMigrationText(text, 'sql/20240101120000_add_a.sql')).toBe(true);
    expect(isMigrationText(text, 'db/000058_add_a.up.sql')).toBe(true);
    expect(isMigrationText(text, 'prisma/20240101120000_init/migration.sql')).toBe(true);
    expect(isMigrationText(text, 'schema.sql')).toBe(false);
  });

  it('reads a file that changes tables it did not create as a migration', () => {
    expect(isMigrationText('ALTER TABLE orders ADD COLUMN note text;', 'change.sql')).toBe(true);
    expect(isMigrationText(DUMP, 'dump.sql')).toBe(false);
  });
});
