/**
 * A deadline per request: when the handler has not answered in time the client gets 503
 * `TIMEOUT` (and can retry) instead of waiting on a stuck request. The handler's work is not
 * cancelled; its late answer is dropped. Database statements have their own limit on the server
 * (`statement_timeout`).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ArchitectError } from '../../errors.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

declare module 'fastify' {
  interface FastifyRequest {
    /** The pending deadline timer (internal to the timeout plugin). */
    deadline: NodeJS.Timeout | null;
  }
}

export const timeoutPlugin = fp(
  async (app: FastifyInstance, options: { timeoutMs?: number }) => {
    const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    if (timeoutMs <= 0) return;
    app.decorateRequest('deadline', null);
    app.addHook('onRequest', (request, reply, done) => {
      request.deadline = setTimeout(() => {
        request.deadline = null;
        if (!reply.sent) reply.send(new ArchitectError('TIMEOUT', { ms: timeoutMs }));
      }, timeoutMs);
      done();
    });
    const clear = (request: { deadline: NodeJS.Timeout | null }) => {
      if (request.deadline) clearTimeout(request.deadline);
      request.deadline = null;
    };
    app.addHook('onResponse', (request, _reply, done) => {
      clear(request);
      done();
    });
    app.addHook('onRequestAbort', (request, done) => {
      clear(request);
      done();
    });
  },
  { name: 'architect-timeout', fastify: '5.x' },
);
