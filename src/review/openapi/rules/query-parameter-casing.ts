import { casingOf, dominantCasing } from '../helpers.js';
import { defineRule } from '../rule.js';
import { toPointer } from '../source.js';

export default defineRule({
  id: 'architect/query-parameter-casing',
  severity: 'warn',
  group: 'naming',
  summary: 'Query parameter names all use the same casing',
  meaning:
    'A client that learned `page_size` on one endpoint will send it to the next one; if that one expects `pageSize` the parameter is silently ignored. One casing across the document (the dominant one) avoids the trap. Bracket suffixes (`status[in]`, `expand[]`) are not part of the name.',
  help: 'Rename the parameter to the casing the other query parameters use.',
  check({ api, report }) {
    const seen = new Map<string, { name: string; path: readonly (string | number)[] }>();
    for (const operation of api.operations) {
      for (const parameter of operation.parameters) {
        if (parameter.in !== 'query') continue;
        seen.set(toPointer(parameter.path), {
          name: parameter.name.replace(/\[.*$/, ''),
          path: parameter.path,
        });
      }
    }
    const dominant = dominantCasing([...seen.values()].map((item) => item.name));
    if (dominant === undefined) return;
    for (const { name, path } of seen.values()) {
      const casing = casingOf(name);
      if (casing === 'lower' || casing === dominant) continue;
      report({
        path,
        message: `Query parameter "${name}" is ${casing} case; the others use ${dominant} case`,
      });
    }
  },
});
