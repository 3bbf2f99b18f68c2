/**
 * `buildOperations(model)`: every route `architect serve` answers under the base path, in a
 * stable order (per entity: list, create, read, update, delete, bulk, transitions, history; then
 * the audit trail). The runtime registers its Fastify routes from this list; the OpenAPI
 * document prints it. `buildServiceOperations` adds the operations endpoints outside the base
 * path. A method missing from the list (PATCH on an append-only ledger) answers 405 with `Allow`.
 */
import type { AccessRule, Model } from '../../blueprint/model.js';
import { ArchitectError } from '../../errors.js';
import { authOperations } from './auth-operations.js';
import { entityCapabilities } from './capabilities.js';
import {
  accessSentence,
  bulkOperation,
  createOperation,
  deleteOperation,
  type EntityContext,
  historyOperation,
  listOperation,
  type OperationDraft,
  readOperation,
  transitionOperation,
  updateOperation,
} from './entity-operations.js';
import { COMMON_SCHEMAS } from './names.js';
import { auditFilters, filterParameter, flatQuerySchema, pagingParameters } from './query.js';
import { errorResponses, successResponse } from './responses.js';
import { serviceOperations } from './service-operations.js';
import type { JsonSchema, Operation, PathParameter, ResponseSpec } from './types.js';

/** `/purchase-orders/{id}` -> `/purchase-orders/:id` */
export function toFastifyPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1');
}

function paramsSchema(parameters: readonly PathParameter[]): JsonSchema | undefined {
  if (parameters.length === 0) return undefined;
  const properties: Record<string, JsonSchema> = {};
  for (const parameter of parameters) properties[parameter.name] = parameter.schema;
  return {
    type: 'object',
    properties,
    required: parameters.map((parameter) => parameter.name),
    additionalProperties: false,
  };
}

/** A replayed POST says so (`Idempotent-Replayed: true`) on its success response. */
function withReplayHeader(draft: OperationDraft): OperationDraft['responses'] {
  if (!draft.headers.includes('Idempotency-Key')) return draft.responses;
  const responses: Record<string, ResponseSpec> = {};
  for (const [status, response] of Object.entries(draft.responses)) {
    responses[status] = status.startsWith('2')
      ? { ...response, headers: [...response.headers, 'Idempotent-Replayed'] }
      : response;
  }
  return responses;
}

/** Complete a draft: full and Fastify paths, the params and querystring schemas. */
function finish(draft: OperationDraft, basePath: string): Operation {
  const fullPath = draft.kind === 'service' ? draft.path : `${basePath}${draft.path}`;
  const operation: Operation = {
    ...draft,
    responses: withReplayHeader(draft),
    fullPath,
    fastifyPath: toFastifyPath(fullPath),
    params: paramsSchema(draft.pathParams),
    query:
      draft.queryParams.length > 0 || draft.filters.length > 0
        ? flatQuerySchema(draft.queryParams, draft.filters)
        : undefined,
  };
  if (operation.params === undefined) delete (operation as { params?: JsonSchema }).params;
  if (operation.query === undefined) delete (operation as { query?: JsonSchema }).query;
  return operation;
}

function entityDrafts(context: EntityContext): OperationDraft[] {
  const { model, entity, can } = context;
  const collection = entity.collectionParams;
  const item = entity.itemParams;
  const drafts: OperationDraft[] = [];
  if (can.list) drafts.push(listOperation(context, collection));
  if (can.create) drafts.push(createOperation(context, collection));
  if (can.read) drafts.push(readOperation(context, item));
  if (can.update) drafts.push(updateOperation(context, item));
  if (can.delete) drafts.push(deleteOperation(context, item));
  if (can.bulk.length > 0) drafts.push(bulkOperation(context, collection));
  for (const transition of can.transitions) drafts.push(transitionOperation(context, item, transition));
  if (can.history) drafts.push(historyOperation(context, item, pagingParameters(model)));
  return drafts;
}

