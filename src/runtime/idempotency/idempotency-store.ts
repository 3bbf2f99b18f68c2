/**
 * Idempotency keys: a POST with `Idempotency-Key` claims the key in the same transaction as its
 * work and stores its response there too, so the key and the effect commit (or vanish) together.
 * A concurrent request with the same key blocks on the claim until the first commits, then
 * replays its response; had the first failed, the second does the work itself.
 *
 * Keys are scoped by principal (two callers may pick the same key) and expire after
 * `api.idempotencyTtlSeconds`; an expired key is reclaimed by the claim itself, and the rest are
 * purged lazily.
 */
import { createHash } from 'node:crypto';
import { ArchitectError } from '../../errors.js';
import type { Queryable } from '../db/index.js';

export const IDEMPOTENCY_TABLE = 'architect_idempotency_keys';

/** Created at start-up by the resource routes (not part of the blueprint's schema). */
export const IDEMPOTENCY_TABLE_SQL = `CREATE TABLE IF NOT EXISTS ${IDEMPOTENCY_TABLE} (
  key text NOT NULL,
  principal text NOT NULL,
  method text NOT NULL,
  path text NOT NULL,
  request_hash text NOT NULL,
  status integer,
  headers jsonb,
  body text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  locked boolean NOT NULL DEFAULT true,
  PRIMARY KEY (principal, key)
);
CREATE INDEX IF NOT EXISTS ${IDEMPOTENCY_TABLE}_expires_at_idx ON ${IDEMPOTENCY_TABLE} (expires_at);`;

/** The longest key accepted (a UUID is 36; room for client prefixes). */
export const MAX_KEY_LENGTH = 255;

export interface IdempotentRequest {
  readonly key: string;
  readonly principal: string;
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

export interface StoredResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON text of the body, or null for an empty one. */
  readonly body: string | null;
}

/** Hash of what makes two requests "the same": method, path (with query) and the JSON body. */
export function requestHash(request: IdempotentRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.path}\n`)
    .update(canonicalJson(request.body))
    .digest('base64url');
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` hash alike. */
function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, child]) => child !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${canonicalJson(child)}`).join(',')}}`;
}

export function checkKey(key: string): void {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
    throw new ArchitectError('MALFORMED_REQUEST', {
      detail: `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} visible ASCII characters`,
    });
  }
}

/**
 * Claim the key inside the work's transaction. Returns the stored response to replay, or
 * undefined when this request owns the key and must do the work.
 */
export async function claimKey(
  tx: Queryable,
  request: IdempotentRequest,
  ttlSeconds: number,
): Promise<StoredResponse | undefined> {
  const hash = requestHash(request);
  const claimed = await tx.query(
    `INSERT INTO ${IDEMPOTENCY_TABLE} AS k (key, principal, method, path, request_hash, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))
     ON CONFLICT (principal, key) DO UPDATE SET method = EXCLUDED.method, path = EXCLUDED.path,
       request_hash = EXCLUDED.request_hash, status = NULL, headers = NULL, body = NULL,
       created_at = now(), expires_at = EXCLUDED.expires_at, locked = true
     WHERE k.expires_at < now()
     RETURNING key`,
    [request.key, request.principal, request.method, request.path, hash, ttlSeconds],
  );
  if (claimed.rowCount > 0) return undefined;
  const stored = await tx.query<{
    request_hash: string;
    status: number | null;
    headers: Record<string, string> | null;
    body: string | null;
  }>(
    `SELECT request_hash, status, headers, body FROM ${IDEMPOTENCY_TABLE} WHERE principal = $1 AND key = $2`,
    [request.principal, request.key],
  );
  const row = stored.rows[0];
  if (!row || row.request_hash !== hash)
    throw new ArchitectError('IDEMPOTENCY_KEY_REUSED', { key: request.key });
  if (row.status === null) throw new ArchitectError('IDEMPOTENCY_IN_PROGRESS', { key: request.key });
  return { status: row.status, headers: row.headers ?? {}, body: row.body };
}

/** Store the response of the work, in the same transaction. */
export async function storeResponse(
  tx: Queryable,
  request: IdempotentRequest,
  response: StoredResponse,
): Promise<void> {
  await tx.query(
    `UPDATE ${IDEMPOTENCY_TABLE} SET status = $3, headers = $4::jsonb, body = $5, locked = false WHERE principal = $1 AND key = $2`,
    [request.principal, request.key, response.status, JSON.stringify(response.headers), response.body],
  );
}

/** Delete expired keys (run now and then, not on every request). */
export async function purgeExpiredKeys(db: Queryable): Promise<number> {
  const result = await db.query(`DELETE FROM ${IDEMPOTENCY_TABLE} WHERE expires_at < now()`);
  return result.rowCount;
}
