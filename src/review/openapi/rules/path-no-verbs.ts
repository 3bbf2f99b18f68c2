import { isParameterSegment, isVersionSegment, routeSegments, words } from '../helpers.js';
import { defineRule } from '../rule.js';

/**
 * Verbs that restate an HTTP method: always wrong as the first word of a segment. Words that are
 * as often nouns or adjectives (`post`, `read`, `set`, `query`: `/read-receipts`) are left out.
 */
const CRUD_VERBS = new Set([
  'get',
  'list',
  'create',
  'add',
  'update',
  'modify',
  'edit',
  'delete',
  'remove',
  'destroy',
  'fetch',
  'retrieve',
  'put',
  'patch',
  'insert',
  'save',
  'do',
  'execute',
  'perform',
  'make',
]);
/** Verbs that name an action sub-resource: fine as the last segment of a POST-only route. */
const ACTION_VERBS = new Set([
  'approve',
  'reject',
  'cancel',
  'submit',
  'confirm',
  'archive',
  'unarchive',
  'publish',
  'unpublish',
  'activate',
  'deactivate',
  'enable',
  'disable',
  'start',
  'stop',
  'restart',
  'pause',
  'resume',
  'close',
  'reopen',
  'lock',
  'unlock',
  'merge',
  'send',
  'refund',
  'capture',
  'pay',
  'verify',
  'validate',
  'assign',
  'unassign',
  'transfer',
  'reset',
  'rerun',
  'retry',
  'invite',
  'revoke',
  'renew',
  'rotate',
  'finalize',
  'receive',
  'ship',
  'upload',
]);
const FILE_EXTENSION = /\.(json|yaml|yml|xml|txt|html)$/;

export default defineRule({
  id: 'architect/path-no-verbs',
  severity: 'warn',
  group: 'naming',
  summary: 'Paths name resources, not operations; verbs only as POST action sub-resources',
  meaning:
    'The HTTP method is the verb. `/getUser/{id}` or `/users/{id}/delete` repeat it and stop caches, proxies and retries from understanding the request. RPC-style method paths (`/chat.postMessage`) give up HTTP semantics entirely. A state change that is not a CRUD operation is modelled as an action sub-resource: `POST /orders/{id}/cancel`.',
  help: 'Name the resource and let the method say what happens; model other actions as `POST /<collection>/{id}/<action>`.',
  check({ api, report }) {
    const reported = new Set<string>();
    for (const operation of api.operations) {
      if (reported.has(operation.route)) continue;
      const segments = routeSegments(operation.route);
      segments.forEach((segment, index) => {
        if (reported.has(operation.route) || isParameterSegment(segment) || isVersionSegment(segment)) return;
        const bare = segment.replace(FILE_EXTENSION, '');
        const parts = bare.split('.').filter((part) => part !== '');
        const next = segments[index + 1];
        // A verb-like word followed by an item parameter names a collection (`/list/{listId}`).
        const namesCollection = next !== undefined && isParameterSegment(next);
        const verb = namesCollection
          ? undefined
          : parts.map((part) => words(part)[0]).find((word) => word !== undefined && CRUD_VERBS.has(word));
        const isLast = index === segments.length - 1;
        // `chat.postMessage` is a method name; `info.0` (a file name) is not.
        const isRpcName = parts.length > 1 && parts.every((part) => /^[A-Za-z]/.test(part));
        let message: string | undefined;
        if (verb !== undefined) {
          message = `"${segment}" in ${operation.route} contains the verb "${verb}"; the HTTP method already says it`;
        } else if (isRpcName) {
          message = `"${segment}" in ${operation.route} is an RPC-style method name, not a resource`;
        } else if (
          isLast &&
          ACTION_VERBS.has(words(bare)[0] ?? '') &&
          // With a GET the word names something that can be read (`/containers/{id}/archive`).
          !operation.siblingMethods.includes('get') &&
          operation.siblingMethods.some((method) => method !== 'post')
        ) {
          message = `Action "${segment}" in ${operation.route} accepts ${operation.siblingMethods.map((m) => m.toUpperCase()).join(', ')}; actions take POST only`;
        }
        if (message) {
          reported.add(operation.route);
          report({ path: ['paths', operation.route], message });
        }
      });
    }
  },
});
