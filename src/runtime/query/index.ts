/**
 * SQL builders for the resource API: pure functions from (plan, parsed request, context) to
 * `{ text, values }`. Per-entity text pieces are computed once (`createEntityPlans`); every builder
 * accepts an `AuthorizationScope` so row rules apply to lists, counts, reads, writes, bulk,
 * transitions and includes alike.
 */
export {
  type BulkBatch,
  type BulkContext,
  type BulkOperation,
  buildBulkCreateQuery,
  buildBulkDeleteQuery,
  buildBulkStateQuery,
  buildBulkUpdateQuery,
  buildBulkUpsertQuery,
  buildInsertRowsQuery,
  CREATED,
  ORDINAL,
} from './bulk-sql.js';
export { decodeCursor, encodeCursor } from './cursor.js';
export { baseType, createEntityPlan, createEntityPlans, type EntityPlan, ROW_ALIAS } from './entity-plan.js';
export { type Filter, type FilterOperator, OPERATORS_BY_KIND, operatorsFor } from './filters.js';
export {
  buildDeleteQuery,
  buildExistsQuery,
  buildInsertQuery,
  buildReadManyQuery,
  buildReadQuery,
  buildUpdateQuery,
  type WriteContext,
  writeEntries,
} from './item-sql.js';
export {
  type IncludeNode,
  type ListRequest,
  MAX_INCLUDE_DEPTH,
  parseListQuery,
  type SortKey,
  splitInList,
} from './list-request.js';
export {
  buildCountQuery,
  buildIncludeManyQuery,
  buildIncludeOneQuery,
  buildListQuery,
  keysetCondition,
  type ListContext,
  listColumns,
} from './list-sql.js';
export {
  type AuthorizationScope,
  arrayLiteral,
  Binder,
  type ExpectedVersion,
  type SqlQuery,
} from './sql.js';
export { buildTransitionQuery, type TransitionContext } from './transition-sql.js';
export { INVALID, parseValue, VALUE_PARSERS } from './values.js';
