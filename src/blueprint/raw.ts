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
  append_only?: boolean;
  writable?: boolean;
  parent?: string;
  lifecycle?: RawLifecycle;
  access?: Partial<Record<'read' | 'write' | 'create' | 'update' | 'delete', RawAccessRule>>;
  audit?: boolean;
  cache?: { ttl_s: number };
  realtime?: boolean;
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
  };
  requirements?: {
    peak_rps?: number;
    read_share?: number;
    p99_ms?: { read?: number; write?: number; bulk_1000?: number };
    availability?: number;
    consistency?: 'strong' | 'eventual';
    data?: Record<string, number>;
  };
  auth?: { methods?: ('password' | 'api_key' | 'jwt')[]; roles?: string[] };
  tenancy?: 'none' | { by: string };
  enums?: Record<string, string[]>;
  entities: Record<string, RawEntity>;
}

/** A field definition with the `type` shorthand expanded. */
export function expandField(definition: RawField | string): RawField {
  return typeof definition === 'string' ? { type: definition } : definition;
}
