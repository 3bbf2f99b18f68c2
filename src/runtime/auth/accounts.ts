/**
 * Accounts (`auth_users`) and what the rest of the identity layer asks about them: find by
 * email, create (with the row of the blueprint's accounts entity, `auth.users`, under the same
 * id), the roles a caller holds in a tenant (account roles plus the membership's role).
 */
import type { Model } from '../../blueprint/model.js';
import { getEntity } from '../../blueprint/model.js';
import { AUTH_USERS_TABLE as TABLE } from '../../design/sql/auth-tables.js';
import { ArchitectError } from '../../errors.js';
import { quoteIdentifier } from '../../sql/identifiers.js';
import type { Queryable } from '../db/index.js';
import { createEntityPlan } from '../query/index.js';

export interface Account {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string | null;
  readonly roles: string[];
  readonly emailVerifiedAt: string | null;
  readonly disabledAt: string | null;
}

const COLUMNS = `id, email, password_hash AS "passwordHash", roles, email_verified_at AS "emailVerifiedAt", disabled_at AS "disabledAt"`;

/** Addresses compare case-insensitively; they are stored lower-cased and trimmed. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findAccountByEmail(db: Queryable, email: string): Promise<Account | undefined> {
  const { rows } = await db.query<Account>(`SELECT ${COLUMNS} FROM ${TABLE} WHERE email = $1`, [
    normalizeEmail(email),
  ]);
  return rows[0];
}

export async function findAccount(db: Queryable, id: string): Promise<Account | undefined> {
  const { rows } = await db.query<Account>(`SELECT ${COLUMNS} FROM ${TABLE} WHERE id = $1::uuid`, [id]);
  return rows[0];
}

export interface NewAccount {
  readonly email: string;
  readonly passwordHash: string | null;
  readonly roles: readonly string[];
  /** Properties of the accounts entity row (JSON names), when the blueprint has one. */
  readonly profile?: Readonly<Record<string, unknown>>;
  readonly emailVerified?: boolean;
}

/**
 * Create the account and, when the blueprint names an accounts entity, its row with the same
 * id (the address goes to its `email` field when it has one). Run inside a transaction.
 */
export async function createAccount(db: Queryable, model: Model, account: NewAccount): Promise<Account> {
  const email = normalizeEmail(account.email);
  const { rows } = await db.query<Account>(
    `INSERT INTO ${TABLE} (email, password_hash, roles, email_verified_at)
     VALUES ($1, $2, $3::text[], CASE WHEN $4::boolean THEN now() END) RETURNING ${COLUMNS}`,
    [email, account.passwordHash, [...account.roles], account.emailVerified === true],
  );
  const created = rows[0]!;
  if (model.auth.users) await insertProfile(db, model, created.id, email, account.profile ?? {});
  return created;
}

async function insertProfile(
  db: Queryable,
  model: Model,
  id: string,
  email: string,
  profile: Readonly<Record<string, unknown>>,
): Promise<void> {
  const plan = createEntityPlan(model, getEntity(model, model.auth.users!));
  const columns: string[] = ['id'];
  const values: unknown[] = [id];
  const placeholders: string[] = ['$1::uuid'];
  const emailField = plan.entity.fields.find((field) => field.name === 'email');
  const problems: { field: string; code: string; message: string }[] = [];
  for (const [property, value] of Object.entries(profile)) {
    const field = plan.byProperty.get(property);
    if (!field?.creatable || field === emailField) {
      problems.push({ field: property, code: 'additionalProperties', message: `${property} cannot be set` });
      continue;
    }
    columns.push(field.column);
    values.push(plan.toParam(field, value));
    placeholders.push(plan.cast(field, `$${values.length}`));
  }
  if (emailField) {
    columns.push(emailField.column);
    values.push(email);
    placeholders.push(`$${values.length}::text`);
  }
  if (problems.length > 0) throw new ArchitectError('VALIDATION_FAILED', {}, { details: problems });
  await db.query(
    `INSERT INTO ${plan.table} (${columns.map(quoteIdentifier).join(', ')}) VALUES (${placeholders.join(', ')})`,
    values,
  );
}

export async function setPassword(db: Queryable, id: string, passwordHash: string): Promise<void> {
  await db.query(`UPDATE ${TABLE} SET password_hash = $2, updated_at = now() WHERE id = $1::uuid`, [
    id,
    passwordHash,
  ]);
}

export async function markEmailVerified(db: Queryable, id: string): Promise<void> {
  await db.query(
    `UPDATE ${TABLE} SET email_verified_at = COALESCE(email_verified_at, now()), updated_at = now() WHERE id = $1::uuid`,
    [id],
  );
}

export interface TenantMembership {
  readonly tenantId: string;
  readonly role: string;
}

/** The tenants an account belongs to, with its role in each (empty without tenancy). */
export async function membershipsOf(
  db: Queryable,
  model: Model,
  userId: string,
): Promise<TenantMembership[]> {
  const members = model.tenancy.kind === 'organization' ? model.tenancy.members : undefined;
  if (!members) return [];
  const { rows } = await db.query<TenantMembership>(
    `SELECT ${quoteIdentifier(members.tenantColumn)}::text AS "tenantId", ${quoteIdentifier(members.roleColumn)}::text AS role
     FROM ${quoteIdentifier(members.table)} WHERE ${quoteIdentifier(members.userColumn)} = $1::uuid
     ORDER BY created_at, ${quoteIdentifier(members.tenantColumn)}`,
    [userId],
  );
  return rows;
}

/** Add an account to a tenant with a role (invitations, a tenant's creator). */
export async function addMembership(
  db: Queryable,
  model: Model,
  tenantId: string,
  userId: string,
  role: string,
): Promise<void> {
  const members = model.tenancy.kind === 'organization' ? model.tenancy.members : undefined;
  if (!members) return;
  await db.query(
    `INSERT INTO ${quoteIdentifier(members.table)} (${quoteIdentifier(members.tenantColumn)}, ${quoteIdentifier(members.userColumn)}, ${quoteIdentifier(members.roleColumn)})
     VALUES ($1::uuid, $2::uuid, $3) ON CONFLICT DO NOTHING`,
    [tenantId, userId, role],
  );
}

/**
 * The tenant a session acts in and the roles it holds there: the requested tenant (which must
 * be one of the account's), else the account's first. Without tenancy: the account's roles.
 */
export async function sessionScope(
  db: Queryable,
  model: Model,
  account: Account,
  requestedTenant?: string | null,
): Promise<{ tenantId: string | null; roles: string[] }> {
  if (model.tenancy.kind !== 'organization') return { tenantId: null, roles: account.roles };
  const memberships = await membershipsOf(db, model, account.id);
  const chosen = requestedTenant
    ? memberships.find((membership) => membership.tenantId === requestedTenant)
    : memberships[0];
  if (requestedTenant && !chosen) {
    throw new ArchitectError(
      'FORBIDDEN',
      { action: 'act in this tenant' },
      { message: 'Not a member of this tenant' },
    );
  }
  const roles = [...new Set([...account.roles, ...(chosen ? [chosen.role] : [])])];
  return { tenantId: chosen?.tenantId ?? null, roles };
}
