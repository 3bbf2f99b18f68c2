/**
 * The normalized model: the one shape every emitter and the runtime read.
 *
 * `normalizeBlueprint()` builds it from a validated blueprint with every default applied and
 * every reference resolved, then deep-freezes it. Nothing downstream reads raw YAML.
 *
 * Naming is resolved here once: an entity `purchase_order` becomes table `purchase_orders`,
 * resource path `/purchase-orders`, schema `PurchaseOrder`; a reference field `supplier` becomes
 * column `supplier_id` and JSON property `supplierId` (with `json_case: camel`).
 */

/** Scalar kinds a field can have. References and enums are kinds too. */
export type FieldKind =
  | 'string'
  | 'text'
  | 'integer'
  | 'bigint'
  | 'decimal'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'uuid'
  | 'email'
  | 'url'
  | 'json'
  | 'enum'
  | 'reference';

export const FIELD_KINDS: readonly FieldKind[] = [
  'string',
  'text',
  'integer',
  'bigint',
  'decimal',
  'boolean',
  'date',
  'datetime',
  'uuid',
  'email',
  'url',
  'json',
  'enum',
  'reference',
];

/** The built-in type names a blueprint may write in `type:` (enum and reference come from names). */
export const BUILTIN_TYPES = [
  'string',
  'text',
  'integer',
  'bigint',
  'decimal',
  'boolean',
  'date',
  'datetime',
  'uuid',
  'email',
  'url',
  'json',
] as const;
export type BuiltinType = (typeof BUILTIN_TYPES)[number];

/** A position in a source file, 1-based. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type OnDelete = 'restrict' | 'cascade' | 'set_null' | 'no_action';

export interface ReferenceInfo {
  /** Name of the referenced entity. */
  readonly entity: string;
  /** Referenced table. */
  readonly table: string;
  /** Referenced key columns (one for single keys). Composite targets are not referenceable. */
  readonly column: string;
  readonly onDelete: OnDelete;
  /** SQL name of the foreign key constraint. */
  readonly constraint: string;
  /** Name of the index that covers the foreign key (its own, or a key/unique/declared index that leads with it). */
  readonly index: string;
  /**
   * True when the referenced table is created after this one (a cycle broken by an optional
   * reference, or a self-reference): the constraint is added once both tables exist.
   */
  readonly deferred: boolean;
  /**
   * Set on references between tenant-owned tables: the foreign key is `(tenant column, column)`
   * to `(target tenant column, key)`, so a row can never point at another tenant's row.
   */
  readonly tenant?: { readonly column: string; readonly targetColumn: string };
}

/**
 * Where a column comes from:
 * - `declared`: a field written in the blueprint;
 * - `key`: the generated surrogate key (`id`);
 * - `system`: created_at, updated_at, version, deleted_at;
 * - `lifecycle`: the state column of a lifecycle;
 * - `computed`: a generated column.
 */
export type FieldOrigin = 'declared' | 'key' | 'system' | 'lifecycle' | 'computed';

