/**
 * A read-only index over an OpenAPI 2.0 or 3.x document, built in one pass, so each rule is a
 * short loop over operations, responses, parameters or schemas instead of its own traversal.
 * Swagger 2.0 shapes (body parameters, `definitions`, `produces`) are presented as their 3.x
 * equivalents. Local `$ref`s are followed; every view keeps the path of the node it came from,
 * which is where a finding points.
 */
import { fromPointer, type Segment, toPointer } from './source.js';

export type Json = Record<string, unknown>;

export interface Located<T = Json> {
  readonly value: T;
  /** Path of the node in the document (after following `$ref`s, the target's path). */
  readonly path: readonly Segment[];
}

export interface ParameterView extends Located {
  readonly name: string;
  readonly in: string;
  /** The parameter's schema (3.x `schema`, or the 2.0 parameter itself). */
  readonly schema: Json | undefined;
}

export interface MediaView extends Located {
  readonly type: string;
  readonly schema: Located | undefined;
}

export interface ResponseView extends Located {
  readonly status: string;
  /** Header name in lower case → header object. */
  readonly headers: ReadonlyMap<string, Located>;
  readonly content: readonly MediaView[];
}

export interface RequestBodyView extends Located {
  readonly required: boolean;
  readonly content: readonly MediaView[];
}

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';
export const HTTP_METHODS: readonly HttpMethod[] = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
];

export interface OperationView extends Located {
  readonly method: HttpMethod;
  /** The path template as written (`/users/{id}`). */
  readonly route: string;
  readonly pathItem: Json;
  readonly operationId: string | undefined;
  /** Path-level and operation-level parameters merged (the operation's win). */
  readonly parameters: readonly ParameterView[];
  readonly requestBody: RequestBodyView | undefined;
  readonly responses: readonly ResponseView[];
  /** Effective security: the operation's, else the document's; undefined when neither declares any. */
  readonly security: readonly Json[] | undefined;
  /** Methods the same path item declares. */
  readonly siblingMethods: readonly HttpMethod[];
}

export interface SchemaView extends Located {
  /** Set when the schema is a property of an object schema. */
  readonly propertyName: string | undefined;
}

