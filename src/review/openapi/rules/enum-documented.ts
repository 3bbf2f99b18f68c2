import { isObject } from '../api-view.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/enum-documented',
  severity: 'warn',
  group: 'schemas',
  summary: 'Enumerations say what their values mean',
  meaning:
    "An enum is a list of states or kinds a client must handle, and the names alone (`pending`, `held`, `void`) rarely say what each one implies or which ones may be added later. A `description` on the enum (or `x-enum-descriptions` per value; for a parameter, the parameter's description) is where that lives, and generated clients copy it into their docs.",
  help: 'Add a `description` to the enum schema, or `x-enum-descriptions` with one entry per value.',
  check({ api, report }) {
    for (const schema of api.schemas) {
      const values = schema.value.enum;
      if (!Array.isArray(values) || values.length < 2 || values.every((value) => typeof value === 'boolean'))
        continue;
      const documented =
        typeof schema.value.description === 'string' ||
        schema.value['x-enum-descriptions'] !== undefined ||
        schema.value['x-enumDescriptions'] !== undefined;
      if (documented) continue;
      // A parameter or header schema is documented by the parameter's own description.
      if (schema.path[schema.path.length - 1] === 'schema') {
        let parent: unknown = api.data;
        for (const segment of schema.path.slice(0, -1))
          parent =
            isObject(parent) || Array.isArray(parent)
              ? (parent as Record<string, unknown>)[segment as string]
              : undefined;
        if (isObject(parent) && typeof parent.description === 'string') continue;
      }
      // Name it after the nearest named node: the property, the component, or the parameter.
      const named = [...schema.path]
        .reverse()
        .find(
          (segment) =>
            typeof segment === 'string' &&
            !['items', 'schema', 'allOf', 'oneOf', 'anyOf', 'content', 'application/json'].includes(segment),
        );
      const name = schema.propertyName ?? String(named ?? 'enum');
      report({
        path: schema.path,
        message: `Enum "${name}" (${values.slice(0, 4).join(', ')}${values.length > 4 ? ', ...' : ''}) has no description`,
      });
    }
  },
});
