import type { ColumnType } from '../../sql-parse/column-type.js';
import type { SchemaRule } from '../context.js';
import { quote, tableName, tableSql } from '../helpers.js';

const SAME: Readonly<Record<string, string>> = { serial: 'int4', bigserial: 'int8', smallserial: 'int2' };
const base = (type: ColumnType) =>
  `${type.schema ?? ''}.${SAME[type.name] ?? type.name}${type.isArray ? '[]' : ''}`;

export const rule: SchemaRule = {
  id: 'sql/fk-type-mismatch',
  severity: 'error',
  group: 'keys',
  summary: 'Foreign-key columns have the same type as the key they reference',
  meaning:
    'A foreign key between different types (integer referencing bigint, varchar(20) referencing text) works until the referenced values outgrow the smaller type, and every join casts one side, which can keep the planner from using an index.',
  *check(context) {
    for (const table of context.tables()) {
      for (const fk of table.foreignKeys) {
        const referenced = context.catalog.tables.get(fk.referencedTable);
        if (!referenced) continue;
        const targetColumns = fk.referencedColumns.length
          ? fk.referencedColumns
          : (referenced.primaryKey?.columns ?? []);
        for (let i = 0; i < fk.columns.length; i++) {
          const column = table.columns.get(fk.columns[i]!);
          const target = referenced.columns.get(targetColumns[i] ?? '');
          if (!column || !target) continue;
          const from = context.typeOf(column);
          const to = context.typeOf(target);
          if (base(from) === base(to) && (from.name !== 'varchar' || from.modifiers[0] === to.modifiers[0]))
            continue;
          const wanted = to.name in SAME ? (SAME[to.name] === 'int8' ? 'bigint' : 'integer') : to.display;
          yield {
            message: `Foreign key column ${tableName(table)}.${column.name} is ${from.display} but references ${tableName(referenced)}.${target.name} of type ${to.display}`,
            span: fk.origin.span,
            pointer: `${table.key}.${column.name}`,
            help: `Declare ${column.name} with the referenced column's type (${wanted}).`,
            fix: {
              description: `Change ${column.name} to ${wanted}`,
              replacement: `ALTER TABLE ${tableSql(table)} ALTER COLUMN ${quote(column.name)} TYPE ${wanted};`,
            },
          };
        }
      }
    }
  },
};
