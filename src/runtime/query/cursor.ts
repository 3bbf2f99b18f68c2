/**
 * Opaque keyset cursors: base64url JSON of the sort they belong to and the sort values of the last
 * row of the page. A cursor presented with another sort is refused (its values would mean
 * something else).
 */
import { ArchitectError } from '../../errors.js';

interface CursorBody {
  /** The sort text the cursor was made for. */
  readonly s: string;
  /** The values of the sort columns on the last row returned (the key last, when the sort has it). */
  readonly v: unknown[];
}

export function encodeCursor(sortText: string, values: readonly unknown[]): string {
  return Buffer.from(
    JSON.stringify({ s: sortText, v: values } satisfies { s: string; v: readonly unknown[] }),
  ).toString('base64url');
}

export function decodeCursor(cursor: string, sortText: string, expectedLength: number): unknown[] {
  let body: CursorBody | undefined;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorBody;
  } catch {
    body = undefined;
  }
  if (
    !body ||
    typeof body !== 'object' ||
    typeof body.s !== 'string' ||
    !Array.isArray(body.v) ||
    // longer: issued while the sort still carried the key after a unique field (see parseSort)
    body.v.length < expectedLength ||
    body.v.some((value) => typeof value === 'object' && value !== null)
  ) {
    throw new ArchitectError('MALFORMED_REQUEST', { detail: 'cursor is not a cursor this API issued' });
  }
  if (body.s !== sortText) {
    throw new ArchitectError('MALFORMED_REQUEST', {
      detail: `cursor was issued for sort=${body.s || '(default)'}; repeat that sort or start without a cursor`,
    });
  }
  return body.v.slice(0, expectedLength);
}
