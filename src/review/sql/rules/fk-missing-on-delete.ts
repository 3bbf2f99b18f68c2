import type { SchemaRule } from '../context.js';
import { tableName } from '../helpers.js';

export const rule: SchemaRule = {
  id: 'sql/fk-missing-on-delete',
  severity: 'info',
  group: 'references',
  summary: 'Foreign keys state what happens when the referenced row is deleted',
  meaning:
    'Without ON DELETE a foreign key is NO ACTION: deleting a referenced row fails at the end of the statement. That is often right, but it should be a decision: CASCADE for owned children (order lines), SET NULL for optional links, RESTRICT to fail immediately. An explicit action documents the intent for the next reader and for the API, which must map the failure to a 409.',
  *check(context) {
    for (const table of context.tables()) {
      for (const fk of table.foreignKeys) {
        if (fk.onDelete !== 'no action') continue;
        yield {
          message: `Foreign key ${fk.name ?? `(${fk.columns.join(', ')})`} on ${tableName(table)} has no ON DELETE action`,
          span: fk.origin.span,
          pointer: `${table.key}.${fk.columns.join(',')}`,
          help: `Decide what deleting a row of ${context.name(fk.referencedTable)} does to ${tableName(table)}: ON DELETE CASCADE (owned rows), SET NULL (optional link) or RESTRICT (forbid), and write it.`,
        };
      }
    }
  },
};
