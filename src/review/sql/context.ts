/**
 * What a schema rule sees: the final catalog after every statement of the file, and helpers
 * that keep rules small.
 */
import type { ScanToken } from 'libpg-query';
import { scanSync } from 'libpg-query';
import { displayName } from '../sql-parse/ast.js';
import {
  type Catalog,
  type ColumnModel,
  type IndexModel,
  indexesOf,
  resolveType,
  type TableModel,
} from '../sql-parse/catalog.js';
import type { ColumnType } from '../sql-parse/column-type.js';
import type { ParsedSql } from '../sql-parse/parse.js';
import type { RuleDefinition, RuleHit } from '../sql-parse/rule.js';

export interface SqlReviewOptions {
  /** Target PostgreSQL major version (default 15): decides which fixes are offered. */
  readonly postgresVersion?: number;
}

export class SchemaContext {
  readonly catalog: Catalog;
  readonly parsed: ParsedSql;
  readonly postgresVersion: number;
  private tokenCache: ScanToken[] | undefined;

  constructor(catalog: Catalog, parsed: ParsedSql, options: SqlReviewOptions) {
    this.catalog = catalog;
    this.parsed = parsed;
    this.postgresVersion = options.postgresVersion ?? 15;
  }

  /**
   * Ordinary tables the rules judge: not views, not temporary tables, and not partitions (a
   * partition's keys, foreign keys and indexes are its parent's).
   */
  *tables(): Iterable<TableModel> {
    for (const table of this.catalog.tables.values()) {
      if (table.kind === 'table' && !table.temporary && !table.placeholder && table.partitionOf === undefined)
        yield table;
    }
  }

  indexesOf(table: TableModel): IndexModel[] {
    return indexesOf(this.catalog, table.key);
  }

  /** The column's type with domains resolved to their base type. */
  typeOf(column: ColumnModel): ColumnType {
    return resolveType(this.catalog, column.type);
  }

  name(key: string): string {
    return displayName(key);
  }

  /** Scanner tokens of the whole file (for what the parser normalises away, like long names). */
  tokens(): ScanToken[] {
    if (!this.tokenCache) {
      try {
        this.tokenCache = scanSync(this.parsed.source.text).tokens;
      } catch {
        this.tokenCache = [];
      }
    }
    return this.tokenCache;
  }
}

/** A schema rule: one file under `rules/`, with a good and a bad fixture. */
export interface SchemaRule extends RuleDefinition {
  check(context: SchemaContext): Iterable<RuleHit>;
}
