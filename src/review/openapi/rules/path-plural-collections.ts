import {
  isCollectionGet,
  isParameterSegment,
  isPluralWord,
  isVersionSegment,
  pluralize,
  routeSegments,
  words,
} from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/path-plural-collections',
  severity: 'warn',
  group: 'naming',
  summary: 'Collections are named in the plural (`/orders/{id}`, not `/order/{id}`)',
  meaning:
    'A collection and its items share one name: `/orders` lists, `/orders/{id}` is one order. Mixing singular and plural (`/order/{id}` beside `/customers`) makes every URL a lookup. The rule checks segments followed by an item parameter and the last segment of list operations; uncountable words (`inventory`, `health`, `metadata`) and `me`-style aliases are accepted.',
  help: 'Use the plural noun for the collection segment.',
  check({ api, report }) {
    const reported = new Set<string>();
    const deref = (value: unknown) => api.deref(value, []).value;
    for (const operation of api.operations) {
      const segments = routeSegments(operation.route);
      const listed = isCollectionGet(operation, deref) ? segments.length - 1 : -1;
      segments.forEach((segment, index) => {
        // Dotted RPC names and query strings are other rules' findings (path-no-verbs, Spectral).
        if (isParameterSegment(segment) || isVersionSegment(segment) || /[.?]/.test(segment)) return;
        const next = segments[index + 1];
        const namesCollection = (next !== undefined && isParameterSegment(next)) || index === listed;
        if (!namesCollection) return;
        const last = words(segment).pop();
        if (last === undefined || isPluralWord(last)) return;
        const prefix = `/${segments.slice(0, index + 1).join('/')}`;
        if (reported.has(prefix)) return;
        reported.add(prefix);
        const plural = segment.replace(new RegExp(`${last}$`, 'i'), pluralize(last));
        report({
          path: ['paths', operation.route],
          message: `Collection segment "${segment}" in ${operation.route} is singular`,
          fix: { description: `rename it to "${plural}"`, replacement: plural },
        });
      });
    }
  },
});
