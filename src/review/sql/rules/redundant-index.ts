import type { SchemaRule } from '../context.js';
import { indexColumns, quote, tableName } from '../helpers.js';

export const rule: SchemaRule = {
  id: 'sql/redundant-index',
  severity: 'warn',
  group: 'indexes',
  summary: 'No index is a leading prefix of another',
  meaning:
    'A B-tree index on (a) is redundant next to one on (a, b): the wider index serves every lookup and range scan on a alone, at nearly the same cost. The narrower one only adds write cost. Unique and constraint indexes are never reported, since they enforce something.',
  *check(context) {
    for (const table of context.tables()) {
      const indexes = context.indexesOf(table).filter((index) => index.method === 'btree');
      for (const index of indexes) {
        if (index.unique || index.constraint || index.include.length > 0) continue;
        const wider = indexes.find(
          (other) =>
            other !== index &&
            other.keys.length > index.keys.length &&
            (other.predicate ?? '') === (index.predicate ?? '') &&
            index.keys.every((key, i) => {
              const part = other.keys[i]!;
              return (
                part.column === key.column &&
                part.expression === key.expression &&
                part.options === key.options
              );
            }),
        );
        if (!wider) continue;
        yield {
          message: `Index ${index.name} on ${tableName(table)} (${indexColumns(index)}) is a prefix of ${wider.name} (${indexColumns(wider)})`,
          span: index.origin.span,
          pointer: index.key,
          help: `Queries on (${indexColumns(index)}) can use ${wider.name}. Drop ${index.name} unless a measured plan shows it is needed (DROP INDEX CONCURRENTLY on a live database).`,
          fix: { description: `Drop ${index.name}`, replacement: `DROP INDEX ${quote(index.name)};` },
        };
      }
    }
  },
};