export interface ApiView {
  readonly data: Json;
  readonly version: '2.0' | '3.0' | '3.1' | 'unknown';
  readonly operations: readonly OperationView[];
  /** Every schema node in the document (component and inline), once each, `$ref` nodes excluded. */
  readonly schemas: readonly SchemaView[];
  /** Security schemes by name. */
  readonly securitySchemes: ReadonlyMap<string, Located>;
  /** URL paths of the servers (`/api/v1`), or the 2.0 `basePath`. */
  readonly serverPaths: readonly string[];
  /** Full server URLs (2.0: scheme://host/basePath). */
  readonly serverUrls: readonly Located<string>[];
  /** Follow local `$ref`s; returns the input when it is not a reference or cannot be resolved. */
  deref(value: unknown, path: readonly Segment[]): Located<unknown>;
  /** Pointers of schemas reachable from request bodies or from responses. */
  isRequestSchema(path: readonly Segment[]): boolean;
  isResponseSchema(path: readonly Segment[]): boolean;
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function buildApiView(data: Json): ApiView {
  const version = detectVersion(data);
  const deref = createDeref(data);
  const derefObject = (value: unknown, path: readonly Segment[]): Located | undefined => {
    const found = deref(value, path);
    return isObject(found.value) ? { value: found.value, path: found.path } : undefined;
  };

  const globalProduces = stringArray(data.produces);
  const globalConsumes = stringArray(data.consumes);
  const operations: OperationView[] = [];
  const paths = isObject(data.paths) ? data.paths : {};
  for (const [route, rawItem] of Object.entries(paths)) {
    const item = derefObject(rawItem, ['paths', route]);
    if (item === undefined) continue;
    const methods = HTTP_METHODS.filter((method) => isObject(item.value[method]));
    const itemParameters = readParameters(item.value.parameters, [...item.path, 'parameters'], derefObject);
    for (const method of methods) {
      const operation = item.value[method] as Json;
      const path = [...item.path, method];
      const own = readParameters(operation.parameters, [...path, 'parameters'], derefObject);
      const parameters = mergeParameters(itemParameters, own);
      const consumes = stringArray(operation.consumes) ?? globalConsumes ?? ['application/json'];
      const produces = stringArray(operation.produces) ?? globalProduces ?? ['application/json'];
      operations.push({
        value: operation,
        path,
        method,
        route,
        pathItem: item.value,
        operationId: typeof operation.operationId === 'string' ? operation.operationId : undefined,
        parameters: parameters.filter((parameter) => parameter.in !== 'body' && parameter.in !== 'formData'),
        requestBody: readRequestBody(operation, path, parameters, consumes, derefObject),
        responses: readResponses(operation.responses, [...path, 'responses'], produces, derefObject, version),
        security: Array.isArray(operation.security)
          ? operation.security.filter(isObject)
          : Array.isArray(data.security)
            ? data.security.filter(isObject)
            : undefined,
        siblingMethods: methods,
      });
    }
  }

  const schemas = collectSchemas(data, operations);
  const requestRoots: Segment[][] = [];
  const responseRoots: Segment[][] = [];
  for (const operation of operations) {
    for (const media of operation.requestBody?.content ?? [])
      if (media.schema) requestRoots.push([...media.schema.path]);
    for (const parameter of operation.parameters) {
      if (isObject(parameter.value.schema)) requestRoots.push([...parameter.path, 'schema']);
    }
    for (const response of operation.responses) {
      for (const media of response.content) if (media.schema) responseRoots.push([...media.schema.path]);
    }
  }
  const requestReach = reachable(requestRoots, deref, data);
  const responseReach = reachable(responseRoots, deref, data);

  return {
    data,
    version,
    operations,
    schemas,
    securitySchemes: readSecuritySchemes(data, version),
    serverPaths: readServerUrls(data, version).map((server) => urlPath(server.value)),
    serverUrls: readServerUrls(data, version),
    deref,
    isRequestSchema: (path) => requestReach.has(toPointer(path)),
    isResponseSchema: (path) => responseReach.has(toPointer(path)),
  };
}

function detectVersion(data: Json): ApiView['version'] {
  if (typeof data.swagger === 'string' && data.swagger.startsWith('2')) return '2.0';
  if (typeof data.openapi === 'string') return data.openapi.startsWith('3.1') ? '3.1' : '3.0';
  return 'unknown';
}

function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

function createDeref(data: Json): ApiView['deref'] {
  const cache = new Map<string, Located<unknown>>();
  return (value, path) => {
    let current: Located<unknown> = { value, path };
    for (let hops = 0; hops < 32; hops++) {
      const target = isObject(current.value) ? current.value.$ref : undefined;
      if (typeof target !== 'string' || !target.startsWith('#')) return current;
      const cached = cache.get(target);
      if (cached) {
        current = cached;
        continue;
      }
      const segments = fromPointer(target.slice(1));
      let node: unknown = data;
      for (const segment of segments) {
        node = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[segment] : undefined;
      }
      if (node === undefined) return current;
      const next = { value: node, path: segments };
      cache.set(target, next);
      current = next;
    }
    return current;
  };
}

type DerefObject = (value: unknown, path: readonly Segment[]) => Located | undefined;

function readParameters(value: unknown, path: readonly Segment[], deref: DerefObject): ParameterView[] {
  if (!Array.isArray(value)) return [];
  const result: ParameterView[] = [];
  for (const [index, raw] of value.entries()) {
    const found = deref(raw, [...path, index]);
    if (!found || typeof found.value.name !== 'string' || typeof found.value.in !== 'string') continue;
    const schema = isObject(found.value.schema) ? found.value.schema : found.value;
    result.push({ ...found, name: found.value.name, in: found.value.in, schema });
  }
  return result;
}

function mergeParameters(pathLevel: ParameterView[], own: ParameterView[]): ParameterView[] {
  const key = (parameter: ParameterView) => `${parameter.in}:${parameter.name.toLowerCase()}`;
  const overridden = new Set(own.map(key));
  return [...pathLevel.filter((parameter) => !overridden.has(key(parameter))), ...own];
}

function readMedia(content: unknown, path: readonly Segment[], deref: DerefObject): MediaView[] {
  if (!isObject(content)) return [];
  return Object.entries(content).flatMap(([type, raw]) => {
    if (!isObject(raw)) return [];
    const mediaPath = [...path, type];
    const schema = raw.schema === undefined ? undefined : deref(raw.schema, [...mediaPath, 'schema']);
    return [{ value: raw, path: mediaPath, type, schema }];
  });
}

function readRequestBody(
  operation: Json,
  path: readonly Segment[],
  parameters: ParameterView[],
  consumes: string[],
  deref: DerefObject,
): RequestBodyView | undefined {
  if (operation.requestBody !== undefined) {
    const body = deref(operation.requestBody, [...path, 'requestBody']);
    if (!body) return undefined;
    return {
      ...body,
      required: body.value.required === true,
      content: readMedia(body.value.content, [...body.path, 'content'], deref),
    };
  }
  const bodyParameter = parameters.find((parameter) => parameter.in === 'body');
  if (bodyParameter) {
    const schema = deref(bodyParameter.value.schema, [...bodyParameter.path, 'schema']);
    const content = consumes.map((type) => ({
      value: bodyParameter.value,
      path: bodyParameter.path,
      type,
      schema,
    }));
    return {
      value: bodyParameter.value,
      path: bodyParameter.path,
      required: bodyParameter.value.required === true,
      content,
    };
  }
  const form = parameters.filter((parameter) => parameter.in === 'formData');
  if (form.length > 0) {
    const first = form[0] as ParameterView;
    const content = consumes.map((type) => ({
      value: first.value,
      path: first.path,
      type,
      schema: undefined,
    }));
    return {
      value: first.value,
      path: first.path,
      required: form.some((p) => p.value.required === true),
      content,
    };
  }
  return undefined;
}

function readResponses(
  value: unknown,
  path: readonly Segment[],
  produces: string[],
  deref: DerefObject,
  version: ApiView['version'],
): ResponseView[] {
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([status, raw]) => {
    if (status.startsWith('x-')) return [];
    const response = deref(raw, [...path, status]);
    if (!response) return [];
    const headers = new Map<string, Located>();
    if (isObject(response.value.headers)) {
      for (const [name, header] of Object.entries(response.value.headers)) {
        const found = deref(header, [...response.path, 'headers', name]);
        if (found) headers.set(name.toLowerCase(), found);
      }
    }
    let content: MediaView[];
    if (version === '2.0') {
      const schema =
        response.value.schema === undefined
          ? undefined
          : deref(response.value.schema, [...response.path, 'schema']);
      content = schema
        ? produces.map((type) => ({ value: response.value, path: response.path, type, schema }))
        : [];
    } else {
      content = readMedia(response.value.content, [...response.path, 'content'], deref);
    }
    return [{ ...response, status, headers, content }];
  });
}

