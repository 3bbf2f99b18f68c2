/**
 * The security half of normalization: `auth` defaults, `tenancy`, and the row rules of each
 * entity (`owner:`, the tenant column, per-field roles). Kept apart from `normalize.ts` so the
 * rules that decide who reaches which row read in one place.
 */
import { constraintName } from '../sql/identifiers.js';
import type { Auth, Entity, Field, OwnedOperation, Ownership, Tenancy, TenantColumn } from './model.js';
import type { RawBlueprint, RawEntity } from './raw.js';

export const AUTH_DEFAULTS = {
  signup: 'admin',
  accessTtlSeconds: 900,
  refreshTtlSeconds: 30 * 86_400,
  /** Generous for people, low enough that a script from one address is slowed down. */
  ipPerMinute: 600,
  principalPerMinute: 1200,
  /** Login, refresh, sign-up and reset attempts per IP and per account. */
  loginPerMinute: 10,
} as const;

const ALL_OWNED: readonly OwnedOperation[] = ['read', 'update', 'delete'];

export function authOf(raw: RawBlueprint): Auth {
  const auth = raw.auth ?? {};
  return {
    methods: auth.methods ?? ['password', 'api_key'],
    roles: auth.roles ?? ['admin'],
    signup: auth.signup ?? AUTH_DEFAULTS.signup,
    users: auth.users,
    defaultRoles: auth.default_roles ?? [],
    tokens: {
      accessTtlSeconds: auth.tokens?.access_ttl_s ?? AUTH_DEFAULTS.accessTtlSeconds,
      refreshTtlSeconds: auth.tokens?.refresh_ttl_s ?? AUTH_DEFAULTS.refreshTtlSeconds,
    },
    rateLimits: {
      ip: { perMinute: auth.rate_limits?.ip?.per_minute ?? AUTH_DEFAULTS.ipPerMinute },
      principal: { perMinute: auth.rate_limits?.principal?.per_minute ?? AUTH_DEFAULTS.principalPerMinute },
      login: { perMinute: auth.rate_limits?.login?.per_minute ?? AUTH_DEFAULTS.loginPerMinute },
    },
  };
}

/** The field of `raw` that references `target` (its column is `<field>_id`). */
function referenceTo(raw: RawEntity, target: string, required: boolean): string | undefined {
  const matches = Object.entries(raw.fields).filter(([, definition]) => {
    const field = typeof definition === 'string' ? { type: definition } : definition;
    return field.type === target && (!required || field.optional !== true);
  });
  // The parent reference first: nested routes already bind it from the path.
  const typeOf = (definition: (typeof matches)[number][1]) =>
    typeof definition === 'string' ? definition : definition.type;
  const parent = matches.find(
    ([, definition]) => raw.parent !== undefined && typeOf(definition) === raw.parent,
  );
  return (parent ?? matches[0])?.[0];
}

export function tenancyOf(raw: RawBlueprint, tableOf: (entity: string) => string): Tenancy {
  if (raw.tenancy === undefined || raw.tenancy === 'none') return { kind: 'none' };
  const { by, members, creator_role: creatorRole } = raw.tenancy;
  const usersEntity = raw.auth?.users;
  const membersRaw = members ? raw.entities[members] : undefined;
  const tenantField = membersRaw ? referenceTo(membersRaw, by, true) : undefined;
  const userField = membersRaw && usersEntity ? referenceTo(membersRaw, usersEntity, true) : undefined;
  return {
    kind: 'organization',
    column: `${by}_id`,
    entity: by,
    members:
      members && tenantField && userField
        ? {
            entity: members,
            table: tableOf(members),
            tenantColumn: `${tenantField}_id`,
            userColumn: `${userField}_id`,
            roleColumn: 'role',
          }
        : undefined,
    creatorRole,
  };
}

/** Clients may not set a field the server fills (owner, tenant). */
function serverSet(field: Field): Field {
  return { ...field, readonly: true, creatable: false, updatable: false, requiredOnCreate: false };
}

/**
 * Apply the entity's row rules: the owner and tenant columns become server-set, and the entity
 * records them for the query layer and the DDL.
 */
export function withRowRules(entity: Entity, raw: RawEntity, tenancy: Tenancy): Entity {
  let fields = entity.fields;
  let owner: Ownership | undefined;
  if (raw.owner !== undefined) {
    const spec = typeof raw.owner === 'string' ? { field: raw.owner } : raw.owner;
    const field = fields.find((candidate) => candidate.name === spec.field);
    if (field) {
      owner = {
        field: field.name,
        column: field.column,
        property: field.property,
        operations: spec.operations ?? ALL_OWNED,
        exceptRoles: spec.except ?? [],
      };
      fields = fields.map((candidate) => (candidate === field ? serverSet(candidate) : candidate));
    }
  }
  let tenant: TenantColumn | undefined;
  if (tenancy.kind === 'organization' && entity.name !== tenancy.entity) {
    const name = referenceTo(raw, tenancy.entity, true);
    const field = name ? fields.find((candidate) => candidate.name === name) : undefined;
    if (field) {
      tenant = { field: field.name, column: field.column, property: field.property };
      // A nested entity takes its parent from the path (checked against the active tenant).
      const isParent = entity.parent?.column === field.column;
      if (!isParent)
        fields = fields.map((candidate) => (candidate === field ? serverSet(candidate) : candidate));
    }
  }
  if (!owner && !tenant) return entity;
  return { ...rebindFields(entity, fields), ...(owner ? { owner } : {}), ...(tenant ? { tenant } : {}) };
}

/**
 * References between tenant-owned entities carry the tenant column (`ReferenceInfo.tenant`), and
 * each referenced tenant-owned entity gets the unique `(tenant, id)` index such a key needs.
 */
export function withTenantReferences(entities: readonly Entity[]): Entity[] {
  const byName = new Map(entities.map((entity) => [entity.name, entity]));
  const targets = new Set<string>();
  const linked = entities.map((entity) => {
    if (!entity.tenant) return entity;
    const tenantColumn = entity.tenant.column;
    let changed = false;
    const fields = entity.fields.map((field) => {
      const target = field.reference ? byName.get(field.reference.entity) : undefined;
      if (!target?.tenant || field.column === tenantColumn || target.key.kind === 'composite') return field;
      targets.add(target.name);
      changed = true;
      return {
        ...field,
        reference: {
          ...field.reference!,
          tenant: { column: tenantColumn, targetColumn: target.tenant.column },
        },
      };
    });
    return changed ? rebindFields(entity, fields) : entity;
  });
  return linked.map((entity) => {
    if (!targets.has(entity.name) || !entity.tenant) return entity;
    const columns = [entity.tenant.column, 'id'];
    const name = constraintName(entity.table, ...columns, 'key');
    return {
      ...entity,
      indexes: [...entity.indexes, { name, columns, unique: true, method: 'btree', reason: 'unique' }],
    };
  });
}

function rebindFields(entity: Entity, fields: readonly Field[]): Entity {
  const byColumn = new Map(fields.map((field) => [field.column, field]));
  const rebind = <T extends { field: Field; column: string }>(param: T): T => ({
    ...param,
    field: byColumn.get(param.column) ?? param.field,
  });
  return {
    ...entity,
    fields,
    itemParams: entity.itemParams.map(rebind),
    collectionParams: entity.collectionParams.map(rebind),
  };
}
