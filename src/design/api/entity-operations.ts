/**
 * The operations of one entity, one builder per kind (docs/api.md, "Routes"). Each builder says
 * what the route reads, what it answers and who may call it; `operations.ts` adds the paths.
 */
import type { AccessRule, Entity, Model, PathParam, Transition } from '../../blueprint/model.js';
import { camelCase, pascalCase } from '../../blueprint/naming.js';
import type { ErrorCode } from '../../errors.js';
import type { EntityCapabilities } from './capabilities.js';
import { readExample } from './examples.js';
import { keyValueSchema } from './field-schemas.js';
import { article, COMMON_SCHEMAS, entitySchemaNames, humanName, humanPlural, schemaRef } from './names.js';
import {
  BULK_MODE_PARAMETER,
  entityFilters,
  listParameters,
  representationParameters,
  sortableProperties,
} from './query.js';
import { type ErrorProfile, emptyResponse, errorResponses, successResponse } from './responses.js';
import type {
  BodySpec,
  BulkOperationName,
  FilterSpec,
  HttpMethod,
  OperationKind,
  PathParameter,
  QueryParameter,
  RequestHeader,
  ResponseSpec,
} from './types.js';

/** An operation before paths are resolved (see `operations.ts`). */
export interface OperationDraft {
  readonly id: string;
  readonly kind: OperationKind;
  readonly method: HttpMethod;
  readonly path: string;
  readonly entity?: string;
  readonly transition?: string;
  readonly access: AccessRule;
  readonly bulkAccess?: Readonly<Partial<Record<BulkOperationName, readonly AccessRule[]>>>;
  readonly bulkOperations?: readonly BulkOperationName[];
  readonly tag: string;
  readonly summary: string;
  readonly description: string;
  readonly pathParams: readonly PathParameter[];
  readonly queryParams: readonly QueryParameter[];
  readonly filters: readonly FilterSpec[];
  readonly sortable: readonly string[];
  readonly headers: readonly RequestHeader[];
  readonly body?: BodySpec;
  readonly responses: Readonly<Record<string, ResponseSpec>>;
}

export interface EntityContext {
  readonly model: Model;
  readonly entity: Entity;
  readonly can: EntityCapabilities;
}

const JSON_BODY = ['application/json'] as const;

