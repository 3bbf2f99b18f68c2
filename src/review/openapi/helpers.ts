/**
 * Small shared judgements the rules make about routes, names and responses. Each is a heuristic
 * with a documented boundary; rules cite them so the same question gets the same answer.
 */
import { isObject, type Json, type Located, type OperationView, type ResponseView } from './api-view.js';

/** `/v1`, `/v2.1`, `/{version}` and `/api` style prefixes are not resources. */
export function isVersionSegment(segment: string): boolean {
  return /^v\d+(\.\d+)*$/i.test(segment) || /^\{(api[-_]?)?version\}$/i.test(segment);
}

export function isParameterSegment(segment: string): boolean {
  return /^\{[^}]+\}$/.test(segment);
}

/** Route segments without empty parts; `/users/{id}` → `['users', '{id}']`. */
export function routeSegments(route: string): string[] {
  return route.split('/').filter((segment) => segment !== '');
}

/** The route ends in a path parameter: it names one item. */
export function isItemRoute(route: string): boolean {
  const segments = routeSegments(route);
  const last = segments[segments.length - 1];
  return last !== undefined && isParameterSegment(last);
}

/**
 * An action sub-resource: a static last segment that only accepts POST, right after an item
 * (`/orders/{id}/cancel`) or a collection (`/orders/bulk`). Actions are the accepted way to put a
 * verb in a URL.
 */
export function isActionRoute(operation: OperationView): boolean {
  const segments = routeSegments(operation.route);
  const last = segments[segments.length - 1];
  if (last === undefined || isParameterSegment(last) || segments.length < 2) return false;
  return operation.siblingMethods.every((method) => method === 'post');
}

/** A POST that creates a member of the collection its route names (not an action). */
export function isCreateOperation(operation: OperationView): boolean {
  if (operation.method !== 'post' || isItemRoute(operation.route) || isActionRoute(operation)) return false;
  const segments = routeSegments(operation.route);
  const last = segments[segments.length - 1];
  if (last === undefined || isVersionSegment(last)) return false;
  // A collection that can also be listed, or a POST answering 201: both say "create".
  return operation.siblingMethods.includes('get') || hasResponse(operation, '201');
}

const COLLECTION_KEYS =
  /^(data|items|results|records|entries|values|list|elements|content|objects|hits|edges|nodes|rows|collection|resources)$/i;
const PAGING_KEYS =
  /^(next|next_?(cursor|page|page_?token|token|link|url)|cursor|cursors|page|page_?info|paging|pagination|total|total_?(count|results|items)|count|has_?more|offset|limit|links|_links|response_?metadata|continuation_?token|meta)$/i;

/** Whether a success body is a list: a bare array, or an object wrapping one as its payload. */
export function collectionPayload(
  operation: OperationView,
  deref: (value: unknown) => unknown,
): 'array' | 'wrapped' | undefined {
  const success = operation.responses.find((response) => response.status === '200');
  const media = success?.content.find((item) => isJsonMedia(item.type)) ?? success?.content[0];
  const schema = media?.schema?.value;
  if (!schema) return undefined;
  if (schemaType(schema) === 'array') {
    // A list of flags (`/me/tracks/contains?ids=...`) answers per input, it is not a collection.
    const items = deref(schema.items);
    return isObject(items) && schemaType(items) === 'boolean' ? undefined : 'array';
  }
  const properties = isObject(schema.properties) ? schema.properties : {};
  const arrays = Object.entries(properties).filter(([, property]) => {
    const resolved = deref(property);
    return isObject(resolved) && schemaType(resolved) === 'array';
  });
  if (arrays.length === 0) return undefined;
  // An object with an array inside is a page only if the array is its payload (`data`, `items`)
  // or it carries page metadata; a user with a list of roles is not a collection.
  const isPayload = arrays.some(([name]) => COLLECTION_KEYS.test(name));
  const hasPaging = Object.keys(properties).some((name) => PAGING_KEYS.test(name));
  return isPayload || hasPaging ? 'wrapped' : undefined;
}

/** A GET on a static route whose success body is a list (or wraps one). */
export function isCollectionGet(operation: OperationView, deref: (value: unknown) => unknown): boolean {
  if (operation.method !== 'get' || isItemRoute(operation.route)) return false;
  return collectionPayload(operation, deref) !== undefined;
}

export function schemaType(schema: Json): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type)) return schema.type.find((type) => type !== 'null');
  if (isObject(schema.items)) return 'array';
  if (isObject(schema.properties)) return 'object';
  return undefined;
}

export function isJsonMedia(type: string): boolean {
  return /^application\/([\w.+-]+\+)?json\b/i.test(type) || type === '*/*';
}

export function hasResponse(operation: OperationView, status: string): boolean {
  return findResponse(operation, status) !== undefined;
}