function readSecuritySchemes(data: Json, version: ApiView['version']): Map<string, Located> {
  const result = new Map<string, Located>();
  const holder =
    version === '2.0'
      ? { value: data.securityDefinitions, path: ['securityDefinitions'] }
      : {
          value: isObject(data.components) ? data.components.securitySchemes : undefined,
          path: ['components', 'securitySchemes'],
        };
  if (!isObject(holder.value)) return result;
  for (const [name, scheme] of Object.entries(holder.value)) {
    if (isObject(scheme)) result.set(name, { value: scheme, path: [...holder.path, name] });
  }
  return result;
}

function readServerUrls(data: Json, version: ApiView['version']): Located<string>[] {
  if (version === '2.0') {
    const host = typeof data.host === 'string' ? data.host : '';
    const basePath = typeof data.basePath === 'string' ? data.basePath : '';
    const scheme = stringArray(data.schemes)?.[0] ?? 'https';
    if (!host && !basePath) return [];
    return [
      { value: host ? `${scheme}://${host}${basePath}` : basePath, path: [basePath ? 'basePath' : 'host'] },
    ];
  }
  if (!Array.isArray(data.servers)) return [];
  return data.servers.flatMap((server, index) =>
    isObject(server) && typeof server.url === 'string'
      ? [{ value: server.url, path: ['servers', index, 'url'] }]
      : [],
  );
}

