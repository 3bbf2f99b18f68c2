/**
 * A deadline per request: when the handler has not answered in time the client gets 503
 * `TIMEOUT` (and can retry) instead of waiting on a stuck request. The handler's work is not
 * cancelled; its late answer is dropped. Database statements have their own limit on the server
 * (`statement_timeout`).
 *
 * Every request gets the same allowance, so deadlines fall in arrival order: the replies in
 * flight are kept in a Map (insertion order = deadline order) and one unref'd timer is armed for
 * the oldest. A request costs a Map insert and delete, never a timer or a listener of its own:
 * when the timer fires it answers the requests past their deadline and re-arms for the next one.
 * A client that goes away before its answer leaves its entry until that deadline, when it is
 * dropped without an answer.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { ArchitectError } from '../../errors.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export const timeoutPlugin = fp(
  async (app: FastifyInstance, options: { timeoutMs?: number }) => {
    const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    if (timeoutMs <= 0) return;
    const inFlight = new Map<FastifyReply, number>();
    let timer: NodeJS.Timeout | null = null;
    const arm = (ms: number) => {
      timer = setTimeout(expire, Math.max(1, Math.ceil(ms)));
      // The timer only guards requests in flight: it never keeps an idle process alive.
      timer.unref();
    };
    function expire() {
      timer = null;
      const now = performance.now();
      for (const [reply, deadline] of inFlight) {
        if (deadline > now) {
          arm(deadline - now);
          return;
        }
        inFlight.delete(reply);
        if (!reply.sent && !reply.raw.destroyed) reply.send(new ArchitectError('TIMEOUT', { ms: timeoutMs }));
      }
    }
    app.addHook('onRequest', (_request, reply, done) => {
      inFlight.set(reply, performance.now() + timeoutMs);
      if (!timer) arm(timeoutMs);
      done();
    });
    app.addHook('onResponse', (_request, reply, done) => {
      inFlight.delete(reply);
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
