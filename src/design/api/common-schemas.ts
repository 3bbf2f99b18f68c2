/**
 * Schemas shared by every entity: the error envelope, page info, bulk results, transition
 * bodies, the audit trail and the health status. Envelope properties (`page.nextCursor`,
 * `error.requestId`, bulk summaries) are fixed names; row properties follow `api.json_case`.
 */

import type { Model } from '../../blueprint/model.js';
import { camelCase } from '../../blueprint/naming.js';
import { ERROR_CATALOG } from '../../errors.js';
import { EXAMPLE_DATETIME, exampleUuid } from './examples.js';
import { COMMON_SCHEMAS, schemaRef } from './names.js';
import type { JsonSchema } from './types.js';

/** Catalog codes the API can answer with (those with an HTTP status), in catalog order. */
export function apiErrorCodes(): string[] {
  return Object.entries(ERROR_CATALOG)
    .filter(([, spec]) => 'status' in spec)
    .map(([code]) => code);
}

const REQUEST_ID_EXAMPLE = exampleUuid('request');

function errorSchemas(): Record<string, JsonSchema> {
  return {
    [COMMON_SCHEMAS.errorCode]: {
      type: 'string',
      description: 'A stable error code from the catalog (docs/errors.md).',
      enum: apiErrorCodes(),
    },
    [COMMON_SCHEMAS.error]: {
      type: 'object',
      description: 'The body of every error response.',
      required: ['error'],
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message', 'requestId'],
          properties: {
            code: schemaRef(COMMON_SCHEMAS.errorCode),
            message: { type: 'string', description: 'What went wrong, for people.' },
            details: {
              description:
                'Structured detail: field errors `[{ field, code, message }]`, bulk item errors `[{ index, code, message, field? }]`, or an object (for example the allowed states of a transition).',
            },
            requestId: { type: 'string', description: 'The X-Request-Id of the request, for support.' },
          },
        },
      },
      examples: [
        {
          error: {
            code: 'VALIDATION_FAILED',
            message: 'The request body is not valid',
            details: [{ field: 'name', code: 'maxLength', message: 'must be at most 200 characters' }],
            requestId: REQUEST_ID_EXAMPLE,
          },
        },
      ],
    },
  };
}

const COUNT: JsonSchema = { type: 'integer', minimum: 0 };

function bulkResultSchema(): JsonSchema {
  return {
    type: 'object',
    description:
      'Outcome of a bulk request: a summary and one result per item, in request order (the key is `id`, or `key` for composite keys).',
    required: ['operation', 'mode', 'summary', 'results'],
    properties: {
      operation: {
        type: 'string',
        enum: ['create', 'update', 'upsert', 'delete'],
        description: 'The operation the request asked for.',
      },
      mode: {
        type: 'string',
        enum: ['atomic', 'partial'],
        description: '`atomic`: all items or none were applied; `partial`: each item on its own.',
      },
      summary: {
        type: 'object',
        required: ['total', 'succeeded', 'failed', 'created', 'updated', 'deleted'],
        properties: {
          total: COUNT,
          succeeded: COUNT,
          failed: COUNT,
          created: COUNT,
          updated: COUNT,
          deleted: COUNT,
        },
      },
      results: {
        type: 'array',
        items: {
          type: 'object',
          required: ['index', 'status'],
          properties: {
            index: { type: 'integer', minimum: 0, description: 'Position of the item in the request.' },
            status: { type: 'integer', description: 'HTTP status this item alone would have had.' },
            id: { type: ['string', 'integer'], description: 'Key of the row (single-column keys).' },
            key: { type: 'object', description: 'Key of the row (composite keys).' },
            version: { type: 'integer', minimum: 1 },
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: schemaRef(COMMON_SCHEMAS.errorCode),
                message: { type: 'string' },
                details: {},
              },
            },
          },
        },
      },
    },
    examples: [
      {
        operation: 'create',
        mode: 'partial',
        summary: { total: 2, succeeded: 1, failed: 1, created: 1, updated: 0, deleted: 0 },
        results: [
          { index: 0, status: 201, id: exampleUuid('bulk'), version: 1 },
          {
            index: 1,
            status: 409,
            error: { code: 'UNIQUE_VIOLATION', message: 'A row with this value already exists' },
          },
        ],
      },
    ],
  };
}

