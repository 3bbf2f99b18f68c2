/**
 * Tenancy in the database, the second wall behind the runtime's row rules:
 *
 * - (references between tenant-owned tables carry the tenant column: see `ReferenceInfo.tenant`,
 *   emitted with the table's own foreign keys);
 * - row-level security on every tenant-owned table: rows are visible and writable only when the
 *   transaction's `architect.tenant_id` setting names their tenant;
 * - `architect_app`, the role requests run as (`SET LOCAL ROLE`): not the owner and without
 *   BYPASSRLS, so the policies apply to it, and with no access to the identity tables.
 *
 * The owner (who runs migrations) is not subject to the policies (no FORCE), so start-up
 * migrations and the identity layer work as before.
 */
import { type Entity, getEntity, type Model } from '../../blueprint/model.js';
import { constraintName, quoteIdentifier, quoteLiteral } from '../../sql/identifiers.js';
import {
  AUTH_API_KEYS_TABLE,
  AUTH_EVENTS_TABLE,
  AUTH_ONE_TIME_TOKENS_TABLE,
  AUTH_REFRESH_TOKENS_TABLE,
  AUTH_USERS_TABLE,
} from './auth-tables.js';
import type { SchemaSection, SchemaStatement } from './statements.js';

/** The role requests run as when the tenant wall is up. */
export const APP_ROLE = 'architect_app';
/** The transaction setting naming the active tenant (`set_config(TENANT_SETTING, id, true)`). */
export const TENANT_SETTING = 'architect.tenant_id';

/** The active tenant in SQL: NULL (so no row matches) when the setting is absent or empty. */
export const CURRENT_TENANT_SQL = `NULLIF(current_setting('${TENANT_SETTING}', true), '')::uuid`;

export function tenantPolicyName(table: string): string {
  return constraintName(table, 'tenant_isolation');
}

function policyIfMissing(table: string, name: string, body: string): SchemaStatement {
  const sql = `DO $do$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_policies
    WHERE schemaname = current_schema() AND tablename = ${quoteLiteral(table)} AND policyname = ${quoteLiteral(name)}
  ) THEN
    CREATE POLICY ${quoteIdentifier(name)} ON ${quoteIdentifier(table)} ${body};
  END IF;
END
$do$;`;
  return { kind: 'security', table, name, sql };
}

function enable(table: string): SchemaStatement {
  return {
    kind: 'security',
    table,
    name: `${table} row level security`,
    sql: `DO $do$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_class WHERE oid = ${quoteLiteral(quoteIdentifier(table))}::regclass AND relrowsecurity
  ) THEN
    ALTER TABLE ${quoteIdentifier(table)} ENABLE ROW LEVEL SECURITY;
  END IF;
END
$do$;`,
  };
}

/** Tenant-owned tables see only the active tenant's rows, and may only write rows of it. */
function tenantOwnedPolicy(entity: Entity, column: string): SchemaStatement[] {
  const check = `${quoteIdentifier(column)} = ${CURRENT_TENANT_SQL}`;
  return [
    enable(entity.table),
    policyIfMissing(entity.table, tenantPolicyName(entity.table), `USING (${check}) WITH CHECK (${check})`),
  ];
}

/** The tenant table: its own row only; creating a new tenant is allowed (access rules decide). */
function tenantTablePolicy(entity: Entity): SchemaStatement[] {
  const own = `id = ${CURRENT_TENANT_SQL}`;
  const table = entity.table;
  return [
    enable(table),
    policyIfMissing(table, constraintName(table, 'tenant_read'), `FOR SELECT USING (${own})`),
    policyIfMissing(
      table,
      constraintName(table, 'tenant_update'),
      `FOR UPDATE USING (${own}) WITH CHECK (${own})`,
    ),
    policyIfMissing(table, constraintName(table, 'tenant_delete'), `FOR DELETE USING (${own})`),
    policyIfMissing(table, constraintName(table, 'tenant_create'), 'FOR INSERT WITH CHECK (true)'),
  ];
}

/** The request role: created once per server, granted the data tables and not the identity ones. */
function appRole(): SchemaStatement {
  const role = quoteIdentifier(APP_ROLE);
  const identity = [
    AUTH_USERS_TABLE,
    AUTH_REFRESH_TOKENS_TABLE,
    AUTH_API_KEYS_TABLE,
    AUTH_ONE_TIME_TOKENS_TABLE,
    AUTH_EVENTS_TABLE,
  ]
    .map(quoteIdentifier)
    .join(', ');
  const sql = `DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${quoteLiteral(APP_ROLE)}) THEN
    BEGIN
      CREATE ROLE ${role} NOLOGIN NOBYPASSRLS;
    EXCEPTION
      -- Another database on the same server created it at the same moment.
      WHEN duplicate_object OR unique_violation THEN NULL;
      WHEN insufficient_privilege THEN RAISE NOTICE 'cannot create role ${APP_ROLE}: the tenant wall stays down';
    END;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${quoteLiteral(APP_ROLE)}) THEN
    BEGIN
      EXECUTE format('GRANT ${role} TO %I', current_user);
    EXCEPTION WHEN OTHERS THEN NULL;
    END;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO ${role}', current_schema());
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO ${role}', current_schema());
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO ${role}', current_schema());
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}', current_schema());
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO ${role}', current_schema());
    REVOKE ALL ON ${identity} FROM ${role};
  END IF;
END
$do$;`;
  return { kind: 'security', name: APP_ROLE, sql };
}

/** The tenancy section: composite references, RLS policies and the request role. */
export function tenancySection(model: Model): SchemaSection | undefined {
  const tenancy = model.tenancy;
  if (tenancy.kind !== 'organization') return undefined;
  const owned = model.entities.filter((entity) => entity.tenant !== undefined);
  const tenantEntity = getEntity(model, tenancy.entity);
  return {
    title: 'Tenancy',
    notes: [
      `Tenant-owned tables carry ${tenancy.column}; references between them include it, so no row points into another tenant.`,
      `Row-level security: requests run as ${APP_ROLE} with ${TENANT_SETTING} set per transaction; without it they see no rows.`,
    ],
    statements: [
      ...tenantTablePolicy(tenantEntity),
      ...owned.flatMap((entity) => tenantOwnedPolicy(entity, entity.tenant!.column)),
      appRole(),
    ],
  };
}
