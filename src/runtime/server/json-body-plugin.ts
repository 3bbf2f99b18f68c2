/**
 * JSON bodies: Fastify's parser (prototype-poisoning safe) for `application/json` and
 * `application/merge-patch+json` (PATCH), plus a nesting limit so a deeply nested body is refused
 * before any handler or validator recurses through it. Nothing else is parsed: Fastify's own
 * `text/plain` parser is removed, so such a body is 415 `UNSUPPORTED_MEDIA_TYPE` as the OpenAPI
 * document says (every body is JSON), not a string that fails validation as "must be object".
 * A string holding U+0000, which PostgreSQL cannot store, is refused naming its field.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ArchitectError } from '../../errors.js';

/** Bodies nested deeper than this are refused (blueprint documents need a handful of levels). */
export const DEFAULT_MAX_JSON_DEPTH = 32;

/** The nesting depth of a parsed JSON value, stopping as soon as it exceeds `limit`. */
export function exceedsDepth(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > limit) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}

/** What a string may not hold: PostgreSQL's text and jsonb cannot store U+0000. */
const NUL_MESSAGE = 'must not contain the NUL character (\\u0000): PostgreSQL text cannot hold it';

/**
 * The fields (`items.3.sku`, or `` for the body itself) whose string value or property name
 * holds U+0000, in document order.
 */
function nulFields(value: unknown, path: readonly string[] = []): string[] {
  if (typeof value === 'string') return value.includes('\0') ? [path.join('.')] : [];
  if (value === null || typeof value !== 'object') return [];
  const found: string[] = [];
  const entries = Array.isArray(value)
    ? value.map((item, index) => [String(index), item])
    : Object.entries(value);
  for (const [key, child] of entries) {
    if (key.includes('\0')) found.push([...path, key].join('.'));
    else found.push(...nulFields(child, [...path, key]));
  }
  return found;
}

export const jsonBodyPlugin = fp(
  async (app: FastifyInstance, options: { maxDepth?: number }) => {
    const maxDepth = options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
    const parse = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser(['application/json', 'text/plain']);
    app.addContentTypeParser(
      ['application/json', 'application/merge-patch+json'],
      { parseAs: 'string' },
      (request, body, done) => {
        parse(request, body as string, (error, value) => {
          if (error) return done(error, undefined);
          if (exceedsDepth(value, maxDepth)) {
            return done(
              new ArchitectError('MALFORMED_REQUEST', {
                detail: `The JSON body is nested deeper than ${maxDepth} levels`,
              }),
              undefined,
            );
          }
          // A NUL can only come as the escape `\u0000` (raw control characters are not JSON), so
          // a body without that text needs no walk; one with it is refused naming each field,
          // instead of failing in the database as a value it cannot store.
          const nul = (body as string).includes('\\u0000') ? nulFields(value) : [];
          if (nul.length > 0) {
            return done(
              new ArchitectError(
                'VALIDATION_FAILED',
                {},
                { details: nul.map((field) => ({ field, code: 'nul', message: NUL_MESSAGE })) },
              ),
              undefined,
            );
          }
          done(null, value);
        });
      },
    );
  },
  { name: 'architect-json-body', fastify: '5.x' },
);
