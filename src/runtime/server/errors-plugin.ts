/**
 * The one error handler and the handler of requests no route takes: every failure leaves as the
 * catalog envelope with its status and headers (`Retry-After`, `Allow`); 5xx causes are logged
 * with the request id and never sent.
 *
 * A request no route takes is 405 `METHOD_NOT_ALLOWED` when its path is served with other
 * methods, with the `Allow` header that RFC 9110 (15.5.6) requires listing them (PUT on a
 * collection, PATCH on an append-only ledger row, POST on a read-only resource, GET on a
 * transition), and 404 `NOT_FOUND` when no method serves it. The paths are matched by a router of
 * their own (find-my-way, Fastify's router, with the app's trailing-slash rule) holding every
 * route the app registers after this plugin; it is consulted only on that miss.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import FindMyWay from 'find-my-way';
import type { Model } from '../../blueprint/model.js';
import { ArchitectError } from '../../errors.js';
import { errorEnvelope, toArchitectError } from './api-error.js';

/** The methods an `Allow` header may name, in the order it names them. */
const ALLOW_ORDER: readonly FindMyWay.HTTPMethod[] = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
];

function noop(): void {}

function send(reply: FastifyReply, request: FastifyRequest, error: ArchitectError) {
  if (error.headers) reply.headers(error.headers);
  return reply
    .code(error.status)
    .type('application/json; charset=utf-8')
    .send(errorEnvelope(error, String(request.id)));
}

export const errorsPlugin = fp(
  async (app: FastifyInstance, options: { model: Model }) => {
    app.setErrorHandler((error, request, reply) => {
      const translated = toArchitectError(error, options.model, request);
      if (translated.status >= 500) {
        request.log.error({ err: translated.cause ?? error, code: translated.code }, 'request failed');
      } else {
        request.log.info({ code: translated.code, status: translated.status }, translated.message);
      }
      return send(reply, request, translated);
    });
    const routes = FindMyWay({ ignoreTrailingSlash: true });
    app.addHook('onRoute', (route) => {
      // A catch-all (CORS preflight's `OPTIONS *`) says nothing about which paths exist.
      if (route.url === '*' || route.url === '/*') return;
      const methods: readonly string[] = [route.method].flat();
      for (const method of ALLOW_ORDER) {
        if (methods.includes(method) && !routes.hasRoute(method, route.url))
          routes.on(method, route.url, noop);
      }
    });
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0]!;
      const allowed = ALLOW_ORDER.filter(
        (method) =>
          routes.find(method, path) !== null || (method === 'HEAD' && routes.find('GET', path) !== null),
      );
      const error =
        allowed.length > 0
          ? new ArchitectError(
              'METHOD_NOT_ALLOWED',
              { method: request.method, resource: path },
              { headers: { allow: allowed.join(', ') } },
            )
          : new ArchitectError('NOT_FOUND', { resource: `Route ${request.method} ${path}` });
      return send(reply, request, error);
    });
  },
  { name: 'architect-errors', fastify: '5.x' },
);