export interface Field {
  /** Name as written in the blueprint (snake_case), e.g. `supplier`. */
  readonly name: string;
  /** SQL column, e.g. `supplier_id`. */
  readonly column: string;
  /** JSON property in the API, e.g. `supplierId` (camel) or `supplier_id` (snake). */
  readonly property: string;
  readonly kind: FieldKind;
  /** The exact PostgreSQL type, e.g. `numeric(18,4)`, `text`, `uuid`. */
  readonly sqlType: string;
  readonly origin: FieldOrigin;
  readonly description?: string;
  /** True when NULL is allowed (`optional: true` in the blueprint). */
  readonly nullable: boolean;
  /**
   * Default value as a JSON value (already typed for the kind), or undefined. Server-generated
   * values (ids, timestamps) are described by `generated` instead.
   */
  readonly default?: string | number | boolean | null | Record<string, unknown> | unknown[];
  /** How the database fills the value when the client does not: SQL expression text. */
  readonly sqlDefault?: string;
  /** Single-column unique (partial on deleted_at IS NULL for soft-deleted entities). */
  readonly unique: boolean;
  /** Numeric lower/upper bound (integer, bigint, decimal) or length bound (strings). */
  readonly min?: number;
  readonly max?: number;
  /** Decimal bounds as exact strings, e.g. "0.0001". */
  readonly minText?: string;
  readonly maxText?: string;
  /** Exact length for strings. */
  readonly length?: number;
  readonly pattern?: string;
  /** A value that may not be used (e.g. `not: 0` for a ledger delta). */
  readonly not?: string | number | boolean;
  readonly example?: unknown;
  /** Decimal precision and scale. */
  readonly precision?: number;
  readonly scale?: number;
  /** Enum name and values for `kind: 'enum'`. */
  readonly enum?: { readonly name: string; readonly values: readonly string[] };
  readonly reference?: ReferenceInfo;
  /** Clients may not set it; it appears only in read representations. */
  readonly readonly: boolean;
  /** Clients may set it on create (false for readonly, generated and system columns). */
  readonly creatable: boolean;
  /** Clients may change it with PATCH (false also for key fields and the parent reference). */
  readonly updatable: boolean;
  /** Clients must send it on create: not nullable, no default, not generated. */
  readonly requiredOnCreate: boolean;
  /** Generated column expression (SQL, in column names) for `origin: 'computed'`. */
  readonly computed?: string;
  /** Can be used in filters and sort (indexed for sort). */
  readonly sortable: boolean;
  /** Only callers with one of these roles see the field (absent: everyone who may read the row). */
  readonly visibleTo?: readonly Role[];
  /** Only callers with one of these roles may set the field (absent: everyone who may write). */
  readonly writableBy?: readonly Role[];
  readonly location?: SourceLocation;
}

export interface IndexDef {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
  /** Partial index predicate, e.g. `deleted_at IS NULL`. */
  readonly where?: string;
  /** `btree` by default; `gin` for search. */
  readonly method: 'btree' | 'gin';
  /** Why the index exists: a declared index, a foreign key, a unique group, search. */
  readonly reason: 'declared' | 'foreign_key' | 'unique' | 'search' | 'lifecycle';
}

export interface UniqueGroup {
  readonly name: string;
  /** Field names as written in the blueprint. */
  readonly fields: readonly string[];
  readonly columns: readonly string[];
}

export interface CheckDef {
  /** Blueprint name of the check, e.g. `sublocation_has_parent`. */
  readonly name: string;
  /** SQL constraint name, e.g. `locations_sublocation_has_parent_check`. */
  readonly constraint: string;
  readonly sql: string;
  /** Message returned to API clients when the check fails. */
  readonly message: string;
  /** Columns the expression reads. */
  readonly columns: readonly string[];
  /** True for checks generated from field options (min, max, not, pattern, enum ...). */
  readonly generated: boolean;
  /** For generated checks, the field whose option produced it. */
  readonly field?: string;
}

export type Role = string;

/**
 * Who may perform an operation: a list of roles, or one of the two audiences.
 * `any` includes anonymous callers; `authenticated` any signed-in caller.
 */
export type AccessRule =
  | { readonly kind: 'any' }
  | { readonly kind: 'authenticated' }
  | { readonly kind: 'roles'; readonly roles: readonly Role[] }
  | { readonly kind: 'none' };

export interface Access {
  readonly read: AccessRule;
  readonly create: AccessRule;
  readonly update: AccessRule;
  readonly delete: AccessRule;
}

export interface Transition {
  readonly name: string;
  readonly from: readonly string[];
  readonly to: string;
  readonly access: AccessRule;
  readonly reason: 'required' | 'optional' | 'none';
  /** URL segment, e.g. `submit` -> `POST /purchase-orders/{id}/submit`. */
  readonly pathSegment: string;
}

export interface Lifecycle {
  readonly field: string;
  readonly column: string;
  readonly property: string;
  readonly initial: string;
  readonly states: readonly string[];
  readonly transitions: readonly Transition[];
  /** Status history table, when `history: true`. */
  readonly historyTable?: string;
}

