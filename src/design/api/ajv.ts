/**
 * The ajv vocabulary the API's schemas need: the standard formats, `format: decimal` and the
 * `x-decimal` keyword. Register it on any ajv 8 instance (Fastify's included) with
 * `addApiVocabulary(ajv)`, or get a configured 2020-12 instance from `createApiAjv()`.
 */
import type { Ajv } from 'ajv';
import { Ajv2020, type Options } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ANY_DECIMAL_PATTERN, decimalKeyword } from './decimal.js';

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

/** Add the formats, `format: decimal` and the `x-decimal` keyword to an ajv instance. */
export function addApiVocabulary<T extends Ajv | Ajv2020>(ajv: T): T {
  addFormats(ajv);
  if (!ajv.getKeyword(decimalKeyword.keyword as string)) ajv.addKeyword(decimalKeyword);
  ajv.addFormat('decimal', { type: 'string', validate: new RegExp(ANY_DECIMAL_PATTERN) });
  return ajv;
}

/**
 * A 2020-12 ajv with the API vocabulary. `coerce: true` for querystrings and params.
 *
 * @example
 * const ajv = createApiAjv();
 * const validate = ajv.compile(requestSchemas(operation, buildSchemas(model)).body!);
 */
export function createApiAjv(options: { coerce?: boolean } = {}): Ajv2020 {
  const ajv = new Ajv2020({ ...AJV_OPTIONS, coerceTypes: options.coerce ? 'array' : false });
  return addApiVocabulary(ajv);
}
