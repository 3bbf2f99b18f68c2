/** The OpenAPI document as YAML, stable byte for byte for the same model. */
import type { Model } from '../../blueprint/model.js';
import { toBlockYaml } from './block-yaml.js';
import { emitOpenApi } from './document.js';

/**
 * `openapi.yaml` as `architect design` writes it. Shared objects (a schema used twice) are
 * printed twice, not as YAML anchors and aliases, which many OpenAPI tools do not follow.
 *
 * @example
 * writeFileSync('design/openapi.yaml', renderOpenApiYaml(model));
 */
export function renderOpenApiYaml(model: Model): string {
  return toBlockYaml(emitOpenApi(model));
}
