/**
 * A deadline per request: when the handler has not answered in time the client gets 503
 * `TIMEOUT` (and can retry) instead of waiting on a stuck request. The handler's work is not
 * cancelled; its late answer is dropped. Database statements have their own limit on the server
 * (`statement_timeout`).
 *
 * Every request gets the same allowance, so deadlines fall in arrival order: the requests in
 * flight are kept in a Set (insertion order = deadline order) and one timer is armed for the
 * oldest. A request costs a Set insert and delete instead of a timer of its own.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ArchitectError } from '../../errors.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

interface InFlight {
  readonly reply: FastifyReply;
  readonly deadline: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's entry among those in flight (internal to the timeout plugin). */
    deadline: unknown;
  }
}

export const timeoutPlugin = fp(
  async (app: FastifyInstance, options: { timeoutMs?: number }) => {
    const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    if (timeoutMs <= 0) return;
    const inFlight = new Set<InFlight>();
    let timer: NodeJS.Timeout | null = null;
    const expire = () => {
      timer = null;
      const now = performance.now();
      for (const entry of inFlight) {
        if (entry.deadline > now) {
          arm(entry.deadline - now);
          return;
        }
        inFlight.delete(entry);
        if (!entry.reply.sent) entry.reply.send(new ArchitectError('TIMEOUT', { ms: timeoutMs }));
      }
    };
    const arm = (ms: number) => {
      timer = setTimeout(expire, Math.max(1, Math.ceil(ms)));
    };
    app.decorateRequest('deadline', null);
    app.addHook('onRequest', (request, reply, done) => {
      const entry: InFlight = { reply, deadline: performance.now() + timeoutMs };
      inFlight.add(entry);
      request.deadline = entry;
      if (!timer) arm(timeoutMs);
      done();
    });
    const clear = (request: FastifyRequest) => {
      if (request.deadline) inFlight.delete(request.deadline as InFlight);
      request.deadline = null;
      // Nothing left to watch: no timer keeps the process awake.
      if (inFlight.size === 0 && timer) {
        clearTimeout(timer);
        timer = null;
      }
    };
    app.addHook('onResponse', (request, _reply, done) => {
      clear(request);
      done();
    });
    app.addHook('onRequestAbort', (request, done) => {
      clear(request);
      done();
    });
    app.addHook('onClose', async () => {
      if (timer) clearTimeout(timer);
      timer = null;
      inFlight.clear();
    });
  },
  { name: 'architect-timeout', fastify: '5.x' },
);
