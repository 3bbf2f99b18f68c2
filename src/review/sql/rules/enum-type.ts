import { displayName } from '../../sql-parse/ast.js';
import type { SchemaRule } from '../context.js';

export const rule: SchemaRule = {
  id: 'sql/enum-type',
  severity: 'info',
  group: 'types',
  summary: 'Know the trade-offs of enum types',
  meaning:
    'An enum type is compact and ordered, but its values can only be added, never removed or reordered without recreating the type and rewriting every column that uses it; before PostgreSQL 12, ALTER TYPE ... ADD VALUE cannot run inside a transaction, and a new value cannot be used in the transaction that added it. For a set of values that will change, a text column with a CHECK constraint (changed with NOT VALID + VALIDATE) or a lookup table with a foreign key is easier to evolve.',
  *check(context) {
    for (const type of context.catalog.types.values()) {
      if (type.kind !== 'enum') continue;
      yield {
        message: `Enum type ${displayName(type.key)} (${type.values.join(', ')}): values can be added but never removed`,
        span: type.origin.span,
        pointer: type.key,
        help: `If the values of ${displayName(type.key)} may change, use text with CHECK (value IN (...)) or a lookup table; keep the enum if the set is closed.`,
      };
    }
  },
};
