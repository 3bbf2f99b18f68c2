export { BlueprintError, type Diagnostic, formatDiagnostics, formatLocation } from './diagnostics.js';
export { BLUEPRINT_JSON_SCHEMA } from './json-schema.js';
export {
  BLUEPRINT_FILE_NAMES,
  type CheckResult,
  checkBlueprint,
  checkBlueprintText,
  loadBlueprint,
  resolveBlueprintPath,
} from './load.js';
export * from './model.js';
export { initProject, renderTemplate, TEMPLATE_NAMES, type TemplateName } from './templates.js';
