/**
 * The audit log, present when any entity has `audit: true`: one row per change the runtime
 * makes, with the representation before and after. Append-only like a ledger; a retention job
 * that must purge old rows disables the trigger in its own transaction
 * (`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`), which needs table ownership.
 */
import type { ColumnSpec } from './columns.js';
import { columnComment, constraintComment, tableComment } from './comments.js';
import { indexStatement } from './indexes.js';
import type { SchemaSection } from './statements.js';
import { check, primaryKey, tableStatement } from './tables.js';
import { refusalTriggers } from './triggers.js';

export const AUDIT_TABLE = 'audit_log';

const COLUMNS: readonly (ColumnSpec & { note: string })[] = [
  { name: 'id', type: 'bigint', notNull: true, generated: 'ALWAYS AS IDENTITY', note: 'Order of record.' },
  { name: 'entity', type: 'text', notNull: true, note: 'Blueprint entity name, e.g. purchase_order.' },
  {
    name: 'entity_id',
    type: 'text',
    notNull: true,
    note: 'Key of the changed row as text (composite keys joined by the runtime).',
  },
  {
    name: 'action',
    type: 'text',
    notNull: true,
    note: 'What happened: create, update, delete, restore, transition or an action name.',
  },
  { name: 'actor', type: 'text', notNull: false, note: 'Who made the change (user id or API key id).' },
  { name: 'request_id', type: 'text', notNull: false, note: 'Request id of the API call.' },
  { name: 'before', type: 'jsonb', notNull: false, note: 'Row before the change; NULL on create.' },
  { name: 'after', type: 'jsonb', notNull: false, note: 'Row after the change; NULL on delete.' },
  { name: 'created_at', type: 'timestamptz', notNull: true, default: 'now()', note: 'When it happened.' },
];

const ACTION_CHECK = {
  name: `${AUDIT_TABLE}_action_format`,
  sql: "action ~ '^[a-z][a-z0-9_]*$'",
  message: 'action must be a lower snake_case word',
};

/**
 * In a multi-tenant blueprint every audit row names the tenant of the row it records, so each
 * organization can read its own trail (`GET /audit` filters by the active tenant).
 */
const TENANT_COLUMN: ColumnSpec & { note: string } = {
  name: 'tenant_id',
  type: 'uuid',
  notNull: false,
  note: 'Tenant (organization) of the changed row; NULL for rows outside every tenant.',
};

export function auditSection(options: { readonly tenancy?: boolean } = {}): SchemaSection {
  const table = AUDIT_TABLE;
  const columns = options.tenancy ? [...COLUMNS, TENANT_COLUMN] : COLUMNS;
  return {
    title: table,
    notes: [
      'Audit trail of every change to entities with audit: true, written by the runtime in the same transaction as the change.',
      'Append-only: UPDATE, DELETE and TRUNCATE are refused.',
    ],
    statements: [
      tableStatement(table, columns, [
        primaryKey(`${table}_pkey`, ['id']),
        check(ACTION_CHECK.name, ACTION_CHECK.sql),
      ]),
      tableComment(table, 'Audit trail: one row per change, append-only.'),
      ...columns.map((column) => columnComment(table, column.name, column.note)),
      constraintComment(table, ACTION_CHECK.name, ACTION_CHECK.message),
      // The history of one row, paged by id.
      indexStatement(table, {
        name: `${table}_entity_entity_id_id_idx`,
        columns: ['entity', 'entity_id', 'id'],
        unique: false,
        method: 'btree',
        reason: 'declared',
      }),
      // Everything in a time window, paged by id.
      indexStatement(table, {
        name: `${table}_created_at_id_idx`,
        columns: ['created_at', 'id'],
        unique: false,
        method: 'btree',
        reason: 'declared',
      }),
      // One tenant's trail, paged by id.
      ...(options.tenancy
        ? [
            indexStatement(table, {
              name: `${table}_tenant_id_id_idx`,
              columns: ['tenant_id', 'id'],
              unique: false,
              method: 'btree',
              reason: 'declared',
            }),
          ]
        : []),
      ...refusalTriggers(table, 'UPDATE OR DELETE', true),
    ],
  };
}
