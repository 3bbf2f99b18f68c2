import type { IndexModel } from '../../sql-parse/catalog.js';
import type { SchemaRule } from '../context.js';
import { indexColumns, indexSignature, quote, tableName } from '../helpers.js';

export const rule: SchemaRule = {
  id: 'sql/duplicate-index',
  severity: 'warn',
  group: 'indexes',
  summary: 'No two indexes have the same definition',
  meaning:
    'Two indexes with the same method, keys, operator classes, INCLUDE columns and predicate answer exactly the same queries. The second one doubles write cost, WAL and disk for nothing. (A unique index and a plain index on the same keys count as duplicates: the unique one serves both.)',
  *check(context) {
    for (const table of context.tables()) {
      const seen = new Map<string, IndexModel>();
      const indexes = context.indexesOf(table).filter((index) => index.constraint !== 'exclusion');
      // Keep constraint-backed and unique indexes; report the plain later one.
      const ordered = [...indexes].sort(
        (a, b) =>
          Number(Boolean(b.constraint)) - Number(Boolean(a.constraint)) ||
          Number(b.unique) - Number(a.unique),
      );
      for (const index of ordered) {
        const signature = indexSignature(index);
        const kept = seen.get(signature);
        if (!kept) {
          seen.set(signature, index);
          continue;
        }
        if (index.unique && kept.unique === false) continue;
        if (index.constraint && kept.constraint) continue;
        yield {
          message: `Index ${index.name} on ${tableName(table)} (${indexColumns(index)}) duplicates ${kept.name}`,
          span: index.origin.span,
          pointer: index.key,
          help: `${kept.name} already serves every query ${index.name} can serve. Drop ${index.name} (DROP INDEX CONCURRENTLY on a live database).`,
          fix: { description: `Drop ${index.name}`, replacement: `DROP INDEX ${quote(index.name)};` },
        };
      }
    }
  },
};
