/**
 * Status history tables for lifecycles declared with `history: true`. The runtime writes one
 * row per transition in the transaction that changes the state; rows are never updated
 * (refused like an append-only table) but go away with their entity (ON DELETE CASCADE).
 */
import type { Entity, Lifecycle } from '../../blueprint/model.js';
import { constraintName, quoteLiteral } from '../../sql/identifiers.js';
import type { ColumnSpec } from './columns.js';
import { columnComment, constraintComment, tableComment } from './comments.js';
import { indexStatement } from './indexes.js';
import type { SchemaSection, SchemaStatement } from './statements.js';
import { check, foreignKey, primaryKey, tableStatement } from './tables.js';
import { refusalTriggers } from './triggers.js';

/**
 * Columns of the history table that point at the entity: `<entity>_id` for single keys, the
 * key columns themselves for composite keys.
 */
export function historyKeyColumns(entity: Entity): { column: string; key: string; sqlType: string }[] {
  return entity.key.columns.map((key) => {
    const field = entity.fields.find((candidate) => candidate.column === key)!;
    const column = entity.key.kind === 'composite' ? key : `${entity.name}_${key}`;
    return { column, key, sqlType: field.sqlType };
  });
}

const COLUMN_NOTES: Record<string, string> = {
  from_state: 'State before the transition; NULL when the row records the initial state.',
  to_state: 'State after the transition.',
  transition: 'Transition or action that changed the state, e.g. submit.',
  reason: 'Reason given by the caller, when the transition takes one.',
  actor: 'Who made the change (user id or API key id).',
  request_id: 'Request id of the API call, to correlate with logs.',
  created_at: 'When the transition happened.',
};

export function historySection(entity: Entity): SchemaSection | undefined {
  const lifecycle = entity.lifecycle;
  if (!lifecycle?.historyTable) return undefined;
  const table = lifecycle.historyTable;
  const keys = historyKeyColumns(entity);
  const keyNames = keys.map((key) => key.column);
  const columns: ColumnSpec[] = [
    { name: 'id', type: 'bigint', notNull: true, generated: 'ALWAYS AS IDENTITY' },
    ...keys.map((key) => ({ name: key.column, type: key.sqlType, notNull: true })),
    { name: 'from_state', type: 'text', notNull: false },
    { name: 'to_state', type: 'text', notNull: true },
    { name: 'transition', type: 'text', notNull: true },
    { name: 'reason', type: 'text', notNull: false },
    { name: 'actor', type: 'text', notNull: false },
    { name: 'request_id', type: 'text', notNull: false },
    { name: 'created_at', type: 'timestamptz', notNull: true, default: 'now()' },
  ];
  const states = stateChecks(table, lifecycle);
  const statements: SchemaStatement[] = [
    tableStatement(table, columns, [
      primaryKey(constraintName(table, 'pkey'), ['id']),
      foreignKey(
        constraintName(table, ...keyNames, 'fkey'),
        keyNames,
        { table: entity.table, columns: keys.map((key) => key.key) },
        'cascade',
      ),
      ...states.map((state) => check(state.name, state.sql)),
    ]),
    tableComment(table, `Status history of ${entity.table}: one row per ${lifecycle.column} change.`),
    ...keys.map((key) => columnComment(table, key.column, `Key of the ${entity.name} whose state changed.`)),
    ...Object.entries(COLUMN_NOTES).map(([column, note]) => columnComment(table, column, note)),
    ...states.map((state) => constraintComment(table, state.name, state.message)),
    // Leads with the entity key (covers the foreign key) and pages the history in order.
    indexStatement(table, {
      name: constraintName(table, ...keyNames, 'id', 'idx'),
      columns: [...keyNames, 'id'],
      unique: false,
      method: 'btree',
      reason: 'foreign_key',
    }),
    ...refusalTriggers(table, 'UPDATE', false),
  ];
  return {
    title: table,
    notes: [
      `Status history of ${entity.table}, written by the runtime with every ${lifecycle.column} change.`,
      'Rows are never updated; they are deleted with their entity.',
    ],
    statements,
  };
}

function stateChecks(table: string, lifecycle: Lifecycle) {
  const values = lifecycle.states.map(quoteLiteral).join(', ');
  const message = `must be one of ${lifecycle.states.join(', ')}`;
  return (['from_state', 'to_state'] as const).map((column) => ({
    name: constraintName(table, column, 'enum'),
    sql: `${column} IN (${values})`,
    message: `${column} ${message}`,
  }));
}
