/** The OpenAPI document as YAML, stable byte for byte for the same model. */
import { stringify } from 'yaml';
import type { Model } from '../../blueprint/model.js';
import { emitOpenApi } from './document.js';

/**
 * `openapi.yaml` as `architect design` writes it.
 *
 * @example
 * writeFileSync('design/openapi.yaml', renderOpenApiYaml(model));
 */
export function renderOpenApiYaml(model: Model): string {
  // Shared objects (a schema used twice) must be printed twice, not as YAML anchors and aliases,
  // which many OpenAPI tools do not follow.
  return stringify(emitOpenApi(model), { aliasDuplicateObjects: false, lineWidth: 0 });
}
