/**
 * The OpenAPI 3.1 document of a blueprint's API.
 *
 * @example
 * import { emitOpenApi, renderOpenApiYaml } from './design/openapi/index.js';
 * const document = emitOpenApi(model); // plain object, for GET /openapi.json
 * const text = renderOpenApiYaml(model); // design/openapi.yaml
 */

export { SESSION_COOKIE } from './components.js';
export { emitOpenApi, LOCAL_SERVER_URL } from './document.js';
export type * from './types.js';
export { renderOpenApiYaml } from './yaml.js';