/** One sentence naming who may call an operation. */
export function accessSentence(rules: readonly AccessRule[]): string {
  const parts = rules.map((rule) => {
    if (rule.kind === 'any') return 'any caller, signed in or not';
    if (rule.kind === 'authenticated') return 'any signed-in caller';
    if (rule.kind === 'roles') return `role ${rule.roles.map((role) => `\`${role}\``).join(' or ')}`;
    return 'nobody';
  });
  return `Access: ${[...new Set(parts)].join('; and ')}.`;
}

function pathParameters(context: EntityContext, params: readonly PathParam[]): PathParameter[] {
  const { entity } = context;
  return params.map((param) => {
    const isParent = entity.parent !== undefined && param.column === entity.parent.column;
    const target = param.field.reference
      ? param.field.reference.entity.replace(/_/g, ' ')
      : humanName(entity);
    const description = isParent
      ? `Key of the parent ${target}.`
      : entity.key.kind === 'composite'
        ? `Key part: the ${target}.`
        : `Key of the ${humanName(entity)}.`;
    return { name: param.name, description, schema: keyValueSchema(param.field), column: param.column };
  });
}

function nestedSentence(entity: Entity): string {
  if (!entity.parent) return '';
  return ` The parent ${entity.parent.entity.replace(/_/g, ' ')} comes from the path; a missing parent gives 404.`;
}

function conflictCodes(codes: Partial<Record<ErrorCode, boolean>>): ErrorCode[] {
  const order: ErrorCode[] = [
    'UNIQUE_VIOLATION',
    'REFERENCE_VIOLATION',
    'INVALID_TRANSITION',
    'IDEMPOTENCY_IN_PROGRESS',
  ];
  return order.filter((code) => codes[code]);
}

/** Facts that decide which conflicts a write can meet. */
function conflictFacts(context: EntityContext) {
  const { model, entity } = context;
  const hasUnique =
    entity.key.kind === 'composite' || entity.uniques.length > 0 || entity.fields.some((f) => f.unique);
  const uniqueColumns = new Set([
    ...entity.uniques.flatMap((group) => group.columns),
    ...entity.fields.filter((field) => field.unique).map((field) => field.column),
  ]);
  const updatesUnique = entity.fields.some((field) => field.updatable && uniqueColumns.has(field.column));
  const createsReference = entity.fields.some((field) => field.creatable && field.reference !== undefined);
  const updatesReference = entity.fields.some((field) => field.updatable && field.reference !== undefined);
  const restrictsDelete =
    !entity.softDelete &&
    model.entities.some((other) =>
      other.fields.some(
        (field) =>
          field.reference?.entity === entity.name &&
          (field.reference.onDelete === 'restrict' || field.reference.onDelete === 'no_action'),
      ),
    );
  return { hasUnique, updatesUnique, createsReference, updatesReference, restrictsDelete };
}

/** What If-Match does on a change of this entity. */
function ifMatchSentence(entity: Entity): string {
  return entity.ifMatch === 'required'
    ? '`If-Match` is required (428 PRECONDITION_REQUIRED without it); a stale version gives 412.'
    : 'With `If-Match`, a stale version gives 412; without it the last writer wins.';
}

function profile(overrides: Partial<ErrorProfile> & Pick<ErrorProfile, 'access'>): ErrorProfile {
  return {
    notFound: false,
    conflicts: [],
    precondition: false,
    body: false,
    idempotent: false,
    ...overrides,
  };
}

export function listOperation(context: EntityContext, params: readonly PathParam[]): OperationDraft {
  const { model, entity } = context;
  const names = entitySchemaNames(entity);
  const filters = entityFilters(entity);
  const example = readExample(entity);
  const access = entity.access.read;
  return {
    id: `list${entity.pascalPlural}`,
    kind: 'list',
    method: 'GET',
    path: entity.collectionPath,
    entity: entity.name,
    access,
    tag: entity.tag,
    summary: `List ${humanPlural(entity)}`,
    description: `Returns ${humanPlural(entity)} a page at a time, ordered by \`sort\` (default: the key ascending). Filter with \`<property>[<op>]=<value>\`; follow \`page.nextCursor\` for the next page.${nestedSentence(entity)} ${accessSentence([access])}`,
    pathParams: pathParameters(context, params),
    queryParams: listParameters(model, entity, filters),
    filters,
    sortable: sortableProperties(entity),
    headers: [],
    responses: {
      '200': successResponse(
        `A page of ${humanPlural(entity)}.`,
        names.page,
        [],
        example
          ? { data: [example], page: { limit: model.api.pagination.defaultLimit, nextCursor: null } }
          : undefined,
      ),
      ...errorResponses(profile({ access: [access], notFound: entity.parent !== undefined })),
    },
  };
}

export function createOperation(context: EntityContext, params: readonly PathParam[]): OperationDraft {
  const { entity } = context;
  const names = entitySchemaNames(entity);
  const facts = conflictFacts(context);
  const access = entity.access.create;
  const noun = humanName(entity);
  return {
    id: `create${entity.pascalName}`,
    kind: 'create',
    method: 'POST',
    path: entity.collectionPath,
    entity: entity.name,
    access,
    tag: entity.tag,
    summary: `Create ${article(noun)} ${noun}`,
    description: `Creates ${article(noun)} ${noun} and returns it with its \`Location\` and \`ETag\`. Send \`Idempotency-Key\` to make a retry safe.${nestedSentence(entity)} ${accessSentence([access])}`,
    pathParams: pathParameters(context, params),
    queryParams: [],
    filters: [],
    sortable: [],
    headers: ['Idempotency-Key'],
    body: { schema: schemaRef(names.create), required: true, contentTypes: JSON_BODY },
    responses: {
      '201': successResponse(`The new ${noun}.`, names.read, ['Location', 'ETag'], readExample(entity)),
      ...errorResponses(
        profile({
          access: [access],
          notFound: entity.parent !== undefined,
          conflicts: conflictCodes({
            UNIQUE_VIOLATION: facts.hasUnique,
            REFERENCE_VIOLATION: facts.createsReference,
            IDEMPOTENCY_IN_PROGRESS: true,
          }),
          body: true,
          idempotent: true,
        }),
      ),
    },
  };
}

export function readOperation(context: EntityContext, params: readonly PathParam[]): OperationDraft {
  const { model, entity } = context;
  const access = entity.access.read;
  const noun = humanName(entity);
  return {
    id: `get${entity.pascalName}`,
    kind: 'read',
    method: 'GET',
    path: entity.itemPath,
    entity: entity.name,
    access,
    tag: entity.tag,
    summary: `Get ${article(noun)} ${noun}`,
    description: `Returns one ${noun} with its \`ETag\`; \`If-None-Match\` with the current ETag gives 304. ${accessSentence([access])}`,
    pathParams: pathParameters(context, params),
    queryParams: representationParameters(model, entity),
    filters: [],
    sortable: [],
    headers: ['If-None-Match'],
    responses: {
      '200': successResponse(
        `The ${noun}.`,
        entitySchemaNames(entity).partial,
        ['ETag'],
        readExample(entity),
      ),
      '304': emptyResponse('Not modified: the ETag sent in `If-None-Match` is current.', ['ETag']),
      ...errorResponses(profile({ access: [access], notFound: true })),
    },
  };
}

