/**
 * Single-use, expiring tokens for password reset, email verification and invitations. Only the
 * SHA-256 is stored; using one marks it used in the same statement that finds it, so a token
 * works once even under concurrent attempts.
 */
import { AUTH_ONE_TIME_TOKENS_TABLE as TABLE } from '../../design/sql/auth-tables.js';
import type { Queryable } from '../db/index.js';
import { randomSecret, sha256 } from './secrets.js';

export type TokenPurpose = 'reset' | 'verify' | 'invite';

/** How long each kind of token lives. */
export const TOKEN_TTL_SECONDS: Record<TokenPurpose, number> = {
  reset: 30 * 60,
  verify: 2 * 86_400,
  invite: 7 * 86_400,
};

export interface OneTimeToken {
  readonly userId: string | null;
  readonly email: string;
  readonly tenantId: string | null;
  readonly roles: string[];
  readonly createdBy: string | null;
}

export async function issueOneTimeToken(
  db: Queryable,
  purpose: TokenPurpose,
  spec: {
    email: string;
    userId?: string | null;
    tenantId?: string | null;
    roles?: readonly string[];
    createdBy?: string | null;
  },
): Promise<string> {
  const token = randomSecret();
  await db.query(
    `INSERT INTO ${TABLE} (purpose, token_hash, user_id, email, tenant_id, roles, created_by, expires_at)
     VALUES ($1, $2, $3::uuid, $4, $5::uuid, $6::text[], $7::uuid, now() + make_interval(secs => $8::int))`,
    [
      purpose,
      sha256(token),
      spec.userId ?? null,
      spec.email,
      spec.tenantId ?? null,
      [...(spec.roles ?? [])],
      spec.createdBy ?? null,
      TOKEN_TTL_SECONDS[purpose],
    ],
  );
  return token;
}

/** Use a token once: its contents when it exists, has this purpose, is unused and unexpired. */
export async function useOneTimeToken(
  db: Queryable,
  purpose: TokenPurpose,
  token: string,
): Promise<OneTimeToken | undefined> {
  if (token.length > 200) return undefined;
  const { rows } = await db.query<{
    user_id: string | null;
    email: string;
    tenant_id: string | null;
    roles: string[];
    created_by: string | null;
  }>(
    `UPDATE ${TABLE} SET used_at = now()
     WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
     RETURNING user_id, email, tenant_id, roles, created_by`,
    [sha256(token), purpose],
  );
  const row = rows[0];
  return row
    ? {
        userId: row.user_id,
        email: row.email,
        tenantId: row.tenant_id,
        roles: row.roles,
        createdBy: row.created_by,
      }
    : undefined;
}
