/**
 * backend-architect: the library behind the `architect` command.
 *
 * @example
 * import { loadBlueprint } from 'backend-architect';
 * const model = await loadBlueprint('examples/inventory');
 */
export * from './blueprint/index.js';
export { ArchitectError, ERROR_CATALOG, type ErrorCode } from './errors.js';
