/**
 * The three functions every schema shares: UUID v7 keys, the row "touch" on update, and the
 * refusal behind append-only tables. They need no extension, so the same text runs on
 * PostgreSQL 15+ and on PGlite.
 */
import { UUID_V7_FUNCTION } from '../../blueprint/normalize.js';
import { quoteLiteral } from '../../sql/identifiers.js';
import type { SchemaStatement } from './statements.js';

/**
 * Trigger function run BEFORE UPDATE on every writable entity table: it sets
 * `updated_at = now()` and `version = OLD.version + 1`, whatever the UPDATE itself set.
 *
 * Contract for the runtime: never compute the next version. Update with
 * `... WHERE id = $1 AND version = $expected RETURNING version` and read the new version back;
 * a `SET version = version + 1` in the statement is harmless (the trigger overwrites it), so the
 * version never moves by two.
 */
export const TOUCH_FUNCTION = 'architect_touch';

/** Trigger function that refuses UPDATE, DELETE and TRUNCATE on append-only tables. */
export const APPEND_ONLY_FUNCTION = 'architect_refuse_change';

/**
 * SQLSTATE raised when a change to an append-only table is refused: `RA001`, a code of our own
 * in an implementation-defined class (SQLSTATE classes starting with I-Z are free for that), so
 * nothing else raises it. Not 23001 `restrict_violation`: PostgreSQL 18 raises that for
 * ON DELETE RESTRICT foreign keys (15-17 raise 23503). The error's constraint field is the
 * trigger name (`<table>_append_only`), its table field the table; the runtime answers 405.
 */
export const APPEND_ONLY_SQLSTATE = 'RA001';

/**
 * RFC 9562 UUID version 7: 48 bits of Unix milliseconds, then the version nibble, then 12 bits
 * of sub-millisecond fraction (the RFC's "method 3"), then the variant and 62 random bits taken
 * from gen_random_uuid() (core since PostgreSQL 13). Keys of one session always increase: when
 * the clock has not moved past the session's previous key (PGlite's clock_timestamp() counts
 * milliseconds; a server's counts microseconds), the key is that one plus one in the fraction,
 * carrying into the milliseconds as the RFC allows. So keys sort in creation order within a
 * connection, and across connections at the clock's resolution.
 */
const uuidV7 = `CREATE OR REPLACE FUNCTION ${UUID_V7_FUNCTION}() RETURNS uuid
LANGUAGE plpgsql VOLATILE AS $function$
DECLARE
  micros bigint := floor(extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
  -- the milliseconds and the 12-bit fraction as one number
  stamp bigint := (micros / 1000) * 4096 + (micros % 1000) * 4096 / 1000;
  previous bigint := coalesce(nullif(current_setting('${UUID_V7_FUNCTION}.stamp', true), ''), '0')::bigint;
  bytes bytea := uuid_send(gen_random_uuid());
BEGIN
  IF stamp <= previous THEN
    stamp := previous + 1;
  END IF;
  PERFORM set_config('${UUID_V7_FUNCTION}.stamp', stamp::text, false);
  -- bytes 0-5: Unix time in milliseconds, big-endian
  bytes := overlay(bytes PLACING substring(int8send(stamp >> 12) FROM 3) FROM 1 FOR 6);
  -- byte 6: version 7 in the high nibble, then the top 4 bits of the fraction; byte 7: the rest
  bytes := set_byte(bytes, 6, 112 | ((stamp >> 8) & 15)::integer);
  bytes := set_byte(bytes, 7, (stamp & 255)::integer);
  -- byte 8 keeps gen_random_uuid()'s RFC variant bits (10xx)
  RETURN encode(bytes, 'hex')::uuid;
END
$function$;`;

const touch = `CREATE OR REPLACE FUNCTION ${TOUCH_FUNCTION}() RETURNS trigger
LANGUAGE plpgsql AS $function$
BEGIN
  NEW.updated_at := now();
  NEW.version := OLD.version + 1;
  RETURN NEW;
END
$function$;`;

const refuse = `CREATE OR REPLACE FUNCTION ${APPEND_ONLY_FUNCTION}() RETURNS trigger
LANGUAGE plpgsql AS $function$
BEGIN
  RAISE EXCEPTION '% on % is not allowed: the table is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = '${APPEND_ONLY_SQLSTATE}',
          CONSTRAINT = TG_NAME,
          TABLE = TG_TABLE_NAME,
          SCHEMA = TG_TABLE_SCHEMA,
          HINT = 'Record a new row that compensates instead of changing or removing one.';
END
$function$;`;

const FUNCTIONS: readonly { name: string; sql: string; comment: string }[] = [
  {
    name: UUID_V7_FUNCTION,
    sql: uuidV7,
    comment: 'RFC 9562 UUID v7 (time-ordered) for primary keys.',
  },
  {
    name: TOUCH_FUNCTION,
    sql: touch,
    comment: 'BEFORE UPDATE trigger: sets updated_at = now() and version = OLD.version + 1.',
  },
  {
    name: APPEND_ONLY_FUNCTION,
    sql: refuse,
    comment: `Refuses changes to append-only tables with SQLSTATE ${APPEND_ONLY_SQLSTATE}.`,
  },
];

/** The shared functions, each followed by its comment. */
export function functionStatements(): SchemaStatement[] {
  return FUNCTIONS.flatMap((fn) => [
    { kind: 'function', name: fn.name, sql: fn.sql },
    {
      kind: 'comment',
      name: `${fn.name}()`,
      sql: `COMMENT ON FUNCTION ${fn.name}() IS ${quoteLiteral(fn.comment)};`,
    },
  ]);
}
