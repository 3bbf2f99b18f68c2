/** Every architect OpenAPI rule, one file each. Adding a rule means adding a file and a line here. */

import type { OpenApiRule } from '../rule.js';
import collectionPaginated from './collection-paginated.js';
import conditionalRequestStatuses from './conditional-request-statuses.js';
import createReturns201 from './create-returns-201.js';
import createdHasLocation from './created-has-location.js';
import cursorPagination from './cursor-pagination.js';
import dateTimeFormat from './date-time-format.js';
import enumDocumented from './enum-documented.js';
import errorResponseBody from './error-response-body.js';
import errorSchemaConsistent from './error-schema-consistent.js';
import etagOnMutableItems from './etag-on-mutable-items.js';
import examplesPresent from './examples-present.js';
import httpsServers from './https-servers.js';
import idFormat from './id-format.js';
import idempotencyKeyOnCreate from './idempotency-key-on-create.js';
import ifMatchOnUpdates from './if-match-on-updates.js';
import itemRoute404 from './item-route-404.js';
import limitBounded from './limit-bounded.js';
import noContentWithoutBody from './no-content-without-body.js';
import noCredentialsInQuery from './no-credentials-in-query.js';
import noHttpBasic from './no-http-basic.js';
import noRequestBodyOnGet from './no-request-body-on-get.js';
import noUrlVersioning from './no-url-versioning.js';
import operationIdCasing from './operation-id-casing.js';
import operationSecurityDeclared from './operation-security-declared.js';
import operationSummary from './operation-summary.js';
import pathKebabCase from './path-kebab-case.js';
import pathNoVerbs from './path-no-verbs.js';
import pathPluralCollections from './path-plural-collections.js';
import problemDetails from './problem-details.js';
import propertyCasingConsistent from './property-casing-consistent.js';
import queryParameterCasing from './query-parameter-casing.js';
import rateLimit429 from './rate-limit-429.js';
import rateLimitRetryAfter from './rate-limit-retry-after.js';
import requestArrayMaxItems from './request-array-max-items.js';
import requestBody422 from './request-body-422.js';
import responseTopLevelArray from './response-top-level-array.js';
import securedOperation401403 from './secured-operation-401-403.js';
import statusFitsMethod from './status-fits-method.js';
import stringBounded from './string-bounded.js';
import urlVersioning from './url-versioning.js';
import versioningScheme from './versioning-scheme.js';
import writeConflict409 from './write-conflict-409.js';

export const ARCHITECT_RULES: readonly OpenApiRule[] = [
  collectionPaginated,
  conditionalRequestStatuses,
  createReturns201,
  createdHasLocation,
  cursorPagination,
  dateTimeFormat,
  enumDocumented,
  errorResponseBody,
  errorSchemaConsistent,
  etagOnMutableItems,
  examplesPresent,
  httpsServers,
  idFormat,
  idempotencyKeyOnCreate,
  ifMatchOnUpdates,
  itemRoute404,
  limitBounded,
  noContentWithoutBody,
  noCredentialsInQuery,
  noHttpBasic,
  noRequestBodyOnGet,
  noUrlVersioning,
  operationIdCasing,
  operationSecurityDeclared,
  operationSummary,
  pathKebabCase,
  pathNoVerbs,
  pathPluralCollections,
  problemDetails,
  propertyCasingConsistent,
  queryParameterCasing,
  rateLimit429,
  rateLimitRetryAfter,
  requestArrayMaxItems,
  requestBody422,
  responseTopLevelArray,
  securedOperation401403,
  statusFitsMethod,
  stringBounded,
  urlVersioning,
  versioningScheme,
  writeConflict409,
];
