/**
 * `emitOpenApi(model)`: the OpenAPI 3.1 document of the served API, built from the same
 * operation list and schemas the runtime registers (`src/design/api/`). Paths are absolute
 * (they include `api.base_path`), so the operations endpoints outside it fit the same server.
 */
import type { Model } from '../../blueprint/model.js';
import { AUTH_TAG } from '../api/auth-operations.js';
import { buildOperations, buildServiceOperations } from '../api/operations.js';
import { errorHeaders } from '../api/responses.js';
import { buildSchemas } from '../api/schemas.js';
import { SERVICE_TAG } from '../api/service-operations.js';
import type { Operation } from '../api/types.js';
import {
  errorResponseComponents,
  HEADER_PARAMETERS,
  headerComponents,
  securitySchemes,
} from './components.js';
import { pathItems, type SharedParameters } from './paths.js';
import { pruneComponents } from './prune.js';
import type { ComponentsObject, OpenAPIObject, ParameterObject, TagObject } from './types.js';

/** Where `architect serve` listens by default. */
export const LOCAL_SERVER_URL = 'http://localhost:3000';

function tags(model: Model, operations: readonly Operation[]): TagObject[] {
  const descriptions = new Map<string, string>();
  for (const entity of model.entities) {
    descriptions.set(entity.tag, entity.description ?? `${entity.tag}, stored in table \`${entity.table}\`.`);
  }
  descriptions.set('Audit', 'The audit trail: every change to entities with `audit: true`.');
  descriptions.set(
    AUTH_TAG,
    'Identity: sign-up, sign-in, token refresh, sign-out, the caller, API keys, password reset and email verification.',
  );
  descriptions.set(
    SERVICE_TAG,
    'Health, readiness, metrics and this document; outside the base path, no credentials.',
  );
  const used: TagObject[] = [];
  for (const operation of operations) {
    if (used.some((tag) => tag.name === operation.tag)) continue;
    used.push({ name: operation.tag, description: descriptions.get(operation.tag) ?? operation.tag });
  }
  return used;
}

function infoDescription(model: Model): string {
  const intro = model.description?.trim() ?? `The ${model.title} API.`;
  return [
    intro,
    '',
    `Conventions: resources live under \`${model.api.basePath}\`; errors are \`{ "error": { "code", "message", "details", "requestId" } }\`; lists page with \`limit\` and an opaque \`cursor\` (\`page.nextCursor\`) and filter with \`<property>[<op>]=<value>\`; \`ETag\` carries the version, \`If-Match\` makes writes conditional, and \`Idempotency-Key\` makes POST retries safe.`,
    '',
    `Generated from the \`${model.name}\` blueprint.`,
  ].join('\n');
}

function parameterComponents(shared: SharedParameters): Record<string, ParameterObject> {
  const parameters: Record<string, ParameterObject> = {};
  for (const [name, parameter] of shared) parameters[name] = parameter;
  for (const { component, parameter } of Object.values(HEADER_PARAMETERS)) parameters[component] = parameter;
  return parameters;
}

/**
 * The OpenAPI 3.1 document of the model's API, as a plain object with a fixed key order.
 *
 * @example
 * const document = emitOpenApi(await loadBlueprint('examples/inventory'));
 * document.paths['/api/v1/purchase-orders/{id}/submit'].post.operationId // 'submitPurchaseOrder'
 */
export function emitOpenApi(model: Model): OpenAPIObject {
  const operations = [...buildOperations(model), ...buildServiceOperations(model)];
  const schemes = securitySchemes(model);
  const shared: SharedParameters = new Map();
  const paths = pathItems(operations, Object.keys(schemes), shared);
  const components: ComponentsObject = {
    schemas: { ...buildSchemas(model) },
    parameters: parameterComponents(shared),
    headers: headerComponents(),
    responses: errorResponseComponents(errorHeaders),
    securitySchemes: schemes,
  };
  return {
    openapi: '3.1.0',
    info: {
      title: model.title,
      version: model.api.version,
      description: infoDescription(model),
      contact: { name: `${model.title} API` },
    },
    servers: [{ url: LOCAL_SERVER_URL, description: 'architect serve, on this machine' }],
    tags: tags(model, operations),
    paths,
    components: pruneComponents(components, paths),
  };
}