function transitionSchemas(): Record<string, JsonSchema> {
  const reason: JsonSchema = {
    type: 'string',
    minLength: 1,
    maxLength: 1000,
    description: 'Why, for the history.',
  };
  return {
    [COMMON_SCHEMAS.transitionRequest]: {
      type: 'object',
      description: 'Optional body of a transition.',
      properties: { reason },
      additionalProperties: false,
    },
    [COMMON_SCHEMAS.transitionRequestWithReason]: {
      type: 'object',
      description: 'Body of a transition that needs a reason.',
      required: ['reason'],
      properties: { reason },
      additionalProperties: false,
      examples: [{ reason: 'Supplier cannot deliver in time' }],
    },
    [COMMON_SCHEMAS.transitionRequestWithoutReason]: {
      type: 'object',
      description: 'This transition takes no reason; send no body or an empty object.',
      properties: {},
      additionalProperties: false,
    },
  };
}

function auditSchemas(model: Model): Record<string, JsonSchema> {
  const name = (column: string) => (model.api.jsonCase === 'camel' ? camelCase(column) : column);
  const audited = model.entities.filter((entity) => entity.audit).map((entity) => entity.name);
  const properties: Record<string, JsonSchema> = {
    id: { type: 'integer', format: 'int64', minimum: 1 },
    entity: { type: 'string', enum: audited, description: 'Entity name as in the blueprint.' },
    [name('entity_id')]: {
      type: 'string',
      description: 'Key of the row as text (composite keys joined with `/`).',
    },
    action: {
      type: 'string',
      enum: ['create', 'update', 'delete', 'transition'],
      description: 'What happened; `transition` entries carry the new state in `after`.',
    },
    actor: { type: 'string', description: 'Who did it (`anonymous` when unauthenticated).' },
    [name('request_id')]: { type: ['string', 'null'] },
    before: { description: 'The row before the change (read representation); null on create.' },
    after: { description: 'The row after the change; null on delete.' },
    [name('created_at')]: { type: 'string', format: 'date-time' },
  };
  return {
    [COMMON_SCHEMAS.auditEntry]: {
      type: 'object',
      description: 'One change recorded in the audit trail.',
      required: Object.keys(properties),
      properties,
    },
    [COMMON_SCHEMAS.auditPage]: {
      type: 'object',
      description: 'A page of the audit trail, newest first.',
      required: ['data', 'page'],
      properties: {
        data: { type: 'array', items: schemaRef(COMMON_SCHEMAS.auditEntry) },
        page: schemaRef(COMMON_SCHEMAS.pageInfo),
      },
    },
  };
}

/** Every shared component schema for this model. */
export function commonSchemas(model: Model): Record<string, JsonSchema> {
  return {
    ...errorSchemas(),
    [COMMON_SCHEMAS.pageInfo]: {
      type: 'object',
      description: 'Where this page is in the collection.',
      required: ['limit', 'nextCursor'],
      properties: {
        limit: { type: 'integer', minimum: 1, maximum: model.api.pagination.maxLimit },
        nextCursor: {
          type: ['string', 'null'],
          description: 'Pass as `cursor` to get the next page; null on the last page.',
        },
        count: { ...COUNT, description: 'Rows matching the filters; only with `count=true`.' },
      },
      examples: [{ limit: model.api.pagination.defaultLimit, nextCursor: 'eyJrIjpbIjAxOTAiXX0' }],
    },
    [COMMON_SCHEMAS.bulkResult]: bulkResultSchema(),
    ...transitionSchemas(),
    ...(model.hasAudit ? auditSchemas(model) : {}),
    [COMMON_SCHEMAS.health]: {
      type: 'object',
      description: 'Service status.',
      required: ['status'],
      properties: {
        status: {
          type: 'string',
          enum: ['ok'],
          description: '`ok`: the process is alive (`/health`) or every check passed (`/ready`).',
        },
        checks: {
          type: 'object',
          description:
            'Per dependency, what was found: `database`, `schema` and, with its own login, `wall`.',
          additionalProperties: { type: 'string' },
        },
      },
    },
  };
}

export { EXAMPLE_DATETIME, REQUEST_ID_EXAMPLE };
