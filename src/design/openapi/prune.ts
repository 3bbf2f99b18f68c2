/**
 * Keep only the components something references (directly from the paths, or through other
 * components), so a blueprint that has no bulk route or no audit trail gets no unused schemas.
 */
import type { ComponentsObject, PathItemObject } from './types.js';

type Section = 'schemas' | 'parameters' | 'headers' | 'responses';
const SECTIONS: readonly Section[] = ['schemas', 'parameters', 'headers', 'responses'];
const REF = /^#\/components\/(schemas|parameters|headers|responses)\/(.+)$/;

function collectRefs(value: unknown, found: (section: Section, name: string) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, found);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const child = record[key];
    if (typeof child !== 'object' && key !== '$ref') continue;
    if (key === '$ref' && typeof child === 'string') {
      const match = REF.exec(child);
      if (match) found(match[1] as Section, match[2]!);
    } else {
      collectRefs(child, found);
    }
  }
}

export function pruneComponents(
  components: ComponentsObject,
  paths: Record<string, PathItemObject>,
): ComponentsObject {
  const used: Record<Section, Set<string>> = {
    schemas: new Set(),
    parameters: new Set(),
    headers: new Set(),
    responses: new Set(),
  };
  const pending: [Section, string][] = [];
  const found = (section: Section, name: string) => {
    if (used[section].has(name)) return;
    used[section].add(name);
    pending.push([section, name]);
  };
  collectRefs(paths, found);
  while (pending.length > 0) {
    const [section, name] = pending.pop()!;
    const target = components[section]?.[name];
    if (target === undefined) throw new Error(`Dangling reference #/components/${section}/${name}`);
    collectRefs(target, found);
  }
  const pruned: ComponentsObject = {};
  for (const section of SECTIONS) {
    const entries = Object.entries(components[section] ?? {}).filter(([name]) => used[section].has(name));
    if (entries.length > 0) (pruned as Record<Section, unknown>)[section] = Object.fromEntries(entries);
  }
  if (components.securitySchemes && Object.keys(components.securitySchemes).length > 0) {
    pruned.securitySchemes = components.securitySchemes;
  }
  return pruned;
}
