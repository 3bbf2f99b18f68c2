/**
 * Prepared statements for PGlite. `PGlite.query()` runs every statement unnamed, in six calls
 * into the WASM backend (Parse, Describe, Bind, Describe, Execute, Sync), so PostgreSQL parses,
 * analyzes and plans it each time. Here each statement text is parsed and described once, under
 * a name, and each run after that is one call: Bind, Execute, Sync, with the row layout known.
 * The plan is cached as for any prepared statement (custom plans first, then the generic one
 * where it is no worse), and PostgreSQL re-plans it by itself after DDL on what it reads.
 *
 * The messages are PostgreSQL's frontend/backend protocol, version 3. Values go and come in
 * text format, through the same serializers and parsers by type OID that `PGlite.query()` uses.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { QueryResult } from './driver.js';

/** Statements kept prepared; beyond this the least recently used one is closed. */
const MAX_STATEMENTS = 500;

/**
 * The statement PostgreSQL no longer has (26000: closed by a DISCARD or DEALLOCATE), or whose
 * rows changed shape under DDL (0A000): prepared again, once.
 */
function needsPreparing(error: ReadonlyMap<string, string> | undefined): boolean {
  const code = error?.get('C');
  return (
    code === '26000' ||
    (code === '0A000' && /cached plan must not change result type/.test(error?.get('M') ?? ''))
  );
}

interface Prepared {
  readonly name: string;
  /** Parameter type OIDs, in order. */
  readonly parameterTypes: readonly number[];
  /** The result columns: name and type OID, in order (empty when the statement returns none). */
  readonly columns: readonly { readonly name: string; readonly type: number }[];
}

/** A PostgreSQL ErrorResponse, with the fields `readDatabaseError` reads. */
export class PgliteStatementError extends Error {
  readonly severity?: string;
  readonly code?: string;
  readonly detail?: string;
  readonly hint?: string;
  readonly position?: string;
  readonly schema?: string;
  readonly table?: string;
  readonly column?: string;
  readonly dataType?: string;
  readonly constraint?: string;

  constructor(
    fields: ReadonlyMap<string, string>,
    readonly query: string,
  ) {
    super(fields.get('M') ?? 'database error');
    this.name = 'DatabaseError';
    this.severity = fields.get('V') ?? fields.get('S');
    this.code = fields.get('C');
    this.detail = fields.get('D');
    this.hint = fields.get('H');
    this.position = fields.get('P');
    this.schema = fields.get('s');
    this.table = fields.get('t');
    this.column = fields.get('c');
    this.dataType = fields.get('d');
    this.constraint = fields.get('n');
  }
}

const encoder = new TextEncoder();

/** Frontend messages, built into one buffer. */
class Messages {
  #chunks: Uint8Array[] = [];
  #length = 0;

  #push(type: string, body: Uint8Array[]): this {
    const size = body.reduce((sum, part) => sum + part.length, 4);
    const head = new Uint8Array(5);
    head[0] = type.charCodeAt(0);
    new DataView(head.buffer).setInt32(1, size);
    this.#chunks.push(head, ...body);
    this.#length += 1 + size;
    return this;
  }

  parse(name: string, text: string): this {
    return this.#push('P', [cString(name), cString(text), int16(0)]);
  }

  describeStatement(name: string): this {
    return this.#push('D', [new Uint8Array([83 /* S */]), cString(name)]);
  }

  /** Bind the unnamed portal to `statement`, every value in text format, results in text. */
  bind(statement: string, values: readonly (string | null)[]): this {
    const parts: Uint8Array[] = [cString(''), cString(statement), int16(0), int16(values.length)];
    for (const value of values) {
      if (value === null) parts.push(int32(-1));
      else {
        const bytes = encoder.encode(value);
        parts.push(int32(bytes.length), bytes);
      }
    }
    parts.push(int16(0));
    return this.#push('B', parts);
  }

  execute(): this {
    return this.#push('E', [cString(''), int32(0)]);
  }

  close(name: string): this {
    return this.#push('C', [new Uint8Array([83 /* S */]), cString(name)]);
  }

  sync(): this {
    return this.#push('S', []);
  }

  build(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

function cString(text: string): Uint8Array {
  const bytes = encoder.encode(text);
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

function int16(value: number): Uint8Array {
  const out = new Uint8Array(2);
  new DataView(out.buffer).setInt16(0, value);
  return out;
}

function int32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, value);
  return out;
}

/** What came back: the described statement, or the rows and command tag of a run. */
interface Reply {
  parameterTypes?: number[];
  columns?: { name: string; type: number }[];
  rows: (string | null)[][];
  tag?: string;
  error?: ReadonlyMap<string, string>;
}

