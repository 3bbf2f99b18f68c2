/**
 * Operations as OpenAPI path items. Path parameters sit on the path item (every operation of a
 * path shares them); shared query and header parameters and the error responses are references.
 */
import { ERROR_RESPONSES, type ErrorStatus } from '../api/responses.js';
import { SERVICE_TAG } from '../api/service-operations.js';
import type { Operation, QueryParameter, ResponseSpec } from '../api/types.js';
import { HEADER_PARAMETERS, headerRefs, securityFor } from './components.js';
import type {
  OperationObject,
  ParameterObject,
  PathItemObject,
  Reference,
  RequestBodyObject,
  ResponseObject,
} from './types.js';

/** Parameters that several operations share, collected into `components.parameters`. */
export type SharedParameters = Map<string, ParameterObject>;

function queryParameter(parameter: QueryParameter): ParameterObject {
  const object: ParameterObject = {
    name: parameter.name,
    in: 'query',
    description: parameter.description,
    required: parameter.required,
    schema: parameter.schema,
  };
  if (parameter.style === 'deepObject') {
    object.style = 'deepObject';
    object.explode = true;
  }
  return object;
}

function parameterRef(name: string): Reference {
  return { $ref: `#/components/parameters/${name}` };
}

function parameters(operation: Operation, shared: SharedParameters): (ParameterObject | Reference)[] {
  const list: (ParameterObject | Reference)[] = [];
  for (const parameter of operation.queryParams) {
    if (parameter.component) {
      shared.set(parameter.component, queryParameter(parameter));
      list.push(parameterRef(parameter.component));
    } else {
      list.push(queryParameter(parameter));
    }
  }
  for (const header of operation.headers) list.push(parameterRef(HEADER_PARAMETERS[header].component));
  list.push(parameterRef(HEADER_PARAMETERS['X-Request-Id'].component));
  return list;
}

function requestBody(operation: Operation): RequestBodyObject | undefined {
  const body = operation.body;
  if (!body) return undefined;
  const content: RequestBodyObject['content'] = {};
  for (const type of body.contentTypes) content[type] = { schema: body.schema };
  return {
    description: body.required ? 'The request body.' : 'Optional request body.',
    required: body.required,
    content,
  };
}

function response(spec: ResponseSpec): ResponseObject {
  const object: ResponseObject = { description: spec.description, headers: headerRefs(spec.headers) };
  if (spec.schema) {
    const media =
      spec.example === undefined ? { schema: spec.schema } : { schema: spec.schema, example: spec.example };
    object.content = { [spec.contentType ?? 'application/json']: media };
  }
  return object;
}

function responses(operation: Operation): Record<string, ResponseObject | Reference> {
  const result: Record<string, ResponseObject | Reference> = {};
  for (const [status, spec] of Object.entries(operation.responses)) {
    const shared = spec.errorCodes ? ERROR_RESPONSES[status as ErrorStatus] : undefined;
    result[status] = shared ? { $ref: `#/components/responses/${shared.component}` } : response(spec);
  }
  return result;
}

function operationObject(
  operation: Operation,
  schemes: readonly string[],
  shared: SharedParameters,
): OperationObject {
  let security: OperationObject['security'];
  // The operations endpoints need no credentials; the identity routes say what they take.
  if (operation.kind === 'service' && operation.tag === SERVICE_TAG) security = [];
  else if (schemes.length > 0) {
    const rules = operation.bulkAccess ? Object.values(operation.bulkAccess).flat() : [operation.access];
    security = securityFor(rules, schemes);
  }
  const body = requestBody(operation);
  return {
    tags: [operation.tag],
    summary: operation.summary,
    description: operation.description,
    operationId: operation.id,
    ...(security ? { security } : {}),
    parameters: parameters(operation, shared),
    ...(body ? { requestBody: body } : {}),
    responses: responses(operation),
    ...(operation.reviewIgnores ? { 'x-architect-ignore': { ...operation.reviewIgnores } } : {}),
  };
}

const METHOD_KEYS = { GET: 'get', POST: 'post', PATCH: 'patch', DELETE: 'delete' } as const;

/** Path items keyed by full path, in the order operations are listed. */
export function pathItems(
  operations: readonly Operation[],
  schemes: readonly string[],
  shared: SharedParameters,
): Record<string, PathItemObject> {
  const paths: Record<string, PathItemObject> = {};
  for (const operation of operations) {
    let item = paths[operation.fullPath];
    if (!item) {
      item = {};
      if (operation.pathParams.length > 0) {
        item.parameters = operation.pathParams.map((parameter) => ({
          name: parameter.name,
          in: 'path' as const,
          description: parameter.description,
          required: true,
          schema: parameter.schema,
        }));
      }
      paths[operation.fullPath] = item;
    }
    item[METHOD_KEYS[operation.method]] = operationObject(operation, schemes, shared);
  }
  return paths;
}
