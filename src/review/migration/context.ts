/**
 * What a migration rule sees for each statement: the statement, the schema as it stood just
 * before it (replayed from every earlier statement of the folder), the session (transaction,
 * timeouts, locks held) and the locks this statement takes.
 */
import { displayName, keyOfNames, type NodeKind, type NodeOf, nameListOf, nodeAs } from '../sql-parse/ast.js';
import type { Catalog } from '../sql-parse/catalog.js';
import type { TableLock } from '../sql-parse/locks.js';
import type { ParsedStatement } from '../sql-parse/parse.js';
import type { RuleDefinition, RuleHit } from '../sql-parse/rule.js';
import type { SessionState } from '../sql-parse/session.js';

export interface MigrationReviewOptions {
  /** Target PostgreSQL major version (default 15): PG 11 fast defaults, PG 12 NOT NULL via CHECK. */
  readonly postgresVersion?: number;
  /** The migration tool wraps each file in a transaction (Flyway, Rails, Django). Default false. */
  readonly assumeInTransaction?: boolean;
  /** lock_timeout is configured outside the files (role default, tool setting). Default false. */
  readonly assumeLockTimeout?: boolean;
}

export class MigrationContext {
  constructor(
    readonly statement: ParsedStatement,
    readonly file: string,
    readonly fileIndex: number,
    /** The schema just before this statement. */
    readonly catalog: Catalog,
    /** The session just before this statement. */
    readonly session: SessionState,
    readonly locks: readonly TableLock[],
    readonly postgresVersion: number,
    /** Per-file memory for rules that report once per file, keyed by rule id. */
    readonly fileState: Map<string, unknown>,
    /** Every statement of this file, and this statement's place among them. */
    readonly fileStatements: readonly ParsedStatement[] = [],
    readonly position = 0,
  ) {}

  /** True when a later statement of this file drops the table (`DROP TABLE`). */
  isDroppedLater(tableKey: string): boolean {
    return this.fileStatements.slice(this.position + 1).some((statement) => {
      const drop = statement.kind === 'DropStmt' ? nodeAs(statement.node, 'DropStmt') : undefined;
      if (drop?.removeType !== 'OBJECT_TABLE') return false;
      return (drop.objects ?? []).some((object) => keyOfNames(nameListOf(object)) === tableKey);
    });
  }

  /** The statement's payload when it is of the given kind. */
  node<K extends NodeKind>(kind: K): NodeOf<K> | undefined {
    return this.statement.kind === kind ? nodeAs(this.statement.node, kind) : undefined;
  }

  /**
   * True when the table already exists with data: not created earlier in this same file. A table
   * the folder never created (made before the first migration) counts as existing.
   */
  isExisting(tableKey: string | undefined): boolean {
    if (!tableKey) return false;
    const table = this.catalog.tables.get(tableKey);
    return !table || table.origin.fileIndex !== this.fileIndex;
  }

  name(key: string): string {
    return displayName(key);
  }
}

/** Whole-file view for checks that run after the last statement. */
export interface MigrationFileContext {
  readonly file: string;
  readonly statements: readonly ParsedStatement[];
  /** The session after the last statement. */
  readonly session: SessionState;
}

export interface MigrationRule extends RuleDefinition {
  /** The lock the offending statement takes, for the docs page. */
  readonly lock?: string;
  check(context: MigrationContext): Iterable<RuleHit>;
  finish?(context: MigrationFileContext): Iterable<RuleHit>;
}