/** Who reads the audit trail: the `admin` role when declared, else any signed-in caller. */
export function auditAccess(model: Model): AccessRule {
  return model.auth.roles.includes('admin') ? { kind: 'roles', roles: ['admin'] } : { kind: 'authenticated' };
}

function auditDraft(model: Model): OperationDraft {
  const access = auditAccess(model);
  const filters = auditFilters(model);
  return {
    id: 'listAuditEntries',
    kind: 'audit',
    method: 'GET',
    path: '/audit',
    access,
    tag: 'Audit',
    summary: 'List audit entries',
    description: `The audit trail of entities with \`audit: true\`, newest first: who changed what, with the row before and after and the request id. ${accessSentence([access])}`,
    pathParams: [],
    queryParams: [...pagingParameters(model), ...filters.map(filterParameter)],
    filters,
    sortable: [],
    headers: [],
    responses: {
      '200': successResponse('A page of audit entries.', COMMON_SCHEMAS.auditPage, []),
      ...errorResponses({
        access: [access],
        notFound: false,
        conflicts: [],
        precondition: false,
        body: false,
        idempotent: false,
      }),
    },
  };
}

/** Route shape for collision checks: parameter names do not matter to the router. */
function routeShape(method: string, path: string): string {
  return `${method} ${path.replace(/\{[^}]+\}/g, '{}')}`;
}

/** Refuse two operations on one route, and make operation ids unique (a transition may be named `create`). */
function checkUnique(drafts: OperationDraft[]): OperationDraft[] {
  const routes = new Map<string, string>();
  const ids = new Set<string>();
  return drafts.map((draft) => {
    const shape = routeShape(draft.method, draft.path);
    const taken = routes.get(shape);
    if (taken) {
      throw new ArchitectError('BLUEPRINT_NAME_COLLISION', {
        name: `${draft.method} ${draft.path}`,
        other: `the route of operation ${taken}`,
      });
    }
    routes.set(shape, draft.id);
    let id = draft.id;
    if (ids.has(id)) id = `${id}${draft.kind[0]!.toUpperCase()}${draft.kind.slice(1)}`;
    if (ids.has(id)) {
      throw new ArchitectError('BLUEPRINT_NAME_COLLISION', { name: id, other: 'another operation id' });
    }
    ids.add(id);
    return id === draft.id ? draft : { ...draft, id };
  });
}

/**
 * Every resource route of the model, relative to `model.api.basePath` in `path` and absolute in
 * `fullPath` / `fastifyPath`.
 *
 * @example
 * const submit = buildOperations(model).find((op) => op.id === 'submitPurchaseOrder');
 * submit.fastifyPath // '/api/v1/purchase-orders/:id/submit'
 */
export function buildOperations(model: Model): Operation[] {
  const drafts: OperationDraft[] = [];
  for (const entity of model.entities) {
    drafts.push(...entityDrafts({ model, entity, can: entityCapabilities(entity) }));
  }
  if (model.hasAudit) drafts.push(auditDraft(model));
  return checkUnique(drafts).map((draft) => finish(draft, model.api.basePath));
}

/**
 * The identity routes under `<base path>/auth` (sign-up, login, refresh, logout, me, API keys,
 * reset, verification): served by the platform (`src/runtime/auth`), not by resource handlers.
 */
export function buildAuthOperations(model: Model): Operation[] {
  return authOperations(model).map((draft) =>
    finish({ ...draft, path: `${model.api.basePath}${draft.path}` }, model.api.basePath),
  );
}

/**
 * The routes the platform serves itself, for the document: the identity routes, then the
 * operations endpoints outside the base path (health, ready, metrics, openapi.json, docs).
 */
export function buildServiceOperations(model: Model): Operation[] {
  return [
    ...buildAuthOperations(model),
    ...serviceOperations(model).map((draft) => finish(draft, model.api.basePath)),
  ];
}
