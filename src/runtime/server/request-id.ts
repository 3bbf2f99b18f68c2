/**
 * Request ids: a caller's `X-Request-Id` is kept when it is well formed (so a trace crosses
 * services), otherwise one is generated. Generated ids are UUID v7, time-ordered like the keys,
 * so logs sorted by id read in arrival order.
 */
import { randomFillSync } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Printable, header- and log-safe, at most 128 characters: UUIDs, ULIDs, trace ids. */
const WELL_FORMED = /^[A-Za-z0-9][A-Za-z0-9._:+=/-]{0,127}$/;

export function isWellFormedRequestId(value: unknown): value is string {
  return typeof value === 'string' && WELL_FORMED.test(value);
}

/**
 * Random bytes are drawn from a pool filled 4 KiB at a time (as `crypto.randomUUID` does): one
 * system call per 409 ids instead of one per request.
 */
const POOL = Buffer.alloc(4096);
const RANDOM_BYTES = 10;
let poolOffset = POOL.length;

/** RFC 9562 UUID version 7: 48 bits of Unix milliseconds, then random bits. */
export function createRequestId(now: number = Date.now()): string {
  if (poolOffset + RANDOM_BYTES > POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  const bytes = Buffer.allocUnsafe(16);
  bytes.writeUIntBE(now, 0, 6);
  POOL.copy(bytes, 6, poolOffset, poolOffset + RANDOM_BYTES);
  poolOffset += RANDOM_BYTES;
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Fastify's `genReqId`: the caller's id when well formed, else a new one. */
export function requestIdFor(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return isWellFormedRequestId(given) ? given : createRequestId();
}
