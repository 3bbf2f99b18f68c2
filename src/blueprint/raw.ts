/**
 * The blueprint as written (after structural validation against the JSON Schema): keys are the
 * language's snake_case keys. Only the loader and the normalizer read this shape.
 */

export type RawAccessRule = 'any' | 'authenticated' | 'none' | string[];

export interface RawField {
  type: string;
  description?: string;
  optional?: boolean;
  default?: unknown;
  unique?: boolean;
  index?: boolean;
  min?: number;
  max?: number;
  length?: number;
  precision?: number;
  scale?: number;
  pattern?: string;
  not?: string | number | boolean;
  example?: unknown;
  readonly?: boolean;
  on_delete?: 'restrict' | 'cascade' | 'set_null' | 'no_action';
  /** Only callers with one of these roles see the field (others get the row without it). */
  visible_to?: string[];
  /** Only callers with one of these roles may set the field (others get 403). */
  writable_by?: string[];
}

export type RawIndex = string[] | { fields: string[]; unique?: boolean; where?: string; name?: string };

export interface RawTransition {
  from: string | string[];
  to: string;
  roles?: RawAccessRule;
  reason?: 'required' | 'optional' | 'none' | boolean;
  description?: string;
}

export interface RawLifecycle {
  field?: string;
  initial: string;
  states: string[];
  history?: boolean;
  transitions?: Record<string, RawTransition>;
}

export interface RawEntity {
  description?: string;
  plural?: string;
  path?: string;
  id?: 'uuid' | 'bigint';
  key?: string[];
  fields: Record<string, RawField | string>;
  indexes?: RawIndex[];
  unique?: string[][];
  checks?: Record<string, { sql: string; message: string }>;
  computed?: Record<string, string | { sql: string; type?: string; description?: string }>;
  search?: string[];
  soft_delete?: boolean;
  /** `required`: PATCH, DELETE and transitions need If-Match (428 without). */
  if_match?: 'optional' | 'required';
  append_only?: boolean;
  writable?: boolean;
  parent?: string;
  lifecycle?: RawLifecycle;
  access?: Partial<Record<'read' | 'write' | 'create' | 'update' | 'delete', RawAccessRule>>;
  audit?: boolean;
  cache?: { ttl_s: number };
  realtime?: boolean;
  /** The field naming the row's owner (set from the caller on create): a name or the long form. */
  owner?: string | RawOwner;
}

export type RawOwnedOperation = 'read' | 'update' | 'delete';

export interface RawOwner {
  field: string;
  /** Operations limited to the caller's own rows (default all three; transitions follow update). */
  operations?: RawOwnedOperation[];
  /** Roles that reach every row (default none). */
  except?: string[];
}

export interface RawRateLimit {
  per_minute: number;
}

export interface RawAuth {
  methods?: ('password' | 'api_key' | 'jwt')[];
  roles?: string[];
  /** Who may create an account: anyone, holders of an invitation, or admins only. */
  signup?: 'open' | 'invite' | 'admin';
  /** The entity whose rows are the people who sign in (a row per account, same id). */
  users?: string;
  /** Roles a new account gets when nothing else says (an invitation or an admin does). */
  default_roles?: string[];
  tokens?: { access_ttl_s?: number; refresh_ttl_s?: number };
  rate_limits?: { ip?: RawRateLimit; principal?: RawRateLimit; login?: RawRateLimit };
}

export interface RawTenancy {
  by: string;
  /** The entity linking users to tenants with a role (a reference to each and a `role` field). */
  members?: string;
  /** The role the creator of a tenant gets in it. */
  creator_role?: string;
}

export interface RawBlueprint {
  blueprint: 1;
  name: string;
  title?: string;
  description?: string;
  api?: {
    version?: string;
    base_path?: string;
    json_case?: 'camel' | 'snake';
    pagination?: { default_limit?: number; max_limit?: number };
    bulk?: { max_items?: number };
    idempotency?: { ttl_s?: number };
    /** The default for every entity's `if_match`. */
    if_match?: 'optional' | 'required';
  };
  requirements?: {
    peak_rps?: number;
    read_share?: number;
    p99_ms?: { read?: number; write?: number; bulk_1000?: number };
    availability?: number;
    consistency?: 'strong' | 'eventual';
    data?: Record<string, number>;
  };
  auth?: RawAuth;
  tenancy?: 'none' | RawTenancy;
  enums?: Record<string, string[]>;
  entities: Record<string, RawEntity>;
}

/** A field definition with the `type` shorthand expanded. */
export function expandField(definition: RawField | string): RawField {
  return typeof definition === 'string' ? { type: definition } : definition;
}
