/**
 * API keys: `ak_<prefix>_<secret>`. The prefix finds the row (unique index), the SHA-256 of the
 * secret is compared in constant time, and the plain key is returned once, at creation.
 * A key acts for the account that made it, with the roles it was given (a subset of that
 * account's), in the tenant it was made in.
 */
import { AUTH_API_KEYS_TABLE as TABLE } from '../../design/sql/auth-tables.js';
import type { Queryable } from '../db/index.js';
import { randomSecret, safeEqual, sha256 } from './secrets.js';

export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly roles: string[];
  readonly tenantId: string | null;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
}

export interface ApiKeyOwner {
  readonly keyId: string;
  readonly userId: string;
  readonly roles: readonly string[];
  readonly tenantId: string | null;
}

const COLUMNS = `id, name, prefix, roles, tenant_id AS "tenantId", created_at AS "createdAt",
  last_used_at AS "lastUsedAt", expires_at AS "expiresAt", revoked_at AS "revokedAt"`;

export function isApiKeyShaped(token: string): boolean {
  return /^ak_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{20,100}$/.test(token);
}

export async function createApiKey(
  db: Queryable,
  spec: {
    userId: string;
    name: string;
    roles: readonly string[];
    tenantId: string | null;
    expiresAt?: string | null;
  },
): Promise<{ key: string; record: ApiKeyRecord }> {
  const prefix = randomSecret(12)
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 8)
    .padEnd(8, '0');
  const secret = randomSecret();
  const { rows } = await db.query<ApiKeyRecord>(
    `INSERT INTO ${TABLE} (user_id, tenant_id, name, prefix, secret_hash, roles, expires_at)
     VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6::text[], $7::timestamptz) RETURNING ${COLUMNS}`,
    [spec.userId, spec.tenantId, spec.name, prefix, sha256(secret), [...spec.roles], spec.expiresAt ?? null],
  );
  return { key: `ak_${prefix}_${secret}`, record: rows[0]! };
}

/** A page of the account's keys, oldest first (ids are time-ordered), after the key `afterId`. */
export async function listApiKeys(
  db: Queryable,
  userId: string,
  page: { limit: number; afterId?: string } = { limit: 1000 },
): Promise<ApiKeyRecord[]> {
  const { rows } = await db.query<ApiKeyRecord>(
    `SELECT ${COLUMNS} FROM ${TABLE} WHERE user_id = $1::uuid AND ($2::uuid IS NULL OR id > $2::uuid)
     ORDER BY id LIMIT $3`,
    [userId, page.afterId ?? null, page.limit],
  );
  return rows;
}

export async function findApiKey(
  db: Queryable,
  userId: string,
  keyId: string,
): Promise<ApiKeyRecord | undefined> {
  const { rows } = await db.query<ApiKeyRecord>(
    `SELECT ${COLUMNS} FROM ${TABLE} WHERE id = $1::uuid AND user_id = $2::uuid`,
    [keyId, userId],
  );
  return rows[0];
}

/** Revoke one of the caller's keys; false when there is no such key of theirs. */
export async function revokeApiKey(db: Queryable, userId: string, keyId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE ${TABLE} SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1::uuid AND user_id = $2::uuid`,
    [keyId, userId],
  );
  return rowCount > 0;
}

/** The owner of a presented key, or undefined when it is unknown, revoked, expired or wrong. */
export async function verifyApiKey(db: Queryable, key: string): Promise<ApiKeyOwner | undefined> {
  if (!isApiKeyShaped(key)) return undefined;
  const [, prefix, secret] = /^ak_([A-Za-z0-9]{8})_(.+)$/.exec(key)!;
  const { rows } = await db.query<{
    id: string;
    user_id: string;
    roles: string[];
    tenant_id: string | null;
    secret_hash: string;
    live: boolean;
  }>(
    `SELECT k.id, k.user_id, k.roles, k.tenant_id, k.secret_hash,
            (k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now()) AND u.disabled_at IS NULL) AS live
     FROM ${TABLE} k JOIN auth_users u ON u.id = k.user_id WHERE k.prefix = $1`,
    [prefix],
  );
  const row = rows[0];
  // Hash and compare even when the prefix is unknown, so the answer time does not say which.
  const matches = safeEqual(sha256(secret!), row?.secret_hash ?? sha256('no such key'));
  if (!row || !matches || !row.live) return undefined;
  return { keyId: row.id, userId: row.user_id, roles: row.roles, tenantId: row.tenant_id };
}

/** Record use, at most once a minute per key so reads do not turn into writes. */
export async function touchApiKey(db: Queryable, keyId: string): Promise<void> {
  await db.query(
    `UPDATE ${TABLE} SET last_used_at = now()
     WHERE id = $1::uuid AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [keyId],
  );
}
