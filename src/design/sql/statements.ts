/**
 * The unit every part of the DDL emitter produces: one runnable, idempotent SQL statement with
 * enough metadata for the runtime to apply it and, later, to diff a database against it.
 */

/**
 * What a statement creates. `constraint` is a constraint added after its table (a DO block);
 * `security` enables row-level security, creates a policy or the request role and its grants
 * (idempotent, run with the script, not diffed).
 */
export type StatementKind =
  | 'function'
  | 'table'
  | 'index'
  | 'constraint'
  | 'trigger'
  | 'comment'
  | 'security';

export const STATEMENT_KINDS: readonly StatementKind[] = [
  'function',
  'table',
  'index',
  'constraint',
  'trigger',
  'comment',
  'security',
];

/**
 * One column of a `table` statement, as data and as text, e.g.
 * `{ name: 'code', type: 'text', notNull: true, definition: 'code text NOT NULL' }`.
 */
export interface TableColumn {
  readonly name: string;
  /** The type as written in the DDL: `numeric(18,4)`, `timestamptz`, `uuid`. */
  readonly type: string;
  readonly notNull: boolean;
  /** Default expression, e.g. `now()`, `'draft'`, `architect_uuid_v7()`. */
  readonly default?: string;
  /** What follows GENERATED: `ALWAYS AS IDENTITY` or `ALWAYS AS (expression) STORED`. */
  readonly generated?: string;
  /** What follows `ALTER TABLE t ADD COLUMN` to add the column to an existing table. */
  readonly definition: string;
}

export type TableConstraintKind = 'primary_key' | 'foreign_key' | 'check';

/** One constraint of a `table` statement, e.g. `{ name: 'x_min', kind: 'check', definition: 'CHECK (x >= 0)' }`. */
export interface TableConstraint {
  readonly name: string;
  readonly kind: TableConstraintKind;
  /** What follows `ALTER TABLE t ADD CONSTRAINT name` to add it to an existing table. */
  readonly definition: string;
}

export interface SchemaStatement {
  readonly kind: StatementKind;
  /** The table the statement belongs to (absent for functions). */
  readonly table?: string;
  /**
   * The object's name: the function, table, index, constraint or trigger name; for comments the
   * object commented (`products`, `products.sku`, `products_sku_max_length`, `architect_touch()`).
   */
  readonly name: string;
  /** The statement, ending with `;`. Safe to run again: it changes nothing the second time. */
  readonly sql: string;
  /** For `table` statements: the columns of the CREATE TABLE, for adding one that is missing. */
  readonly columns?: readonly TableColumn[];
  /** For `table` statements: the constraints declared inside the CREATE TABLE. */
  readonly constraints?: readonly TableConstraint[];
}

/** A titled group of statements; `emitSchemaSql` prints one commented section per group. */
export interface SchemaSection {
  readonly title: string;
  /** Lines printed under the title (descriptions, why the section exists). */
  readonly notes: readonly string[];
  readonly statements: readonly SchemaStatement[];
}
