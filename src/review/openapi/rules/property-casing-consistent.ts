import { casingOf, dominantCasing } from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/property-casing-consistent',
  severity: 'warn',
  group: 'naming',
  summary: 'Schema property names all use the same casing',
  meaning:
    'Clients map JSON properties onto fields with one naming rule. A document that mixes `createdAt` and `updated_at` breaks that mapping and every generated client shows the mix forever, because renaming a property later is a breaking change. The dominant casing of the document (camelCase or snake_case) is the standard; properties that start with `_`, `$` or `@` (`_links`, `@type`) are conventions of their own, and numeric keys are data, so both are skipped.',
  help: 'Rename the property to the casing the rest of the document uses (or add the new spelling and deprecate the old one).',
  check({ api, report }) {
    const properties = api.schemas.filter(
      (schema) => schema.propertyName !== undefined && !/^[_$@\d]/.test(schema.propertyName),
    );
    const dominant = dominantCasing(properties.map((schema) => schema.propertyName as string));
    if (dominant === undefined) return;
    for (const schema of properties) {
      const name = schema.propertyName as string;
      const casing = casingOf(name);
      if (casing === 'lower' || casing === dominant) continue;
      report({
        path: schema.path.slice(0, -1).concat(name),
        message: `Property "${name}" is ${casing} case; the document uses ${dominant} case`,
      });
    }
  },
});
