/**
 * Bad input as a property, on both drivers: thousands of random bodies and query strings, built
 * from the generated OpenAPI document (its routes, its request schemas' property names, the
 * list fields and filter operators) mixed with junk, sent to every resource route, writes with
 * If-Match headers of every shape (tags, weak tags, lists, `*`, junk). No response
 * is a 5xx; every 4xx carries the error envelope with a code, a message and the request id.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitOpenApi } from '../../../src/design/openapi/index.js';
import { createHarness, DRIVERS, type Harness } from '../resources/harness.js';

const RUNS = 400;

// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is walked structurally
type Json = any;

interface Route {
  readonly method: string;
  readonly path: string;
  /** Property names of the request body schema (resolved), empty when there is no body. */
  readonly bodyProperties: readonly string[];
  /** Property names of the listed rows, for filters, sort and fields. */
  readonly rowProperties: readonly string[];
}

function resolve(document: Json, schema: Json): Json {
  let current = schema;
  while (current?.$ref)
    current = current.$ref
      .split('/')
      .slice(1)
      .reduce((node: Json, key: string) => node[key], document);
  return current;
}

function propertyNames(document: Json, schema: Json): string[] {
  const resolved = resolve(document, schema);
  if (!resolved) return [];
  const own = Object.keys(resolved.properties ?? {});
  const nested = [...(resolved.oneOf ?? []), ...(resolved.anyOf ?? []), ...(resolved.allOf ?? [])].flatMap(
    (member: Json) => propertyNames(document, member),
  );
  return [...new Set([...own, ...nested])];
}

function routesOf(document: Json): Route[] {
  const routes: Route[] = [];
  for (const [path, item] of Object.entries<Json>(document.paths)) {
    // the account routes belong to the authentication suites
    if (path.includes('/auth/')) continue;
    for (const [method, operation] of Object.entries<Json>(item)) {
      if (!operation?.operationId) continue;
      const body = operation.requestBody?.content?.['application/json']?.schema;
      const ok = operation.responses?.['200']?.content?.['application/json']?.schema;
      const data = resolve(document, ok)?.properties?.data;
      const rowSchema = data?.items ?? ok;
      routes.push({
        method: method.toUpperCase(),
        path,
        bodyProperties: body ? propertyNames(document, body) : [],
        rowProperties: rowSchema ? propertyNames(document, rowSchema) : [],
      });
    }
  }
  return routes;
}

const OPERATORS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'is', 'like', 'ilike', 'prefix', 'nope', ''];
const RESERVED = ['limit', 'cursor', 'sort', 'fields', 'include', 'count', 'q', 'mode'];

const junk = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '',
    'null',
    'notnull',
    'true',
    'true,false',
    '-1',
    '0',
    '1e309',
    'NaN',
    '2026-02-30',
    '*',
    '%',
    ',,',
    'a,b',
  ),
  fc.integer().map(String),
  fc.double().map(String),
  fc.uuid().map(String),
  fc.string({ unit: 'binary', maxLength: 8 }),
);

const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  junk,
  fc.constantFrom(null, true, 0, -1, 1.5, '1.2345678', 'x'.repeat(300), [], {}),
);

