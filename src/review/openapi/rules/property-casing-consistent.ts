import { casingOf, dominantCasing } from '../helpers.js';
import { defineRule } from '../rule.js';

/** A schema reached through a form media type (`.../content/application~1x-www-form-urlencoded/...`). */
function isFormField(path: readonly (string | number)[]): boolean {
  const at = path.indexOf('content');
  return at >= 0 && /form/i.test(String(path[at + 1] ?? ''));
}

export default defineRule({
  id: 'architect/property-casing-consistent',
  severity: 'warn',
  group: 'naming',
  summary: 'Schema property names all use the same casing',
  meaning:
    'Clients map JSON properties onto fields with one naming rule. A document that mixes `createdAt` and `updated_at` breaks that mapping and every generated client shows the mix forever, because renaming a property later is a breaking change. The dominant casing of the document (camelCase or snake_case) is the standard; properties that start with `_`, `$` or `@` (`_links`, `@type`) are conventions of their own, and numeric keys are data, so both are skipped. Form fields (`application/x-www-form-urlencoded`, `multipart/form-data`) are parameters rather than JSON properties and are judged among themselves.',
  help: 'Rename the property to the casing the rest of the document uses (or add the new spelling and deprecate the old one).',
  check({ api, report }) {
    const properties = api.schemas.filter(
      (schema) => schema.propertyName !== undefined && !/^[_$@\d]/.test(schema.propertyName),
    );
    // Form fields (urlencoded, multipart) are parameters with their own convention, e.g.
    // Twilio's PascalCase form fields beside snake_case JSON: each family is judged on its own.
    const families = [
      properties.filter((schema) => !isFormField(schema.path)),
      properties.filter((schema) => isFormField(schema.path)),
    ];
    for (const [index, family] of families.entries()) {
      const dominant = dominantCasing(family.map((schema) => schema.propertyName as string));
      if (dominant === undefined) continue;
      const where = index === 0 ? 'the document uses' : 'the form fields use';
      for (const schema of family) {
        const name = schema.propertyName as string;
        const casing = casingOf(name);
        if (casing === 'lower' || casing === dominant) continue;
        report({
          path: schema.path.slice(0, -1).concat(name),
          message: `Property "${name}" is ${casing} case; ${where} ${dominant} case`,
        });
      }
    }
  },
});