export function updateOperation(context: EntityContext, params: readonly PathParam[]): OperationDraft {
  const { entity } = context;
  const facts = conflictFacts(context);
  const access = entity.access.update;
  const noun = humanName(entity);
  return {
    id: `update${entity.pascalName}`,
    kind: 'update',
    method: 'PATCH',
    path: entity.itemPath,
    entity: entity.name,
    access,
    tag: entity.tag,
    summary: `Update ${article(noun)} ${noun}`,
    description: `Changes the properties sent (JSON merge patch); readonly properties are refused with 422. ${ifMatchSentence(entity)} ${accessSentence([access])}`,
    pathParams: pathParameters(context, params),
    queryParams: [],
    filters: [],
    sortable: [],
    headers: ['If-Match'],
    body: {
      schema: schemaRef(entitySchemaNames(entity).update),
      required: true,
      contentTypes: ['application/json', 'application/merge-patch+json'],
    },
    responses: {
      '200': successResponse(
        `The changed ${noun}.`,
        entitySchemaNames(entity).read,
        ['ETag'],
        readExample(entity),
      ),
      ...errorResponses(
        profile({
          access: [access],
          notFound: true,
          conflicts: conflictCodes({
            UNIQUE_VIOLATION: facts.updatesUnique,
            REFERENCE_VIOLATION: facts.updatesReference,
          }),
          precondition: entity.ifMatch,
          body: true,
        }),
      ),
    },
  };
}

export function deleteOperation(context: EntityContext, params: readonly PathParam[]): OperationDraft {
  const { entity } = context;
  const facts = conflictFacts(context);
  const access = entity.access.delete;
  const noun = humanName(entity);
  const what = entity.softDelete
    ? `Marks the ${noun} deleted; it disappears from every read (404 by key).`
    : `Deletes the ${noun}.`;
  return {
    id: `delete${entity.pascalName}`,
    kind: 'delete',
    method: 'DELETE',
    path: entity.itemPath,
    entity: entity.name,
    access,
    tag: entity.tag,
    summary: `Delete ${article(noun)} ${noun}`,
    description: `${what} ${ifMatchSentence(entity)} ${accessSentence([access])}`,
    pathParams: pathParameters(context, params),
    queryParams: [],
    filters: [],
    sortable: [],
    headers: ['If-Match'],
    responses: {
      '204': emptyResponse(`The ${noun} is deleted.`, []),
      ...errorResponses(
        profile({
          access: [access],
          notFound: true,
          conflicts: conflictCodes({ REFERENCE_VIOLATION: facts.restrictsDelete }),
          precondition: entity.ifMatch,
        }),
      ),
    },
  };
}

export function bulkOperation(context: EntityContext, params: readonly PathParam[]): OperationDraft {
  const { model, entity, can } = context;
  const facts = conflictFacts(context);
  const rules: Record<BulkOperationName, readonly AccessRule[]> = {
    create: [entity.access.create],
    update: [entity.access.update],
    upsert: [entity.access.create, entity.access.update],
    delete: [entity.access.delete],
  };
  const bulkAccess: Partial<Record<BulkOperationName, readonly AccessRule[]>> = {};
  for (const operation of can.bulk) bulkAccess[operation] = rules[operation];
  const all = can.bulk.flatMap((operation) => rules[operation]);
  const changes = can.bulk.includes('update') || can.bulk.includes('delete');
  return {
    id: `bulk${entity.pascalPlural}`,
    kind: 'bulk',
    method: 'POST',
    path: `${entity.collectionPath}/bulk`,
    entity: entity.name,
    access: all[0]!,
    bulkAccess,
    bulkOperations: can.bulk,
    tag: entity.tag,
    summary: `Bulk ${can.bulk.join(', ')} ${humanPlural(entity)}`,
    description: `Applies one operation (${can.bulk.map((op) => `\`${op}\``).join(', ')}) to up to ${model.api.bulk.maxItems} ${humanPlural(entity)}. \`mode=atomic\` (default): all or nothing; a failure answers with the first failing item's status and every failed item in \`details\`. \`mode=partial\`: each item on its own; 207 when some fail.${nestedSentence(entity)} ${accessSentence(all)}`,
    pathParams: pathParameters(context, params),
    queryParams: [BULK_MODE_PARAMETER],
    filters: [],
    sortable: [],
    headers: ['Idempotency-Key'],
    body: {
      schema: schemaRef(entitySchemaNames(entity).bulkRequest),
      required: true,
      contentTypes: JSON_BODY,
    },
    responses: {
      '200': successResponse('Every item succeeded.', COMMON_SCHEMAS.bulkResult, []),
      '207': successResponse(
        'Partial mode: some items failed; see `results`.',
        COMMON_SCHEMAS.bulkResult,
        [],
      ),
      ...errorResponses(
        profile({
          access: all,
          notFound: entity.parent !== undefined || changes,
          conflicts: conflictCodes({
            UNIQUE_VIOLATION: facts.hasUnique,
            REFERENCE_VIOLATION: facts.createsReference || facts.restrictsDelete,
            IDEMPOTENCY_IN_PROGRESS: true,
          }),
          precondition: changes ? 'optional' : false,
          body: true,
          idempotent: true,
        }),
      ),
    },
  };
}

