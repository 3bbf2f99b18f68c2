import type { SchemaRule } from '../context.js';
import { tableName } from '../helpers.js';

const CREATED = ['created_at', 'inserted_at', 'created_on', 'created', 'create_date', 'creation_date'];
const UPDATED = [
  'updated_at',
  'modified_at',
  'updated_on',
  'last_update',
  'last_updated',
  'modified',
  'update_date',
];

export const rule: SchemaRule = {
  id: 'sql/missing-timestamps',
  severity: 'info',
  group: 'conventions',
  summary: 'Tables record when rows were created and last updated',
  meaning:
    'created_at and updated_at (timestamptz NOT NULL DEFAULT now()) answer the first questions of every incident and data fix, drive incremental syncs and cache invalidation, and cost 16 bytes a row. An append-only table (a ledger, an audit log) needs only created_at.',
  *check(context) {
    for (const table of context.tables()) {
      const names = new Set(table.columns.keys());
      const missing = [
        CREATED.some((name) => names.has(name)) ? undefined : 'created_at',
        UPDATED.some((name) => names.has(name)) ? undefined : 'updated_at',
      ].filter((name): name is string => name !== undefined);
      if (missing.length === 0) continue;
      yield {
        message: `Table ${tableName(table)} has no ${missing.join(' or ')} column`,
        span: table.origin.span,
        pointer: table.key,
        help: `Add ${missing.map((name) => `${name} timestamptz NOT NULL DEFAULT now()`).join(' and ')}${missing.includes('updated_at') ? ', with a trigger keeping updated_at current' : ''}. Append-only tables need only created_at.`,
      };
    }
  },
};