export interface EntityKey {
  /** `uuid`: generated UUID v7; `bigint`: identity; `composite`: the listed reference fields. */
  readonly kind: 'uuid' | 'bigint' | 'composite';
  /** Key columns in order. */
  readonly columns: readonly string[];
  /** Key fields (names as in the blueprint) in order. */
  readonly fields: readonly string[];
  readonly constraint: string;
}

export interface Entity {
  /** Blueprint name, singular snake_case: `purchase_order`. */
  readonly name: string;
  /** `purchase_orders` */
  readonly table: string;
  /** `PurchaseOrder` (schema names, types). */
  readonly pascalName: string;
  /** `purchaseOrder` (operation ids). */
  readonly camelName: string;
  /** Plural in PascalCase: `PurchaseOrders` (operation ids for collections). */
  readonly pascalPlural: string;
  readonly description?: string;
  readonly key: EntityKey;
  /** All columns in table order: key, declared fields, lifecycle, computed, system. */
  readonly fields: readonly Field[];
  readonly indexes: readonly IndexDef[];
  readonly uniques: readonly UniqueGroup[];
  readonly checks: readonly CheckDef[];
  /** Columns combined into the full-text search document. */
  readonly search?: {
    readonly fields: readonly string[];
    readonly columns: readonly string[];
    readonly column: string;
  };
  readonly softDelete: boolean;
  /** `required`: PATCH, DELETE and transitions without If-Match are refused (428). */
  readonly ifMatch: 'optional' | 'required';
  readonly appendOnly: boolean;
  /** False: no generic create/update/delete routes (actions change it). */
  readonly writable: boolean;
  readonly audit: boolean;
  readonly cache?: { readonly ttlSeconds: number };
  readonly realtime: boolean;
  readonly lifecycle?: Lifecycle;
  readonly access: Access;
  /** The parent for nested routes, with the reference field that points to it. */
  readonly parent?: {
    readonly entity: string;
    readonly field: string;
    readonly column: string;
    readonly property: string;
  };
  /** Collection path relative to the API base, e.g. `/purchase-orders` or `/purchase-orders/{purchaseOrderId}/lines`. */
  readonly collectionPath: string;
  /** Item path, e.g. `/purchase-orders/{id}`, `/stock-levels/{productId}/{locationId}`. */
  readonly itemPath: string;
  /** Path parameters of the collection path (the parent key for nested routes). */
  readonly collectionParams: readonly PathParam[];
  /** Path parameters of the item path in order (collection params first), with the column each binds. */
  readonly itemParams: readonly PathParam[];
  /** The last path segment: `purchase-orders`, `lines`. */
  readonly resourceSegment: string;
  /** Relations `include=` can embed, many-to-one first. */
  readonly relations: readonly Relation[];
  /** Tag used in OpenAPI and docs. */
  readonly tag: string;
  /** Row ownership (`owner:`), when declared. */
  readonly owner?: Ownership;
  /** Set on tenant-owned entities: the column every row rule and RLS policy scopes by. */
  readonly tenant?: TenantColumn;
  readonly location?: SourceLocation;
}

/** Operations an ownership rule can limit to the caller's own rows (transitions follow update). */
export type OwnedOperation = 'read' | 'update' | 'delete';

/**
 * `owner:` on an entity: the field holding the row's owner. The runtime sets it to the caller on
 * create (clients cannot), and limits `operations` to rows the caller owns unless the caller has
 * one of `exceptRoles`.
 */
export interface Ownership {
  readonly field: string;
  readonly column: string;
  readonly property: string;
  readonly operations: readonly OwnedOperation[];
  readonly exceptRoles: readonly Role[];
}

/** The tenant column of a tenant-owned entity (it references the tenant entity). */
export interface TenantColumn {
  readonly field: string;
  readonly column: string;
  readonly property: string;
}

export interface PathParam {
  /** Name in the URL template, e.g. `purchaseOrderId`, `id`. */
  readonly name: string;
  /** The column of this entity it binds. */
  readonly column: string;
  readonly field: Field;
}

/**
 * A relation that `include=` can embed. `one`: this entity holds the reference (many-to-one),
 * embedded as an object; `many`: another entity references this one, embedded as a list.
 */
