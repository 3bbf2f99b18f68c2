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
import { queryRefusal, type Refusal } from './refusals.js';

/** ajv errors as `details` entries, exactly as the error handler reports request bodies. */
export { validationProblems as validationDetails } from '../server/api-error.js';

export interface ValidatorOptions {
  /** A transition's `{ reason }`: the body may be absent altogether. */
  readonly optionalBody: boolean;
  /** Why the body refuses a property it has no place for (resources/refusals.ts). */
  readonly bodyRefusal?: Refusal;
}

/** Why a request without a body is refused where one is needed. */
const NO_BODY = 'is missing: this request takes a JSON object (Content-Type: application/json)';

export type ValidatorCompilerFactory = (options: ValidatorOptions) => FastifySchemaCompiler<unknown>;

/** Route-level validator compilers over the app's shared validators. */
export function createValidatorCompiler(validators: Validators): ValidatorCompilerFactory {
  return ({ optionalBody, bodyRefusal }) =>
    ({ schema, httpPart }) => {
      if (httpPart === 'querystring') return queryValidator(validators.urlPart(schema), schema as JsonSchema);
      if (httpPart !== 'body')
        return validators.urlPart(schema) as ReturnType<FastifySchemaCompiler<unknown>>;
      const validate = validators.body(schema);
      const body = (data: unknown): boolean => {
        // Fastify hands a request without a body over as null (a JSON `null` body too).
        if (data === undefined || data === null) {
          if (optionalBody) return true;
          body.errors = [
            {
              keyword: 'type',
              instancePath: '',
              schemaPath: '#/type',
              params: { type: 'object', reason: NO_BODY },
            },
          ];
          return false;
        }
        const valid = validate(data);
        body.errors = valid ? null : explainRefusals(validate.errors ?? [], bodyRefusal);
        return valid;
      };
      body.errors = null as ValidateFunction['errors'];
      return body as unknown as ReturnType<FastifySchemaCompiler<unknown>>;
    };
}

/** Compiled validators, shared by every resource route of an app (see `createValidators`). */
export interface Validators {
  /** Bodies and bulk items: no coercion (a string is not a number), defaults filled in. */
  readonly body: (schema: unknown) => ValidateFunction;
  /** Bulk upsert items: as bodies, without defaults (absent properties leave a row's values). */
  readonly upsertItem: (schema: unknown) => ValidateFunction;
  /** Path parameters and query strings, which are text: coerced. */
  readonly urlPart: (schema: unknown) => ValidateFunction;
}

/**
 * One ajv per kind of validation for all of an app's routes (each instance compiles the JSON
 * Schema meta-schema once, ~25 ms), each created when first needed, and each schema compiled
 * once per text: routes share many schemas (the item path's parameters, an entity's bodies),
 * each a separate self-contained copy that ajv's own cache (by object) would compile again. A
 * validator keeps no state between calls but its last `errors`, which every caller reads right
 * after its own call. Body validators are verbose: a refused property's error carries what its
 * object accepts (`explainRefusals`).
 */
export function createValidators(): Validators {
  return {
    body: compileOnce(() => createApiAjv({ verbose: true })),
    upsertItem: compileOnce(() => createApiAjv({ defaults: false, verbose: true })),
    urlPart: compileOnce(() => createApiAjv({ coerce: true })),
  };
}

function compileOnce(
  createAjv: () => ReturnType<typeof createApiAjv>,
): (schema: unknown) => ValidateFunction {
  let ajv: ReturnType<typeof createApiAjv> | undefined;
  const compiled = new Map<string, ValidateFunction>();
  return (schema) => {
    const text = JSON.stringify(schema);
    let validate = compiled.get(text);
    if (!validate) {
      ajv ??= createAjv();
      validate = ajv.compile(schema as object);
      compiled.set(text, validate);
    }
    return validate;
  };
}

/**
 * ajv's errors with each refused property's reason in `params.reason` (where the error handler
 * reads it): ajv says only that a property is one too many. Needs an ajv with `verbose: true`
 * (each error's `parentSchema` lists what its object accepts); a refusal is optional.
 */
export function explainRefusals(errors: readonly ErrorObject[], refusal: Refusal | undefined): ErrorObject[] {
  if (!refusal) return [...errors];
  return errors.map((error) => {
    if (error.keyword !== 'additionalProperties') return error;
    const property = String(error.params.additionalProperty);
    const accepted = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
    return { ...error, params: { ...error.params, reason: refusal(property, accepted) } };
  });
}

/**
 * Query strings, once the schema has refused one (a valid query costs only a look for NUL):
 * - a parameter given twice (`limit=1&limit=2`, `sku=a&sku=b`) arrives as an array and would be
 *   refused as "must be integer" or "must be string"; it is refused for what it is. (Several
 *   values of a filter are one parameter: `sku[in]=a,b`.)
 * - a comma list (`sort`, `fields`, `include`, `status[in]`, `id[in]`) is answered with the items
 *   it got wrong and what they must be (its `x-list`), not with its pattern; a cursor that is not
 *   base64url, as one that does not decode;
 * - a value holding U+0000 (`%00`), which PostgreSQL's text cannot hold, is refused as such;
 * - a parameter the route does not take is told apart from a filter operator it lacks
 *   (`sku[foo]`: the operators `sku` takes) and from a typo (`nmae`: did you mean `name`?).
 */
function queryValidator(
  validate: ValidateFunction,
  schema: JsonSchema,
): ReturnType<FastifySchemaCompiler<unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const query = (data: unknown): boolean => {
    const values = data as Record<string, unknown>;
    for (const name in values) {
      const value = values[name];
      if (typeof value === 'string' && value.includes('\0')) {
        query.errors = [problem(name, 'nul', 'must not contain the NUL character (%00)')];
        return false;
      }
    }
    if (validate(data)) {
      query.errors = null;
      return true;
    }
    const repeated = Object.keys(values).find((name) => Array.isArray(values[name]));
    query.errors = repeated
      ? [problem(repeated, 'repeated', 'is given more than once')]
      : validate.errors!.map((error) => {
          if (error.keyword === 'additionalProperties') {
            const reason = queryRefusal(String(error.params.additionalProperty), Object.keys(properties));
            return { ...error, params: { ...error.params, reason } };
          }
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
