/**
 * Refresh tokens that rotate on every use, grouped in families (one per sign-in). Presenting a
 * token that was already used means it leaked (or the legitimate holder is racing a thief):
 * the whole family is revoked, so the next refresh by either party fails and the holder must
 * sign in again. Only the SHA-256 of a token is stored.
 */
import { randomUUID } from 'node:crypto';
import { AUTH_REFRESH_TOKENS_TABLE as TABLE } from '../../design/sql/auth-tables.js';
import type { Queryable } from '../db/index.js';
import { randomSecret, sha256 } from './secrets.js';

export interface RefreshFamily {
  readonly familyId: string;
  readonly userId: string;
  readonly tenantId: string | null;
}

export interface IssuedRefreshToken extends RefreshFamily {
  readonly token: string;
  readonly expiresAt: string;
}

/** Start a family (sign-in) or continue one (rotation) with a new token. */
export async function issueRefreshToken(
  db: Queryable,
  family: { familyId?: string; userId: string; tenantId: string | null },
  ttlSeconds: number,
  expiresAt?: string,
): Promise<IssuedRefreshToken> {
  const token = `rt_${randomSecret()}`;
  const familyId = family.familyId ?? randomUUID();
  const { rows } = await db.query<{ expires_at: string }>(
    `INSERT INTO ${TABLE} (family_id, user_id, tenant_id, token_hash, expires_at)
     VALUES ($1::uuid, $2::uuid, $3::uuid, $4, COALESCE($5::timestamptz, now() + make_interval(secs => $6::int)))
     RETURNING expires_at`,
    [familyId, family.userId, family.tenantId, sha256(token), expiresAt ?? null, ttlSeconds],
  );
  return {
    token,
    familyId,
    userId: family.userId,
    tenantId: family.tenantId,
    expiresAt: rows[0]!.expires_at,
  };
}

export type RotationResult =
  | { readonly status: 'rotated'; readonly family: RefreshFamily; readonly expiresAt: string }
  | { readonly status: 'reused'; readonly family: RefreshFamily }
  | { readonly status: 'invalid' };

/**
 * Use a refresh token: mark it used (atomically: of two concurrent uses only one wins) and
 * report its family; a token already used revokes its family and reports `reused`.
 */
export async function useRefreshToken(db: Queryable, token: string): Promise<RotationResult> {
  const hash = sha256(token);
  const claimed = await db.query<{
    family_id: string;
    user_id: string;
    tenant_id: string | null;
    expires_at: string;
  }>(
    `UPDATE ${TABLE} SET used_at = now()
     WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
     RETURNING family_id, user_id, tenant_id, expires_at`,
    [hash],
  );
  const row = claimed.rows[0];
  if (row) {
    return {
      status: 'rotated',
      family: { familyId: row.family_id, userId: row.user_id, tenantId: row.tenant_id },
      expiresAt: row.expires_at,
    };
  }
  const known = await db.query<{
    family_id: string;
    user_id: string;
    tenant_id: string | null;
    used_at: string | null;
  }>(`SELECT family_id, user_id, tenant_id, used_at FROM ${TABLE} WHERE token_hash = $1`, [hash]);
  const previous = known.rows[0];
  if (!previous?.used_at) return { status: 'invalid' };
  await revokeFamily(db, previous.family_id);
  return {
    status: 'reused',
    family: { familyId: previous.family_id, userId: previous.user_id, tenantId: previous.tenant_id },
  };
}

/** Revoke every token of a family (logout, reuse). */
export async function revokeFamily(db: Queryable, familyId: string): Promise<void> {
  await db.query(`UPDATE ${TABLE} SET revoked_at = now() WHERE family_id = $1::uuid AND revoked_at IS NULL`, [
    familyId,
  ]);
}

/** Is the family still live (not revoked)? Checked on refresh only; access tokens expire on their own. */
export async function isFamilyRevoked(db: Queryable, familyId: string): Promise<boolean> {
  const { rows } = await db.query<{ revoked: boolean }>(
    `SELECT bool_or(revoked_at IS NOT NULL) AS revoked FROM ${TABLE} WHERE family_id = $1::uuid`,
    [familyId],
  );
  return rows[0]?.revoked === true;
}

/** The family of a token (used or not), for logout by refresh token. */
export async function familyOfRefreshToken(db: Queryable, token: string): Promise<string | undefined> {
  const { rows } = await db.query<{ family_id: string }>(
    `SELECT family_id FROM ${TABLE} WHERE token_hash = $1`,
    [sha256(token)],
  );
  return rows[0]?.family_id;
}

/** Revoke every session of an account (password reset, disabled account). */
export async function revokeAllFamilies(db: Queryable, userId: string): Promise<void> {
  await db.query(`UPDATE ${TABLE} SET revoked_at = now() WHERE user_id = $1::uuid AND revoked_at IS NULL`, [
    userId,
  ]);
}
