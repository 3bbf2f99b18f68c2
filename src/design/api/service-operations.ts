/**
 * The operations endpoints (docs/api.md, "Operations endpoints"): outside the base path, open to
 * any caller, not rate limited. The platform serves them; they are listed here so the document
 * describes everything the process answers.
 */
import type { Model } from '../../blueprint/model.js';
import type { OperationDraft } from './entity-operations.js';
import { COMMON_SCHEMAS, schemaRef } from './names.js';
import type { ResponseSpec } from './types.js';

export const SERVICE_TAG = 'Operations';

function draft(
  id: string,
  path: string,
  summary: string,
  description: string,
  responses: Record<string, ResponseSpec>,
): OperationDraft {
  return {
    id,
    kind: 'service',
    method: 'GET',
    path,
    access: { kind: 'any' },
    tag: SERVICE_TAG,
    summary,
    description,
    pathParams: [],
    queryParams: [],
    filters: [],
    sortable: [],
    headers: [],
    responses,
  };
}

function ok(description: string, contentType: string, schema: Record<string, unknown>): ResponseSpec {
  return { description, schema, contentType, headers: ['X-Request-Id'] };
}

export function serviceOperations(model: Model): OperationDraft[] {
  const status = schemaRef(COMMON_SCHEMAS.health);
  return [
    draft(
      'getHealth',
      '/health',
      'Liveness',
      'Answers 200 while the process runs; no dependency is checked.',
      {
        '200': ok('The process is alive.', 'application/json', status),
      },
    ),
    draft(
      'getReadiness',
      '/ready',
      'Readiness',
      "Answers 200 when the database is reachable and its schema is current (and the tenant wall's own login, when there is one, is reachable), else 503; a load balancer sends traffic only to ready instances.",
      {
        '200': ok('Ready to serve; `checks` lists what was checked.', 'application/json', status),
        '503': {
          description:
            'Not ready (SERVICE_UNAVAILABLE): `error.details` holds the checks and says what failed; `Retry-After` says when to ask again.',
          schema: schemaRef(COMMON_SCHEMAS.error),
          contentType: 'application/json',
          headers: ['X-Request-Id', 'Retry-After'],
          errorCodes: ['SERVICE_UNAVAILABLE'],
        },
      },
    ),
    draft(
      'getMetrics',
      '/metrics',
      'Prometheus metrics',
      'Request counts and latency by route and status, database pool use, event-loop lag and process metrics, in the Prometheus text format.',
      { '200': ok('Metrics.', 'text/plain', { type: 'string' }) },
    ),
    draft(
      'getOpenApiDocument',
      '/openapi.json',
      'This OpenAPI document',
      `The OpenAPI 3.1 document of the ${model.title} API, as \`architect design\` writes it.`,
      { '200': ok('The document.', 'application/json', { type: 'object' }) },
    ),
    draft(
      'getApiReference',
      '/docs',
      'Interactive API reference',
      'An HTML reference rendered from this document; it works offline.',
      { '200': ok('The reference page.', 'text/html', { type: 'string' }) },
    ),
  ];
}
