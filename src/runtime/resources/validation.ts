/**
 * Request validation with the API design's own schemas (`requestSchemas`, the same ones the
 * OpenAPI document prints): one ajv for bodies (no coercion: a string is not a number) and one
 * for URL parts (which are text and must be coerced). Both refuse unknown properties instead of
 * dropping them, so a readonly property in a body is a 422 naming it.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';
import { type CommaList, commaListProblem } from '../../design/api/comma-lists.js';
import { createApiAjv, type JsonSchema } from '../../design/api/index.js';

/** ajv errors as `details` entries, exactly as the error handler reports request bodies. */
export { validationProblems as validationDetails } from '../server/api-error.js';

export type ValidatorCompilerFactory = (options: { optionalBody: boolean }) => FastifySchemaCompiler<unknown>;

/**
 * Route-level validator compilers sharing two ajv instances: bodies strict, URL parts coerced
 * from text. An optional body (a transition's `{ reason }`) may be absent altogether.
 */
export function createValidatorCompiler(): ValidatorCompilerFactory {
  const bodies = createApiAjv();
  const urlParts = createApiAjv({ coerce: true });
  return ({ optionalBody }) =>
    ({ schema, httpPart }) => {
      if (httpPart === 'querystring')
        return queryValidator(urlParts.compile(schema as object), schema as JsonSchema);
      if (httpPart !== 'body')
        return urlParts.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
      const validate = bodies.compile(schema as object);
      if (!optionalBody) return validate as ReturnType<FastifySchemaCompiler<unknown>>;
      const optional = (data: unknown) => {
        const valid = data === undefined || data === null || validate(data);
        optional.errors = valid ? null : validate.errors;
        return valid;
      };
      optional.errors = null as typeof validate.errors;
      return optional as unknown as ReturnType<FastifySchemaCompiler<unknown>>;
    };
}

/**
 * Query strings, once the schema has refused one (a valid query costs nothing more):
 * - a parameter given twice (`limit=1&limit=2`, `sku=a&sku=b`) arrives as an array and would be
 *   refused as "must be integer" or "must be string"; it is refused for what it is. (Several
 *   values of a filter are one parameter: `sku[in]=a,b`.)
 * - a comma list (`sort`, `fields`, `include`, `status[in]`, `id[in]`) is answered with the items
 *   it got wrong and what they must be (its `x-list`), not with its pattern; a cursor that is not
 *   base64url, as one that does not decode.
 */
function queryValidator(
  validate: ValidateFunction,
  schema: JsonSchema,
): ReturnType<FastifySchemaCompiler<unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const query = (data: unknown): boolean => {
    if (validate(data)) {
      query.errors = null;
      return true;
    }
    const values = data as Record<string, unknown>;
    const repeated = Object.keys(values).find((name) => Array.isArray(values[name]));
    query.errors = repeated
      ? [problem(repeated, 'repeated', 'is given more than once')]
      : validate.errors!.map((error) => {
          if (error.keyword !== 'pattern') return error;
          const name = parameterOf(error.instancePath);
          if (name === 'cursor') return problem(name, 'pattern', 'is not a cursor this API issued');
          const list = properties[name]?.['x-list'] as CommaList | undefined;
          const value = values[name];
          const message = list && typeof value === 'string' ? commaListProblem(list, value) : undefined;
          return message ? problem(name, 'pattern', message) : error;
        });
    return false;
  };
  query.errors = null as ValidateFunction['errors'];
  return query as unknown as ReturnType<FastifySchemaCompiler<unknown>>;
}

/** `sort` from `/sort`, `status[in]` from `/status[in]` (JSON pointer, unescaped). */
function parameterOf(instancePath: string): string {
  return instancePath.slice(1).replace(/~1/g, '/').replace(/~0/g, '~');
}

/** An ajv-shaped error on one query parameter. */
function problem(
  name: string,
  keyword: string,
  message: string,
  params: Record<string, unknown> = {},
): ErrorObject {
  return {
    keyword,
    instancePath: `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`,
    schemaPath: '#',
    params,
    message,
  };
}
