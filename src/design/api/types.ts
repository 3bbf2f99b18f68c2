/**
 * The operation list: every route `architect serve` answers and `architect design` documents.
 *
 * The runtime registers its Fastify routes from `buildOperations(model)` and validates with the
 * schemas it names; the OpenAPI emitter prints the same list. Both read only this shape, so the
 * served API and its document cannot disagree.
 */
import type { AccessRule } from '../../blueprint/model.js';
import type { ErrorCode } from '../../errors.js';

/** A JSON Schema (2020-12 dialect, draft-07 compatible where the runtime validates with it). */
export type JsonSchema = { [keyword: string]: unknown };

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Resource operations, in the order they appear under a path. */
export type ResourceOperationKind =
  | 'list'
  | 'create'
  | 'read'
  | 'update'
  | 'delete'
  | 'bulk'
  | 'transition'
  | 'history'
  | 'audit';

/** `service`: the operations endpoints outside the base path (health, ready, metrics, docs). */
export type OperationKind = ResourceOperationKind | 'service';

/** Request headers an operation reads (besides Authorization and X-Request-Id, read everywhere). */
export type RequestHeader = 'If-Match' | 'If-None-Match' | 'Idempotency-Key';

/** Response headers an operation may set. */
export type ResponseHeader =
  | 'X-Request-Id'
  | 'ETag'
  | 'Location'
  | 'Retry-After'
  | 'WWW-Authenticate'
  | 'RateLimit-Limit'
  | 'RateLimit-Remaining'
  | 'RateLimit-Reset'
  | 'Idempotent-Replayed';

/** Filter operators of docs/api.md. */
export type FilterOperator =
  | 'eq'
  | 'ne'
  | 'in'
  | 'is'
  | 'lt'
  | 'lte'
  | 'gt'
  | 'gte'
  | 'like'
  | 'ilike'
  | 'prefix';

/** Bulk operation names (the `operation` member of a bulk body). */
export type BulkOperationName = 'create' | 'update' | 'upsert' | 'delete';

/** One filterable property of a list: `<property>[<op>]=<value>`, `<property>=<value>` for `eq`. */
export interface FilterSpec {
  /** JSON property (query parameter name). */
  readonly property: string;
  /** Blueprint field name (`''` for audit columns, which are not blueprint fields). */
  readonly field: string;
  /** SQL column it filters. */
  readonly column: string;
  readonly operators: readonly FilterOperator[];
  /** Schema of one value for the scalar operators (eq, ne, lt ...), as a query string value. */
  readonly value: JsonSchema;
  /** Schema of the comma list for `in`. */
  readonly list: JsonSchema;
}

/** One query parameter as documented. Filters are `style: deepObject` objects keyed by operator. */
export interface QueryParameter {
  readonly name: string;
  readonly description: string;
  readonly schema: JsonSchema;
  readonly required: boolean;
  readonly style?: 'deepObject';
  /** Name under `components.parameters` when the parameter is shared between operations. */
  readonly component?: string;
}

export interface PathParameter {
  readonly name: string;
  readonly description: string;
  readonly schema: JsonSchema;
  /** Column of the operation's entity it binds (for audit: none). */
  readonly column: string;
}

export interface ResponseSpec {
  readonly description: string;
  /** Body schema (usually a `$ref` to a component); absent for 204 and 304. */
  readonly schema?: JsonSchema;
  /** Media type of the body; `application/json` unless said. */
  readonly contentType?: string;
  readonly headers: readonly ResponseHeader[];
  /** Error codes of the catalog this status carries for this operation (error statuses only). */
  readonly errorCodes?: readonly ErrorCode[];
  readonly example?: unknown;
}

export interface BodySpec {
  /** Usually a `$ref` to a component schema. */
  readonly schema: JsonSchema;
  readonly required: boolean;
  readonly contentTypes: readonly string[];
  readonly example?: unknown;
}

export interface Operation {
  /** Unique camelCase operationId: `listPurchaseOrders`, `submitPurchaseOrder`. */
  readonly id: string;
  readonly kind: OperationKind;
  readonly method: HttpMethod;
  /** OpenAPI path template relative to `model.api.basePath` (service routes: absolute). */
  readonly path: string;
  /** OpenAPI path template as served, with the base path: `/api/v1/purchase-orders/{id}`. */
  readonly fullPath: string;
  /** Fastify route: `/api/v1/purchase-orders/:id`. */
  readonly fastifyPath: string;
  /** Entity name (blueprint, snake_case); absent for audit and service operations. */
  readonly entity?: string;
  /** Transition name for `kind: 'transition'`. */
  readonly transition?: string;
  /**
   * Who may call it. Bulk: the rule of the first allowed bulk operation (create, else update,
   * else delete); `bulkAccess` is authoritative per operation.
   */
  readonly access: AccessRule;
  /** Bulk only: the rules each bulk operation must pass, all of them (upsert: create and update). */
  readonly bulkAccess?: Readonly<Partial<Record<BulkOperationName, readonly AccessRule[]>>>;
  /** Bulk only: the bulk operations the entity allows. */
  readonly bulkOperations?: readonly BulkOperationName[];
  readonly tag: string;
  readonly summary: string;
  readonly description: string;
  readonly pathParams: readonly PathParameter[];
  /** Params schema for the runtime: an object of the path parameters. */
  readonly params?: JsonSchema;
  readonly queryParams: readonly QueryParameter[];
  /**
   * Querystring schema for the runtime, in the flat form Fastify's parser produces:
   * `status[in]` is one key. Unknown keys are refused (`additionalProperties: false`).
   */
  readonly query?: JsonSchema;
  /** Filterable properties (lists and the audit list). */
  readonly filters: readonly FilterSpec[];
  /** Sortable properties (lists): the key is the final tie-breaker (none is needed after a unique required one). */
  readonly sortable: readonly string[];
  readonly headers: readonly RequestHeader[];
  readonly body?: BodySpec;
  /** Status code (as a string, like OpenAPI) -> response. */
  readonly responses: Readonly<Record<string, ResponseSpec>>;
  /**
   * Review rules that do not apply to this operation, each with the reason; printed as
   * `x-architect-ignore` so `architect review` of the document explains instead of reporting.
   */
  readonly reviewIgnores?: Readonly<Record<string, string>>;
}
