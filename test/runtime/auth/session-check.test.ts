/**
 * Another instance's sign-outs reach this one within the check's time to live, at the cost of
 * one query per session per window; this instance's own apply at once.
 */
import { describe, expect, it } from 'vitest';
import { createSessionCheck } from '../../../src/runtime/auth/session-check.js';
import type { Queryable } from '../../../src/runtime/db/index.js';

/** A database where sessions are revoked by someone else (another instance). */
function database() {
  const revoked = new Set<string>();
  let queries = 0;
  const db: Queryable = {
    async query<T>(_text: string, params?: readonly unknown[]) {
      queries += 1;
      return { rows: [{ revoked: revoked.has(String(params?.[0])) }] as T[], rowCount: 1 };
    },
  };
  return { db, revoked, queries: () => queries };
}

describe('createSessionCheck', () => {
  it('sees a revocation made elsewhere once its answer is older than the time to live', async () => {
    let time = 0;
    const store = database();
    const sessions = createSessionCheck(store.db, { ttlMs: 5_000, now: () => time });
    expect(await sessions.isRevoked('s1')).toBe(false);
    store.revoked.add('s1');
    time = 4_999;
    expect(await sessions.isRevoked('s1')).toBe(false);
    expect(store.queries()).toBe(1);
    time = 5_000;
    expect(await sessions.isRevoked('s1')).toBe(true);
    // Revoked stays revoked without asking again.
    time = 60_000;
    expect(await sessions.isRevoked('s1')).toBe(true);
    expect(store.queries()).toBe(2);
  });

  it("applies this instance's revocations at once, and forgets the oldest sessions past its capacity", async () => {
    const store = database();
    const sessions = createSessionCheck(store.db, { capacity: 2 });
    expect(await sessions.isRevoked('a')).toBe(false);
    sessions.revoked('a');
    expect(await sessions.isRevoked('a')).toBe(true);
    await sessions.isRevoked('b');
    await sessions.isRevoked('c');
    // 'a' was the oldest: asked again, the database (not revoked there) answers.
    const before = store.queries();
    expect(await sessions.isRevoked('a')).toBe(false);
    expect(store.queries()).toBe(before + 1);
  });
});
