/**
 * Request validation with the API design's own schemas (`requestSchemas`, the same ones the
 * OpenAPI document prints): one ajv for bodies (no coercion: a string is not a number) and one
 * for URL parts (which are text and must be coerced). Both refuse unknown properties instead of
 * dropping them, so a readonly property in a body is a 422 naming it.
 */
import type { ValidateFunction } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';
import { createApiAjv } from '../../design/api/index.js';

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
      if (httpPart === 'querystring') return queryValidator(urlParts.compile(schema as object));
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
 * Query strings: a parameter given twice (`limit=1&limit=2`, `sku=a&sku=b`) arrives as an array
 * and would be refused as "must be integer" or "must be string"; it is refused for what it is.
 * (Several values of a filter are one parameter: `sku[in]=a,b`.) Looked for only once the
 * schema has refused the query, so a valid one costs nothing more.
 */
function queryValidator(validate: ValidateFunction): ReturnType<FastifySchemaCompiler<unknown>> {
  const query = (data: unknown): boolean => {
    if (validate(data)) {
      query.errors = null;
      return true;
    }
    const repeated = Object.keys(data as object).find((name) =>
      Array.isArray((data as Record<string, unknown>)[name]),
    );
    query.errors = repeated
      ? [
          {
            keyword: 'repeated',
            instancePath: `/${repeated.replace(/~/g, '~0').replace(/\//g, '~1')}`,
            schemaPath: '#',
            params: {},
            message: 'is given more than once',
          },
        ]
      : validate.errors;
    return false;
  };
  query.errors = null as ValidateFunction['errors'];
  return query as unknown as ReturnType<FastifySchemaCompiler<unknown>>;
}
