/**
 * The one error handler and the 404 handler: every failure leaves as the catalog envelope with
 * its status and headers (`Retry-After`); 5xx causes are logged with the request id and never
 * sent.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Model } from '../../blueprint/model.js';
import { ArchitectError } from '../../errors.js';
import { errorEnvelope, toArchitectError } from './api-error.js';

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
    app.setNotFoundHandler((request, reply) =>
      send(
        reply,
        request,
        new ArchitectError('NOT_FOUND', { resource: `Route ${request.method} ${request.url.split('?')[0]}` }),
      ),
    );
  },
  { name: 'architect-errors', fastify: '5.x' },
);
