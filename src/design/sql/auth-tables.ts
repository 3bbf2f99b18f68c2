/**
 * The identity tables: accounts, refresh token families, API keys, one-time tokens (password
 * reset, email verification, invitations) and the security event trail. Secrets are never
 * stored: only their SHA-256 (tokens, keys) or argon2id (passwords) hashes.
 *
 * Names start with `auth_` so they cannot meet a blueprint entity (the semantic checks refuse an
 * entity that would take one).
 */
import type { Model } from '../../blueprint/model.js';
import { UUID_V7_FUNCTION } from '../../blueprint/normalize.js';
import type { ColumnSpec } from './columns.js';
import { tableComment } from './comments.js';
import { indexStatement } from './indexes.js';
import type { SchemaSection, SchemaStatement, TableConstraint } from './statements.js';
import { check, primaryKey, tableStatement } from './tables.js';
import { refusalTriggers } from './triggers.js';

export const AUTH_USERS_TABLE = 'auth_users';
export const AUTH_REFRESH_TOKENS_TABLE = 'auth_refresh_tokens';
export const AUTH_API_KEYS_TABLE = 'auth_api_keys';
export const AUTH_ONE_TIME_TOKENS_TABLE = 'auth_one_time_tokens';
export const AUTH_EVENTS_TABLE = 'auth_events';

const uuidKey: ColumnSpec = { name: 'id', type: 'uuid', notNull: true, default: `${UUID_V7_FUNCTION}()` };
const createdAt: ColumnSpec = { name: 'created_at', type: 'timestamptz', notNull: true, default: 'now()' };
const col = (name: string, type: string, notNull = false, fallback?: string): ColumnSpec => ({
  name,
  type,
  notNull,
  ...(fallback === undefined ? {} : { default: fallback }),
});
const userFk = (table: string, column = 'user_id'): TableConstraint => ({
  name: `${table}_${column}_fkey`,
  kind: 'foreign_key',
  definition: `FOREIGN KEY (${column}) REFERENCES ${AUTH_USERS_TABLE} (id) ON DELETE CASCADE`,
});
const index = (table: string, columns: string[], unique = false, where?: string): SchemaStatement =>
  indexStatement(table, {
    name: `${table}_${columns.join('_')}_${unique ? 'key' : 'idx'}`,
    columns,
    unique,
    method: 'btree',
    reason: 'declared',
    where,
  });

function users(): SchemaStatement[] {
  const table = AUTH_USERS_TABLE;
  return [
    tableStatement(
      table,
      [
        uuidKey,
        col('email', 'text', true),
        col('password_hash', 'text'),
        col('roles', 'text[]', true, "'{}'"),
        col('email_verified_at', 'timestamptz'),
        col('disabled_at', 'timestamptz'),
        createdAt,
        col('updated_at', 'timestamptz', true, 'now()'),
      ],
      [
        primaryKey(`${table}_pkey`, ['id']),
        // Stored lower-cased, so one unique index is enough.
        check(`${table}_email_lower`, 'email = lower(email)'),
        check(`${table}_email_format`, "email ~ '^[^@[:space:]]+@[^@[:space:]]+$'"),
      ],
    ),
    tableComment(table, 'Accounts that sign in; the password is kept as an argon2id hash only.'),
    index(table, ['email'], true),
  ];
}

function refreshTokens(): SchemaStatement[] {
  const table = AUTH_REFRESH_TOKENS_TABLE;
  return [
    tableStatement(
      table,
      [
        uuidKey,
        col('family_id', 'uuid', true),
        col('user_id', 'uuid', true),
        col('tenant_id', 'uuid'),
        col('token_hash', 'text', true),
        col('used_at', 'timestamptz'),
        col('revoked_at', 'timestamptz'),
        col('expires_at', 'timestamptz', true),
        createdAt,
      ],
      [primaryKey(`${table}_pkey`, ['id']), userFk(table)],
    ),
    tableComment(
      table,
      'Refresh tokens by family: each use rotates to a new token of the same family; presenting a used one revokes the family.',
    ),
    index(table, ['token_hash'], true),
    index(table, ['family_id']),
    index(table, ['user_id']),
  ];
}

function apiKeys(): SchemaStatement[] {
  const table = AUTH_API_KEYS_TABLE;
  return [
    tableStatement(
      table,
      [
        uuidKey,
        col('user_id', 'uuid', true),
        col('tenant_id', 'uuid'),
        col('name', 'text', true),
        col('prefix', 'text', true),
        col('secret_hash', 'text', true),
        col('roles', 'text[]', true, "'{}'"),
        createdAt,
        col('last_used_at', 'timestamptz'),
        col('expires_at', 'timestamptz'),
        col('revoked_at', 'timestamptz'),
      ],
      [primaryKey(`${table}_pkey`, ['id']), userFk(table)],
    ),
    tableComment(table, 'API keys: the secret is shown once; only its SHA-256 is kept, found by its prefix.'),
    index(table, ['prefix'], true),
    index(table, ['user_id']),
  ];
}

function oneTimeTokens(): SchemaStatement[] {
  const table = AUTH_ONE_TIME_TOKENS_TABLE;
  return [
    tableStatement(
      table,
      [
        uuidKey,
        col('purpose', 'text', true),
        col('token_hash', 'text', true),
        col('user_id', 'uuid'),
        col('email', 'text', true),
        col('tenant_id', 'uuid'),
        col('roles', 'text[]', true, "'{}'"),
        col('created_by', 'uuid'),
        col('expires_at', 'timestamptz', true),
        col('used_at', 'timestamptz'),
        createdAt,
      ],
      [
        primaryKey(`${table}_pkey`, ['id']),
        userFk(table),
        check(`${table}_purpose_enum`, "purpose IN ('reset', 'verify', 'invite')"),
      ],
    ),
    tableComment(
      table,
      'Single-use, expiring tokens (password reset, email verification, invitations), hashed.',
    ),
    index(table, ['token_hash'], true),
    index(table, ['user_id']),
  ];
}

function events(): SchemaStatement[] {
  const table = AUTH_EVENTS_TABLE;
  return [
    tableStatement(
      table,
      [
        { name: 'id', type: 'bigint', notNull: true, generated: 'ALWAYS AS IDENTITY' },
        col('event', 'text', true),
        col('user_id', 'uuid'),
        col('actor', 'text'),
        col('email', 'text'),
        col('tenant_id', 'uuid'),
        col('ip', 'text'),
        col('request_id', 'text'),
        col('detail', 'jsonb', true, "'{}'::jsonb"),
        createdAt,
      ],
      [primaryKey(`${table}_pkey`, ['id']), check(`${table}_event_format`, "event ~ '^[a-z][a-z0-9_]*$'")],
    ),
    tableComment(
      table,
      'Security events (sign-in, refresh reuse, keys, denials) with request id and IP; append-only.',
    ),
    index(table, ['user_id', 'id']),
    index(table, ['created_at', 'id']),
    ...refusalTriggers(table, 'UPDATE OR DELETE', true),
  ];
}

/** The identity section of the schema, present whenever the blueprint declares sign-in methods. */
export function authSection(model: Model): SchemaSection | undefined {
  if (model.auth.methods.length === 0) return undefined;
  return {
    title: 'Identity',
    notes: [
      'Accounts, refresh token families, API keys, one-time tokens and security events, used by the runtime.',
      'Secrets are stored only as hashes.',
    ],
    statements: [...users(), ...refreshTokens(), ...apiKeys(), ...oneTimeTokens(), ...events()],
  };
}
