/**
 * Prepared statements for PGlite. `PGlite.query()` runs every statement unnamed, in six calls
 * into the WASM backend (Parse, Describe, Bind, Describe, Execute, Sync), so PostgreSQL parses,
 * analyzes and plans it each time. Here each statement text is parsed and described once, under
 * a name, and each run after that is one call: Bind, Execute, Sync, with the row layout known.
 * The plan is cached as for any prepared statement (custom plans first, then the generic one
 * where it is no worse), and PostgreSQL re-plans it by itself after DDL on what it reads.
 *
 * The messages are PostgreSQL's frontend/backend protocol, written and read by node-postgres'
 * `pg-protocol` (PGlite's own protocol code is a fork of it). Values go and come in text format,
 * through the same serializers and parsers by type OID that `PGlite.query()` uses.
 */
import type { PGlite } from '@electric-sql/pglite';
import { type DatabaseError, serialize } from 'pg-protocol';
import type {
  BackendMessage,
  CommandCompleteMessage,
  DataRowMessage,
  Field,
  ParameterDescriptionMessage,
  RowDescriptionMessage,
} from 'pg-protocol/dist/messages.js';
import { Parser } from 'pg-protocol/dist/parser.js';
import type { QueryResult } from './driver.js';

/** Statements kept prepared; beyond this the least recently used one is closed. */
const MAX_STATEMENTS = 500;

/**
 * The statement PostgreSQL no longer has (26000: closed by a DISCARD or DEALLOCATE), or whose
 * rows changed shape under DDL (0A000): prepared again, once.
 */
function needsPreparing(error: DatabaseError | undefined): boolean {
  return (
    error?.code === '26000' ||
    (error?.code === '0A000' && /cached plan must not change result type/.test(error.message))
  );
}

interface Prepared {
  readonly name: string;
  /** Parameter type OIDs, in order. */
  readonly parameterTypes: readonly number[];
  /** The result columns: name and type OID, in order (empty when the statement returns none). */
  readonly columns: readonly { readonly name: string; readonly dataTypeID: number }[];
}

/** What came back: the described statement, or the rows and command tag of a run. */
interface Reply {
  parameterTypes?: number[];
  columns?: Field[];
  rows: (string | null)[][];
  tag?: string;
  /** The first ErrorResponse (node-postgres' `DatabaseError`: code, detail, constraint, ...). */
  error?: DatabaseError;
}

/** Adds a backend message to the reply. */
function readMessage(reply: Reply, message: BackendMessage): void {
  switch (message.name) {
    case 'dataRow':
      reply.rows.push((message as DataRowMessage).fields);
      break;
    case 'commandComplete':
      reply.tag = (message as CommandCompleteMessage).text;
      break;
    case 'parameterDescription':
      reply.parameterTypes = (message as ParameterDescriptionMessage).dataTypeIDs;
      break;
    case 'rowDescription':
      reply.columns = (message as RowDescriptionMessage).fields;
      break;
    case 'noData':
      reply.columns = [];
      break;
    case 'error':
      reply.error ??= message as DatabaseError;
      break;
  }
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
      await this.#send(
        [serialize.close({ type: 'S', name: prepared.name }), serialize.sync()],
        inTransaction,
      );
      prepared = await this.#prepare(text, inTransaction);
      reply = await this.#execute(prepared, params, inTransaction);
    }
    if (reply.error) throw reply.error;
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
        const parse = parsers[column.dataTypeID];
        row[column.name] =
          value === null || value === undefined ? null : parse ? parse(value, column.dataTypeID) : value;
      }
      return row as T;
    });
    return { rows, rowCount: countOf(reply.tag, rows.length) };
  }

  async #prepare(text: string, inTransaction: boolean): Promise<Prepared> {
    this.#named += 1;
    const name = `architect_${this.#named}`;
    const messages: Buffer[] = [];
    if (this.#prepared.size >= MAX_STATEMENTS) {
      const [oldestText, oldest] = this.#prepared.entries().next().value!;
      this.#prepared.delete(oldestText);
      messages.push(serialize.close({ type: 'S', name: oldest.name }));
    }
    messages.push(serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync());
    const reply = await this.#send(messages, inTransaction);
    if (reply.error) throw reply.error;
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
      const toText = serializers[prepared.parameterTypes[index]!];
      return toText ? toText(value) : String(value);
    });
    return this.#send(
      [serialize.bind({ statement: prepared.name, values }), serialize.execute(), serialize.sync()],
      inTransaction,
    );
  }

  /**
   * The messages in one call into the backend, and what came back. The output is read as it
   * streams out: `execProtocolRaw()` would also gather it into one buffer and parse every message
   * with PGlite's own reader before handing it over, which doubled the reading of each row.
   */
  async #send(messages: readonly Buffer[], inTransaction: boolean): Promise<Reply> {
    const reply: Reply = { rows: [] };
    const parser = new Parser();
    const read = (message: BackendMessage) => readMessage(reply, message);
    await this.#db.execProtocolRawStream(Buffer.concat(messages), {
      syncToFs: !inTransaction,
      // copied: the chunk is a view of the backend's output buffer, which the next one reuses
      onRawData: (chunk) => parser.parse(Buffer.from(chunk), read),
    });
    return reply;
  }
}
