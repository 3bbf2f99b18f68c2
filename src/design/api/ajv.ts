/**
 * The ajv vocabulary the API's schemas need: the standard formats, `format: decimal` and the
 * `x-decimal` and `x-list` keywords. Register it on any ajv 8 instance (Fastify's included) with
 * `addApiVocabulary(ajv)`, or get a configured 2020-12 instance from `createApiAjv()`.
 */
import type { Ajv } from 'ajv';
import { Ajv2020, type Options } from 'ajv/dist/2020.js';
import type { AnyValidateFunction } from 'ajv/dist/core.js';
import addFormatsModule from 'ajv-formats';
import { listKeyword } from './comma-lists.js';
import { ANY_DECIMAL_PATTERN, decimalKeyword } from './decimal.js';
import type { ComponentSchemas } from './schemas.js';
import { componentsAsDefs } from './validation.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv | Ajv2020) => unknown;

/**
 * Options the runtime should use for request validation:
 * - `removeAdditional: false`: an unknown or readonly property is a 422 naming it, never dropped;
 * - `allowUnionTypes`: decimals are `type: [string, number]`;
 * - `allErrors`: every failing field is reported in `details`.
 * Querystrings and params also need `coerceTypes` (URL values are text); bodies should not.
 */
export const AJV_OPTIONS = {
  allErrors: true,
  removeAdditional: false,
  allowUnionTypes: true,
  useDefaults: true,
  strict: true,
} as const satisfies Options;

/** Add the formats, `format: decimal` and the `x-decimal` and `x-list` keywords to an ajv instance. */
export function addApiVocabulary<T extends Ajv | Ajv2020>(ajv: T): T {
  addFormats(ajv);
  if (!ajv.getKeyword(decimalKeyword.keyword as string)) ajv.addKeyword(decimalKeyword);
  if (!ajv.getKeyword(listKeyword.keyword as string)) ajv.addKeyword(listKeyword);
  ajv.addFormat('decimal', { type: 'string', validate: new RegExp(ANY_DECIMAL_PATTERN) });
  return ajv;
}

/**
 * A 2020-12 ajv with the API vocabulary. `coerce: true` for querystrings and params;
 * `defaults: false` to validate without filling in schema defaults (bulk upserts, whose absent
 * properties must leave a stored row's values alone); `verbose: true` to find each error's
 * `parentSchema` on it (what the failing object accepts).
 *
 * @example
 * const ajv = createApiAjv();
 * const validate = ajv.compile(requestSchemas(operation, buildSchemas(model)).body!);
 */
export function createApiAjv(
  options: { coerce?: boolean; defaults?: boolean; verbose?: boolean } = {},
): Ajv2020 {
  const ajv = new Ajv2020({
    ...AJV_OPTIONS,
    coerceTypes: options.coerce ? 'array' : false,
    useDefaults: options.defaults ?? true,
    verbose: options.verbose ?? false,
  });
  return addApiVocabulary(ajv);
}

/** `$id` under which `registerComponents` adds the component schemas. */
export const COMPONENTS_ID = 'urn:backend-architect:components';

/**
 * Add every component schema to `ajv` once, and get validators by component name. Shared
 * schemas are compiled once, which matters for the read representations: they reference each
 * other through `include=` relations. Good for checking many responses (contract tests).
 *
 * @example
 * const validatorFor = registerComponents(createApiAjv(), buildSchemas(model));
 * validatorFor('PurchaseOrder')(body); // true or false, errors on `.errors`
 */
export function registerComponents(
  ajv: Ajv | Ajv2020,
  components: ComponentSchemas,
): (name: string) => AnyValidateFunction {
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: componentsAsDefs(components) });
  return (name) => {
    const validate = ajv.getSchema(`${COMPONENTS_ID}#/$defs/${name}`);
    if (!validate) throw new Error(`No component schema ${name}`);
    return validate;
  };
}