export interface Relation {
  /** Name in `include=` and in the embedded representation: `supplier`, `lines`, `stockMovements`. */
  readonly name: string;
  readonly kind: 'one' | 'many';
  /** The entity on the other side. */
  readonly entity: string;
  /** The referencing field: on this entity for `one`, on the other entity for `many`. */
  readonly field: string;
  /** The referencing column (on the side that holds the reference). */
  readonly column: string;
}

export interface Enum {
  readonly name: string;
  readonly values: readonly string[];
  readonly location?: SourceLocation;
}

export interface Requirements {
  readonly peakRps: number;
  readonly readShare: number;
  readonly p99Ms: { readonly read: number; readonly write: number; readonly bulk1000: number };
  readonly availability: number;
  readonly consistency: 'strong' | 'eventual';
  /** Expected rows after one year, per entity name. */
  readonly data: Readonly<Record<string, number>>;
}

export type AuthMethod = 'password' | 'api_key' | 'jwt';

export type SignupPolicy = 'open' | 'invite' | 'admin';

/** A sliding-window budget of requests per minute. */
export interface RateLimit {
  readonly perMinute: number;
}

export interface Auth {
  readonly methods: readonly AuthMethod[];
  readonly roles: readonly Role[];
  /** Who may create an account: anyone, invited people, or admins (default `admin`). */
  readonly signup: SignupPolicy;
  /** The entity whose rows are the accounts (same id as the account), when declared. */
  readonly users?: string;
  /** Roles a new account gets when neither an invitation nor an admin says otherwise. */
  readonly defaultRoles: readonly Role[];
  readonly tokens: { readonly accessTtlSeconds: number; readonly refreshTtlSeconds: number };
  /** Per IP, per signed-in caller, and for login/reset (per IP and per account). */
  readonly rateLimits: { readonly ip: RateLimit; readonly principal: RateLimit; readonly login: RateLimit };
}

/** The entity linking users to tenants with a role (`tenancy.members`). */
export interface Membership {
  readonly entity: string;
  readonly table: string;
  readonly tenantColumn: string;
  readonly userColumn: string;
  readonly roleColumn: string;
}

export type Tenancy =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'organization';
      /** Tenant column name on tenant-owned tables, e.g. `organization_id`. */
      readonly column: string;
      /** The tenant entity, e.g. `organization`. */
      readonly entity: string;
      readonly members?: Membership;
      /** Role the creator of a tenant gets in it. */
      readonly creatorRole?: Role;
    };

export interface ApiSettings {
  /** `v1` */
  readonly version: string;
  /** `/api/v1` */
  readonly basePath: string;
  readonly jsonCase: 'camel' | 'snake';
  readonly pagination: { readonly defaultLimit: number; readonly maxLimit: number };
  readonly bulk: { readonly maxItems: number };
  /** Seconds an Idempotency-Key is remembered. */
  readonly idempotencyTtlSeconds: number;
}

export interface Model {
  readonly blueprint: 1;
  readonly name: string;
  readonly title: string;
  readonly description?: string;
  readonly api: ApiSettings;
  readonly requirements: Requirements;
  readonly auth: Auth;
  readonly tenancy: Tenancy;
  readonly enums: readonly Enum[];
  /** In declaration order. */
  readonly entities: readonly Entity[];
  /** Entity names in an order where every referenced table comes first (for DDL). */
  readonly creationOrder: readonly string[];
  /** True when any entity has `audit: true`. */
  readonly hasAudit: boolean;
  /** The file the model came from. */
  readonly source: string;
}

/** The entity of that name; the model is resolved, so an unknown name is a programming error. */
export function getEntity(model: Model, name: string): Entity {
  const entity = model.entities.find((candidate) => candidate.name === name);
  if (!entity) throw new Error(`No entity named ${name}`);
  return entity;
}

/** The field of that name (blueprint name) on an entity. */
export function getField(entity: Entity, name: string): Field {
  const field = entity.fields.find((candidate) => candidate.name === name);
  if (!field) throw new Error(`No field ${name} on ${entity.name}`);
  return field;
}
