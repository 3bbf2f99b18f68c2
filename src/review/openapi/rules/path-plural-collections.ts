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

/** Representation suffixes: `/containers/json` is a format, not a collection. */
const FORMAT_SEGMENTS = new Set(['json', 'xml', 'csv', 'yaml', 'yml', 'txt', 'html', 'pdf']);
/** Last words that make a segment a lookup or a grouping (`id_for`, `by-category`). */
const PREPOSITIONS = new Set(['for', 'by', 'of', 'from', 'to', 'in', 'per']);

/**
 * Segments that do not name a collection: format suffixes, groupings (`bycategory`,
 * `by_region`), lookups ending in a preposition, and codes with digits (`Usa2p`).
 */
function namesNoCollection(segment: string): boolean {
  const lower = segment.toLowerCase();
  if (FORMAT_SEGMENTS.has(lower) || /\d/.test(segment)) return true;
  if (/^by[-_]./.test(lower) || /^by(?!te)[a-z]{4,}$/.test(segment)) return true;
  const last = words(segment).pop();
  return last !== undefined && PREPOSITIONS.has(last);
}

export default defineRule({
  id: 'architect/path-plural-collections',
  severity: 'warn',
  group: 'naming',
  summary: 'Collections are named in the plural (`/orders/{id}`, not `/order/{id}`)',
  meaning:
    'A collection and its items share one name: `/orders` lists, `/orders/{id}` is one order. Mixing singular and plural (`/order/{id}` beside `/customers`) makes every URL a lookup. The rule checks segments followed by an item parameter and the last segment of list operations; uncountable words (`inventory`, `health`, `metadata`) and `me`-style aliases are accepted, and so are segments that name no collection: format suffixes (`/containers/json`), groupings (`/usage/bycategory`), lookups ending in a preposition (`/user/id_for/{name}`) and codes with digits.',
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
        if (namesNoCollection(segment)) return;
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