const REASON_BODY: Record<Transition['reason'], { schema: string; required: boolean; sentence: string }> = {
  required: {
    schema: COMMON_SCHEMAS.transitionRequestWithReason,
    required: true,
    sentence: 'A `reason` is required.',
  },
  optional: {
    schema: COMMON_SCHEMAS.transitionRequest,
    required: false,
    sentence: 'A `reason` is optional.',
  },
  none: {
    schema: COMMON_SCHEMAS.transitionRequestWithoutReason,
    required: false,
    sentence: 'It takes no reason.',
  },
};

export function transitionOperation(
  context: EntityContext,
  params: readonly PathParam[],
  transition: Transition,
): OperationDraft {
  const { entity } = context;
  const lifecycle = entity.lifecycle!;
  const noun = humanName(entity);
  const reason = REASON_BODY[transition.reason];
  const states = transition.from.map((state) => `\`${state}\``);
  const from = states.length > 1 ? `${states.slice(0, -1).join(', ')} or ${states.at(-1)}` : states[0];
  const verb = pascalCase(transition.name).replace(/([a-z])([A-Z])/g, '$1 $2');
  return {
    id: `${camelCase(transition.name)}${entity.pascalName}`,
    kind: 'transition',
    method: 'POST',
    path: `${entity.itemPath}/${transition.pathSegment}`,
    entity: entity.name,
    transition: transition.name,
    access: transition.access,
    tag: entity.tag,
    summary: `${verb} ${article(noun)} ${noun}`,
    description: `Moves ${article(noun)} ${noun} from ${from} to \`${transition.to}\` (the \`${lifecycle.property}\` property). Any other state gives 409 INVALID_TRANSITION with the allowed states. ${ifMatchSentence(entity)} ${reason.sentence} ${accessSentence([transition.access])}`,
    pathParams: pathParameters(context, params),
    queryParams: [],
    filters: [],
    sortable: [],
    headers: ['If-Match', 'Idempotency-Key'],
    body: { schema: schemaRef(reason.schema), required: reason.required, contentTypes: JSON_BODY },
    responses: {
      '200': successResponse(`The ${noun}, now \`${transition.to}\`.`, entitySchemaNames(entity).read, [
        'ETag',
      ]),
      ...errorResponses(
        profile({
          access: [transition.access],
          notFound: true,
          conflicts: conflictCodes({ INVALID_TRANSITION: true, IDEMPOTENCY_IN_PROGRESS: true }),
          precondition: entity.ifMatch,
          body: true,
          idempotent: true,
        }),
      ),
    },
  };
}

export function historyOperation(
  context: EntityContext,
  params: readonly PathParam[],
  paging: readonly QueryParameter[],
): OperationDraft {
  const { entity } = context;
  const access = entity.access.read;
  const noun = humanName(entity);
  return {
    id: `list${entity.pascalName}History`,
    kind: 'history',
    method: 'GET',
    path: `${entity.itemPath}/history`,
    entity: entity.name,
    access,
    tag: entity.tag,
    summary: `List the ${entity.lifecycle!.property} history of ${article(noun)} ${noun}`,
    description: `Every change of \`${entity.lifecycle!.property}\`, oldest first, with the actor, the reason and the request id. ${accessSentence([access])}`,
    pathParams: pathParameters(context, params),
    queryParams: paging,
    filters: [],
    sortable: [],
    headers: [],
    responses: {
      '200': successResponse('A page of history entries.', entitySchemaNames(entity).historyPage, []),
      ...errorResponses(profile({ access: [access], notFound: true })),
    },
  };
}
