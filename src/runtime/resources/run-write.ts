/**
 * How every write route runs its work: in a transaction when it needs one or when an
 * Idempotency-Key makes the key part of the work, otherwise as its single statement; either way
 * run again on serialization failures and deadlocks. Database errors leave here translated.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ArchitectError } from '../../errors.js';
import { type Queryable, retryOnConflict, translateDatabaseError, withRetry } from '../db/index.js';
import { checkKey, claimKey, type IdempotentRequest, storeResponse } from '../idempotency/index.js';
import { actorOf, driverOf, type ResourceContext } from './context.js';

/** What a route answers: status, headers and a body (serialized by the route's schema). */
export interface Outcome {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export function toApiError(error: unknown, context: ResourceContext): ArchitectError {
  return error instanceof ArchitectError ? error : translateDatabaseError(error, context.model);
}

function idempotentRequest(request: FastifyRequest): IdempotentRequest | undefined {
  if (request.method !== 'POST') return undefined;
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  const text = Array.isArray(key) ? key.join(',') : key;
  checkKey(text);
  return {
    key: text,
    principal: actorOf(request),
    method: request.method,
    path: request.url,
    body: request.body,
  };
}

/**
 * Run `work` and send its outcome. `transaction: false` lets a single-statement write skip
 * BEGIN/COMMIT when no Idempotency-Key asks for one.
 */
export async function runWrite(
  context: ResourceContext,
  request: FastifyRequest,
  reply: FastifyReply,
  work: (db: Queryable) => Promise<Outcome>,
  options: { readonly transaction: boolean },
): Promise<FastifyReply> {
  const idempotent = idempotentRequest(request);
  const driver = driverOf(context, request);
  let outcome: Outcome;
  let replayed:
    | { status: number; headers: Readonly<Record<string, string>>; body: string | null }
    | undefined;
  try {
    if (idempotent) {
      const ttl = context.model.api.idempotencyTtlSeconds;
      outcome = await withRetry(driver, async (tx) => {
        replayed = await claimKey(tx, idempotent, ttl);
        if (replayed) return { status: replayed.status };
        const result = await work(tx);
        await storeResponse(tx, idempotent, {
          status: result.status,
          headers: { ...result.headers },
          body: result.body === undefined ? null : JSON.stringify(result.body),
        });
        return result;
      });
    } else if (options.transaction) {
      outcome = await withRetry(driver, work);
    } else {
      // one autocommit statement: a serialization failure or deadlock rolled it back whole
      outcome = await retryOnConflict(() => work(driver));
    }
  } catch (error) {
    throw toApiError(error, context);
  }
  if (replayed) {
    reply.code(replayed.status).headers({ ...replayed.headers, 'idempotent-replayed': 'true' });
    if (replayed.body === null) return reply.send();
    return reply
      .type('application/json; charset=utf-8')
      .serializer((payload) => payload as string)
      .send(replayed.body);
  }
  reply.code(outcome.status);
  if (outcome.headers) reply.headers(outcome.headers);
  return reply.send(outcome.body);
}