/** Reads backend messages; notices and the rest are skipped. */
function readReply(data: Uint8Array): Reply {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  // Buffer's toString decodes short strings faster than TextDecoder
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const reply: Reply = { rows: [] };
  let offset = 0;
  while (offset + 5 <= data.length) {
    const type = data[offset]!;
    const length = view.getInt32(offset + 1);
    const start = offset + 5;
    const end = offset + 1 + length;
    switch (type) {
      case 0x44 /* D: DataRow */:
        {
          const count = view.getInt16(start);
          const row = new Array<string | null>(count);
          let at = start + 2;
          for (let index = 0; index < count; index += 1) {
            const size = view.getInt32(at);
            at += 4;
            if (size < 0) row[index] = null;
            else {
              row[index] = text.toString('utf8', at, at + size);
              at += size;
            }
          }
          reply.rows.push(row);
          break;
        }
      case 0x43 /* C: CommandComplete */:
        reply.tag = text.toString('utf8', start, end - 1);
        break;
      case 0x74 /* t: ParameterDescription */:
        {
          const count = view.getInt16(start);
          reply.parameterTypes = Array.from({ length: count }, (_, index) =>
            view.getUint32(start + 2 + index * 4),
          );
          break;
        }
      case 0x54 /* T: RowDescription */:
        {
          const count = view.getInt16(start);
          const columns: { name: string; type: number }[] = [];
          let at = start + 2;
          for (let index = 0; index < count; index += 1) {
            const nameEnd = data.indexOf(0, at);
            const name = text.toString('utf8', at, nameEnd);
            at = nameEnd + 1;
            // table OID (4), column number (2), type OID (4), size (2), modifier (4), format (2)
            columns.push({ name, type: view.getUint32(at + 6) });
            at += 18;
          }
          reply.columns = columns;
          break;
        }
      case 0x6e /* n: NoData */:
        reply.columns = [];
        break;
      case 0x45 /* E: ErrorResponse */:
        {
          const fields = new Map<string, string>();
          let at = start;
          while (at < end && data[at] !== 0) {
            const code = String.fromCharCode(data[at]!);
            const valueEnd = data.indexOf(0, at + 1);
            fields.set(code, text.toString('utf8', at + 1, valueEnd));
            at = valueEnd + 1;
          }
          reply.error ??= fields;
          break;
        }
    }
    offset = end;
  }
  return reply;
}

/** Rows affected, from the command tag (`INSERT 0 3`, `UPDATE 2`, `SELECT 5`). */
function countOf(tag: string | undefined, rows: number): number {
  const last = tag?.slice(tag.lastIndexOf(' ') + 1);
  const count = last === undefined ? Number.NaN : Number(last);
  return Number.isInteger(count) ? count : rows;
}

export class PgliteStatements {
  readonly #db: PGlite;
  readonly #prepared = new Map<string, Prepared>();
  #named = 0;

  constructor(db: PGlite) {
    this.#db = db;
  }

  /**
   * Runs one statement, prepared on first use: on its own, or as a statement of the transaction
   * in progress (`PGlite.transaction()`, which holds the session meanwhile).
   */
  async query<T>(text: string, params: readonly unknown[], inTransaction = false): Promise<QueryResult<T>> {
    if (this.#db.closed) throw new Error('PGlite is closed');
    const run = () => this.#run<T>(text, params, inTransaction);
    // PGlite's own locks, as its query() takes them: a statement outside a transaction waits
    // for the transaction in progress; one inside it runs in its turn.
    return inTransaction
      ? this.#db._runExclusiveQuery(run)
      : this.#db._runExclusiveTransaction(() => this.#db._runExclusiveQuery(run));
  }

  async #run<T>(text: string, params: readonly unknown[], inTransaction: boolean): Promise<QueryResult<T>> {
    let prepared = this.#prepared.get(text);
    if (prepared) {
      // most recently used last, so the first is the one to close when the cache is full
      this.#prepared.delete(text);
      this.#prepared.set(text, prepared);
    } else prepared = await this.#prepare(text, inTransaction);
    let reply = await this.#execute(prepared, params, inTransaction);
    if (needsPreparing(reply.error)) {
      this.#prepared.delete(text);
      await this.#send(new Messages().close(prepared.name).sync().build(), inTransaction);
      prepared = await this.#prepare(text, inTransaction);
      reply = await this.#execute(prepared, params, inTransaction);
    }
    if (reply.error) throw new PgliteStatementError(reply.error, text);
    const parsers = this.#db.parsers as Record<
      number,
      ((value: string, type: number) => unknown) | undefined
    >;
    const columns = prepared.columns;
    const rows = reply.rows.map((values) => {
      const row: Record<string, unknown> = {};
      for (let index = 0; index < columns.length; index += 1) {
        const value = values[index];
        const column = columns[index]!;
        const parse = parsers[column.type];
        row[column.name] =
          value === null || value === undefined ? null : parse ? parse(value, column.type) : value;
      }
      return row as T;
    });
    return { rows, rowCount: countOf(reply.tag, rows.length) };
  }

  async #prepare(text: string, inTransaction: boolean): Promise<Prepared> {
    this.#named += 1;
    const name = `architect_${this.#named}`;
    const messages = new Messages();
    if (this.#prepared.size >= MAX_STATEMENTS) {
      const [oldestText, oldest] = this.#prepared.entries().next().value!;
      this.#prepared.delete(oldestText);
      messages.close(oldest.name);
    }
    const reply = await this.#send(
      messages.parse(name, text).describeStatement(name).sync().build(),
      inTransaction,
    );
    if (reply.error) throw new PgliteStatementError(reply.error, text);
    const prepared: Prepared = {
      name,
      parameterTypes: reply.parameterTypes ?? [],
      columns: reply.columns ?? [],
    };
    this.#prepared.set(text, prepared);
    return prepared;
  }

  #execute(prepared: Prepared, params: readonly unknown[], inTransaction: boolean): Promise<Reply> {
    const serializers = this.#db.serializers as Record<number, ((value: unknown) => string) | undefined>;
    // every value given, so PostgreSQL refuses a count that does not match, as it would unprepared
    const values = params.map((value, index) => {
      if (value === null || value === undefined) return null;
      const serialize = serializers[prepared.parameterTypes[index]!];
      return serialize ? serialize(value) : String(value);
    });
    return this.#send(new Messages().bind(prepared.name, values).execute().sync().build(), inTransaction);
  }

  async #send(message: Uint8Array, inTransaction: boolean): Promise<Reply> {
    return readReply(await this.#db.execProtocolRaw(message, { syncToFs: !inTransaction }));
  }
}
