/**
 * The API design: the operation list and JSON schemas that both the OpenAPI document and the
 * runtime's routes are built from (docs/api.md).
 *
 * @example
 * const operations = buildOperations(model);
 * const components = buildSchemas(model);
 * const ajv = createApiAjv();
 * for (const op of operations) {
 *   const { body } = requestSchemas(op, components);
 *   if (body) ajv.compile(body);
 * }
 */
export { AJV_OPTIONS, addApiVocabulary, COMPONENTS_ID, createApiAjv, registerComponents } from './ajv.js';
export { type EntityCapabilities, entityCapabilities } from './capabilities.js';
export { apiErrorCodes } from './common-schemas.js';
export {
  canonicalDecimal,
  checkDecimal,
  compareDecimals,
  type DecimalOptions,
  decimalKeyword,
  decimalPattern,
} from './decimal.js';
export {
  conflictTargets,
  createFields,
  includableRelations,
  keyFields,
  updateFields,
} from './entity-schemas.js';
export { entitySchemaNames, enumSchemaName, SCHEMA_REF_PREFIX } from './names.js';
export {
  auditAccess,
  buildOperations,
  buildServiceOperations,
  toFastifyPath,
} from './operations.js';
export { RESERVED_QUERY_NAMES } from './query.js';
export { ERROR_RESPONSES, type ErrorStatus } from './responses.js';
export { buildSchemas, type ComponentSchemas } from './schemas.js';
export type * from './types.js';
export {
  bulkItemSchemas,
  type RequestSchemas,
  requestSchemas,
  responseSchemas,
  selfContained,
} from './validation.js';