/** The path part of a server URL, with `{variables}` kept as they are. */
export function urlPath(url: string): string {
  const withoutScheme = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  return withoutScheme.startsWith('/') ? withoutScheme : `/${withoutScheme}`;
}

const SCHEMA_CHILDREN = [
  'items',
  'additionalProperties',
  'not',
  'contains',
  'propertyNames',
  'if',
  'then',
  'else',
];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];

/** Every schema node once: components first (so they keep their own path), then inline ones. */
function collectSchemas(data: Json, operations: readonly OperationView[]): SchemaView[] {
  const seen = new Set<unknown>();
  const result: SchemaView[] = [];
  const visit = (value: unknown, path: Segment[], propertyName: string | undefined) => {
    if (!isObject(value) || seen.has(value)) return;
    seen.add(value);
    if (typeof value.$ref === 'string') return;
    result.push({ value, path, propertyName });
    for (const key of SCHEMA_CHILDREN) {
      if (isObject(value[key])) visit(value[key], [...path, key], undefined);
    }
    if (Array.isArray(value.items))
      for (const [index, item] of value.items.entries()) visit(item, [...path, 'items', index], undefined);
    for (const key of SCHEMA_LISTS) {
      const list = value[key];
      if (Array.isArray(list))
        for (const [index, item] of list.entries()) visit(item, [...path, key, index], undefined);
    }
    for (const key of SCHEMA_MAPS) {
      const map = value[key];
      if (!isObject(map)) continue;
      for (const [name, child] of Object.entries(map))
        visit(child, [...path, key, name], key === 'properties' ? name : undefined);
    }
  };
  const components = isObject(data.components) ? data.components : {};
  for (const [holder, path] of [
    [components.schemas, ['components', 'schemas']],
    [data.definitions, ['definitions']],
  ] as const) {
    if (isObject(holder))
      for (const [name, schema] of Object.entries(holder)) visit(schema, [...path, name], undefined);
  }
  for (const operation of operations) {
    for (const parameter of operation.parameters) {
      if (isObject(parameter.value.schema))
        visit(parameter.value.schema, [...parameter.path, 'schema'], undefined);
    }
    for (const media of operation.requestBody?.content ?? []) {
      if (media.schema) visit(media.schema.value, [...media.schema.path], undefined);
    }
    for (const response of operation.responses) {
      for (const media of response.content)
        if (media.schema) visit(media.schema.value, [...media.schema.path], undefined);
    }
  }
  return result;
}

/** Pointers of every schema reachable from the roots, following `$ref`s. */
function reachable(roots: Segment[][], deref: ApiView['deref'], data: Json): Set<string> {
  const result = new Set<string>();
  const stack: Located<unknown>[] = roots.map((path) => deref(valueAt(data, path), path));
  while (stack.length > 0) {
    const current = stack.pop() as Located<unknown>;
    const target = deref(current.value, current.path);
    if (!isObject(target.value)) continue;
    const pointer = toPointer(target.path);
    if (result.has(pointer)) continue;
    result.add(pointer);
    const schema = target.value;
    for (const key of SCHEMA_CHILDREN)
      if (isObject(schema[key])) stack.push({ value: schema[key], path: [...target.path, key] });
    for (const key of SCHEMA_LISTS) {
      const list = schema[key];
      if (Array.isArray(list))
        for (const [index, item] of list.entries())
          stack.push({ value: item, path: [...target.path, key, index] });
    }
    for (const key of SCHEMA_MAPS) {
      const map = schema[key];
      if (isObject(map))
        for (const [name, child] of Object.entries(map))
          stack.push({ value: child, path: [...target.path, key, name] });
    }
  }
  return result;
}

function valueAt(data: Json, path: readonly Segment[]): unknown {
  let node: unknown = data;
  for (const segment of path)
    node = isObject(node) || Array.isArray(node) ? (node as Json)[segment as string] : undefined;
  return node;
}
