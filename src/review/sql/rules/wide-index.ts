import type { SchemaRule } from '../context.js';
import { indexColumns, tableName } from '../helpers.js';

const MAX_COLUMNS = 3;

export const rule: SchemaRule = {
  id: 'sql/wide-index',
  severity: 'info',
  group: 'indexes',
  summary: 'Non-unique indexes have at most three key columns',
  meaning:
    'A B-tree is only used from its leading columns, and each further key column makes the index bigger and slower to maintain while rarely sharpening selectivity. Past three columns a narrower index, an INCLUDE list for covering reads, or a partial index usually does better. An index with a declared sort order (`DESC`, `NULLS FIRST`) is built for an ORDER BY, often keyset pagination: its trailing keys give the order and cannot move into INCLUDE, so it is left alone.',
  *check(context) {
    for (const table of context.tables()) {
      for (const index of context.indexesOf(table)) {
        if (index.unique || index.constraint || index.keys.length <= MAX_COLUMNS) continue;
        if (index.keys.some((key) => /SORTBY_(DESC|NULLS_)/.test(key.options))) continue;
        yield {
          message: `Index ${index.name} on ${tableName(table)} has ${index.keys.length} key columns (${indexColumns(index)})`,
          span: index.origin.span,
          pointer: index.key,
          help: 'Keep the selective leading columns as keys and move columns that are only read into INCLUDE (...), or split the index by query.',
        };
      }
    }
  },
};
