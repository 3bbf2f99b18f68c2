import type { DatabaseRule } from '../context.js';

const DANGER_REMAINING = 500_000_000;

export const rule: DatabaseRule = {
  id: 'database/xid-wraparound',
  severity: 'error',
  group: 'health',
  summary: 'Transaction IDs are far from wraparound',
  meaning:
    'PostgreSQL stops accepting writes when a database gets within a few million transactions of transaction-ID wraparound (about 2.1 billion). Autovacuum freezes old rows to prevent it, unless something holds it back: a long-open transaction, an abandoned replication slot or prepared transaction, or an autovacuum too slow for the write rate. Reported when fewer than 500 million IDs remain.',
  async check({ sql }) {
    const rows = await sql.unsafe<{ database: string; age: string }[]>(
      `SELECT datname AS database, age(datfrozenxid) AS age FROM pg_database WHERE datallowconn ORDER BY 2 DESC`,
    );
    return rows
      .filter((row) => 2_147_483_647 - Number(row.age) < DANGER_REMAINING)
      .map((row) => ({
        message: `Database ${row.database} has ${2_147_483_647 - Number(row.age)} transaction IDs left before wraparound`,
        pointer: row.database,
        help: 'Find what holds back freezing (long transactions in pg_stat_activity, pg_replication_slots, pg_prepared_xacts), then VACUUM (FREEZE) the oldest tables.',
      }));
  },
};
