/**
 * Signed-out sessions end their access tokens too. An access token names its session (the
 * refresh family, claim `sid`); logout, refresh-token reuse and a password reset revoke families
 * in the database. Authentication asks here whether a token's session still stands:
 *
 * - this instance's own revocations apply at once;
 * - another instance's are read from the database, at most once per session per `ttlMs`
 *   (default 5 s), so a signed-out token stops working everywhere within that time while a
 *   request costs a Map lookup.
 *
 * @example
 * const sessions = createSessionCheck(driver);
 * if (claims.sid && (await sessions.isRevoked(claims.sid))) throw unauthenticated();
 */
import type { Queryable } from '../db/index.js';
import { isFamilyRevoked } from './refresh-tokens.js';

export interface SessionCheck {
  /** Has the session been revoked (signed out, reused, reset)? */
  isRevoked(sessionId: string): Promise<boolean>;
  /** This instance revoked the session: refuse its tokens from now on. */
  revoked(sessionId: string): void;
}

export interface SessionCheckOptions {
  /** How long an answer from the database stands (default 5,000 ms). */
  readonly ttlMs?: number;
  /** Sessions remembered at most (default 50,000); the oldest is forgotten first. */
  readonly capacity?: number;
  /** The clock (tests). */
  readonly now?: () => number;
}

export function createSessionCheck(db: Queryable, options: SessionCheckOptions = {}): SessionCheck {
  const ttlMs = options.ttlMs ?? 5_000;
  const capacity = options.capacity ?? 50_000;
  const now = options.now ?? Date.now;
  const known = new Map<string, { revoked: boolean; checkedAt: number }>();
  const remember = (sessionId: string, revoked: boolean) => {
    known.delete(sessionId);
    if (known.size >= capacity) known.delete(known.keys().next().value!);
    known.set(sessionId, { revoked, checkedAt: now() });
  };
  return {
    async isRevoked(sessionId) {
      const entry = known.get(sessionId);
      // A revoked session stays revoked: no need to ask again.
      if (entry && (entry.revoked || now() - entry.checkedAt < ttlMs)) return entry.revoked;
      const revoked = await isFamilyRevoked(db, sessionId);
      remember(sessionId, revoked);
      return revoked;
    },
    revoked(sessionId) {
      remember(sessionId, true);
    },
  };
}