describe.each(DRIVERS)('bad input on %s', (kind) => {
  let api: Harness;
  let routes: Route[];

  beforeAll(async () => {
    api = await createHarness(kind);
    routes = routesOf(emitOpenApi(api.model));
  });
  afterAll(async () => {
    await api?.close();
  });

  function pathFor(route: Route, parameters: readonly string[]): string {
    let index = 0;
    return route.path.replace(/\{[^}]+\}/g, () =>
      encodeURIComponent(parameters[index++ % parameters.length]!),
    );
  }

  function expectEnvelope(status: number, body: Json, request: string): void {
    expect(status, request).toBeLessThan(500);
    if (status >= 400) {
      expect(body?.error, request).toMatchObject({
        code: expect.any(String),
        message: expect.any(String),
        requestId: expect.any(String),
      });
    }
  }

  it('random query strings on every GET route: never a 5xx, every 4xx an envelope', async () => {
    const gets = routes.filter((route) => route.method === 'GET');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...gets),
        fc.array(fc.oneof(fc.uuid().map(String), junk), { minLength: 1, maxLength: 2 }),
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.constantFrom(...RESERVED),
              fc
                .tuple(
                  fc.constantFrom('id', 'sku', 'status', 'createdAt', 'code'),
                  fc.constantFrom(...OPERATORS),
                )
                .map(([name, op]) => (op ? `${name}[${op}]` : name)),
              fc.string({ maxLength: 6 }),
            ),
            junk,
          ),
          { maxLength: 4 },
        ),
        async (route, parameters, pairs) => {
          const extra = route.rowProperties;
          const query = pairs
            .map(([key, text], index) => {
              const name =
                extra.length > 0 && index % 2 === 1
                  ? key.replace(/^[a-z]+/i, extra[index % extra.length]!)
                  : key;
              return `${encodeURIComponent(name).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(text)}`;
            })
            .join('&');
          const url = `${pathFor(route, parameters)}${query ? `?${query}` : ''}`;
          const response = await api.call('GET', url);
          expectEnvelope(response.status, response.body, `GET ${url}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  /** If-Match as clients send it, and as they should not: tags, weak tags, lists, `*`, junk. */
  const tag = fc.oneof(
    fc.nat({ max: 3 }).map((version) => `"${version}"`),
    fc.nat().map((version) => `W/"${version}"`),
    fc.constantFrom('*', '""', '"abc"', 'W/', '"1', '"99999999999"', ''),
    fc.stringMatching(/^[ -~]{0,12}$/),
  );
  const ifMatch = fc.option(
    fc
      .tuple(fc.array(tag, { minLength: 1, maxLength: 3 }), fc.constantFrom(',', ', ', ' ,'))
      .map(([tags, separator]) => tags.join(separator)),
    { nil: undefined },
  );

  it('random bodies on every write route: never a 5xx, every 4xx an envelope', async () => {
    const writes = routes.filter((route) => route.method !== 'GET');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...writes),
        fc.array(fc.oneof(fc.uuid().map(String), junk), { minLength: 1, maxLength: 2 }),
        fc.oneof(
          {
            weight: 6,
            arbitrary: fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constant('operation')), value, {
              maxKeys: 3,
            }),
          },
          { weight: 2, arbitrary: fc.constant('raw') },
          { weight: 1, arbitrary: value },
        ),
        fc.array(value, { maxLength: 5 }),
        fc.constantFrom('atomic', 'partial', 'nope', undefined),
        ifMatch,
        async (route, parameters, shape, values, mode, condition) => {
          let body: unknown;
          if (shape === 'raw') body = '{"unterminated": ';
          else if (typeof shape === 'object' && shape !== null && !Array.isArray(shape)) {
            // schema properties with random values, plus the random extra keys
            const named = Object.fromEntries(
              route.bodyProperties.slice(0, values.length).map((name, index) => [name, values[index]]),
            );
            body = { ...named, ...shape };
            if (route.path.endsWith('/bulk') && values.length > 0) {
              body = {
                ...(body as object),
                operation: values.length % 2 ? 'create' : 'upsert',
                items: [named, shape],
              };
            }
          } else body = shape;
          const url = `${pathFor(route, parameters)}${route.path.endsWith('/bulk') && mode ? `?mode=${mode}` : ''}`;
          const response = await api.call(route.method, url, {
            body:
              body === undefined
                ? 'null'
                : typeof body === 'string' && shape === 'raw'
                  ? body
                  : JSON.stringify(body),
            headers: {
              'content-type': 'application/json',
              ...(condition === undefined ? {} : { 'if-match': condition }),
            },
          });
          expectEnvelope(
            response.status,
            response.body,
            `${route.method} ${url} If-Match: ${condition} ${JSON.stringify(body)?.slice(0, 200)}`,
          );
        },
      ),
      { numRuns: RUNS },
    );
  });
});