/** The response for a status, counting `4XX`-style ranges as covering their codes. */
export function findResponse(operation: OperationView, status: string): ResponseView | undefined {
  return (
    operation.responses.find((response) => response.status === status) ??
    operation.responses.find((response) => response.status.toUpperCase() === `${status[0]}XX`)
  );
}

export function successResponses(operation: OperationView): ResponseView[] {
  return operation.responses.filter((response) => /^2/.test(response.status));
}

export function headerParameter(operation: OperationView, name: string) {
  return operation.parameters.find(
    (parameter) => parameter.in === 'header' && parameter.name.toLowerCase() === name,
  );
}

export function isSecured(operation: OperationView): boolean {
  return (operation.security ?? []).some((requirement) => Object.keys(requirement).length > 0);
}

export function pathOf(located: Located<unknown>): readonly (string | number)[] {
  return located.path;
}

// ── Words and casing ─────────────────────────────────────────────────────────────────────────

export type Casing = 'camel' | 'snake' | 'kebab' | 'pascal' | 'upper-snake' | 'lower' | 'other';

/** The casing a name is written in; single lower-case words are `lower` (fit any convention). */
export function casingOf(name: string): Casing {
  if (/^[a-z][a-z0-9]*$/.test(name)) return 'lower';
  if (/^[a-z][a-z0-9]*([A-Z][a-z0-9]*)+$/.test(name)) return 'camel';
  if (/^[A-Z][a-z0-9]*([A-Z][a-z0-9]*)*$/.test(name)) return 'pascal';
  if (/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(name)) return 'snake';
  if (/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(name)) return 'kebab';
  if (/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(name)) return 'upper-snake';
  return 'other';
}

/** Split any identifier into lower-case words: `getUserById`, `get_user`, `chat.postMessage`. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
}

/** The dominant casing among names, ignoring single words; undefined when there is none. */
export function dominantCasing(names: Iterable<string>): Casing | undefined {
  const counts = new Map<Casing, number>();
  for (const name of names) {
    const casing = casingOf(name);
    if (casing === 'lower') continue;
    counts.set(casing, (counts.get(casing) ?? 0) + 1);
  }
  let best: [Casing, number] | undefined;
  for (const entry of counts) if (!best || entry[1] > best[1]) best = entry;
  return best?.[0];
}

const UNCOUNTABLE = new Set([
  'data',
  'metadata',
  'info',
  'information',
  'health',
  'status',
  'auth',
  'search',
  'me',
  'self',
  'settings',
  'config',
  'configuration',
  'media',
  'news',
  'series',
  'species',
  'equipment',
  'feedback',
  'inventory',
  'software',
  'hardware',
  'analytics',
  'metrics',
  'stats',
  'statistics',
  'billing',
  'access',
  'history',
  'audit',
  'usage',
  'login',
  'logout',
  'oauth',
  'oauth2',
  'graphql',
  'openapi',
  'docs',
  'staff',
  'stock',
  'money',
  'traffic',
  'content',
  'storage',
  'management',
  'admin',
  'security',
  'compliance',
  'ready',
  'live',
  'bulk',
  'batch',
  'public',
  'internal',
  'latest',
  'current',
  'sync',
  'export',
  'import',
]);
const IRREGULAR_PLURALS = new Set([
  'people',
  'children',
  'men',
  'women',
  'criteria',
  'feet',
  'teeth',
  'mice',
  'geese',
  'indices',
  'matrices',
  'vertices',
  'analyses',
  'aliases',
  'statuses',
  'addresses',
  'businesses',
  'processes',
  'classes',
]);

/**
 * Whether a path word reads as a plural collection name. English plurals end in `s` except a
 * small irregular set; `ss`, `us` and `is` endings are singular (`address`, `status`, `analysis`).
 */
export function isPluralWord(word: string): boolean {
  const lower = word.toLowerCase();
  if (UNCOUNTABLE.has(lower) || IRREGULAR_PLURALS.has(lower)) return true;
  if (/\d$/.test(lower)) return true;
  return /[^su]s$/.test(lower) || /(ses|xes|zes|ches|shes|ies)$/.test(lower);
}

/** A naive singular → plural for suggestions. */
export function pluralize(word: string): string {
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

export function get(value: Json, key: string): Json | undefined {
  const child = value[key];
  return isObject(child) ? child : undefined;
}

/** `GET /users/{id}`, as messages name an operation. */
export function label(operation: OperationView): string {
  return `${operation.method.toUpperCase()} ${operation.route}`;
}

/** Authentication is required: every alternative names a scheme (no `{}` "anonymous" entry). */
export function requiresAuthentication(operation: OperationView): boolean {
  const security = operation.security ?? [];
  return security.length > 0 && security.every((requirement) => Object.keys(requirement).length > 0);
}

/** Routes that belong to the deployment rather than to the API's resources. */
export function isOperationalRoute(route: string): boolean {
  return /^\/(health|healthz|ready|readyz|live|livez|ping|status|metrics|openapi(\.(json|ya?ml))?|docs|\.well-known)(\/|$)/i.test(
    route,
  );
}
