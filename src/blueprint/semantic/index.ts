/**
 * Semantic validation: what the JSON Schema cannot say. Names must resolve, references must not
 * form an unbreakable cycle, lifecycles must agree with themselves, roles must be declared,
 * defaults must fit their fields, generated names must not collide. One file per concern.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { BlueprintSource } from '../source.js';
import { checkEntityAccess } from './access-checks.js';
import { createContext, entityScope, isDict } from './context.js';
import { checkEntity } from './entity-checks.js';
import { checkFields, type ReferenceEdge } from './field-checks.js';
import { checkLifecycle } from './lifecycle-checks.js';
import { checkDeclaredNames, checkEntityNames } from './name-checks.js';
import { checkReferenceCycles } from './reference-checks.js';
import { checkSecurity } from './security-checks.js';

export function checkSemantics(source: BlueprintSource): Diagnostic[] {
  if (!isDict(source.value)) return [];
  const context = createContext(source, source.value);
  const tables = checkDeclaredNames(context);
  checkEntityNames(context, tables);
  const edges: ReferenceEdge[] = [];
  for (const [name, raw] of context.entities) {
    const scope = entityScope(name, raw);
    edges.push(...checkFields(context, scope));
    checkEntity(context, scope);
    checkLifecycle(context, scope);
    checkEntityAccess(context, scope);
  }
  checkReferenceCycles(context, edges);
  checkSecurity(context);
  return context.diagnostics;
}
