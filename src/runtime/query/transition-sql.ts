/**
 * A lifecycle transition in one statement: lock the row (`previous`), move it only when its state
 * is an allowed from-state and (with If-Match) its version matches (`changed`), record the history
 * row and the audit row from the same data. No row back means 404, 409 or 412; the caller reads
 * the row once, only then, to say which.
 */
import type { Transition } from '../../blueprint/model.js';
import { historyKeyColumns } from '../../design/sql/index.js';
import { quoteIdentifier } from '../../sql/identifiers.js';
import { type AuditContext, auditCte, keyJoin } from '../audit/audit-sql.js';
import { type EntityPlan, ROW_ALIAS } from './entity-plan.js';
import { keyConditions } from './item-sql.js';
import {
  type AuthorizationScope,
  Binder,
  type ExpectedVersion,
  qualified,
  quotedName,
  type SqlQuery,
  scopeClause,
  versionCondition,
  whereClause,
} from './sql.js';

export interface TransitionContext {
  readonly scope?: AuthorizationScope;
  readonly actor: string;
  readonly requestId: string;
  readonly reason?: string;
  readonly expectedVersion?: ExpectedVersion;
  /** Write an audit row (audited entities only). */
  readonly audit?: AuditContext;
}

export function buildTransitionQuery(
  plan: EntityPlan,
  transition: Transition,
  keyValues: readonly unknown[],
  context: TransitionContext,
): SqlQuery {
  const lifecycle = plan.entity.lifecycle!;
  const binder = new Binder();
  const state = quotedName(lifecycle.property);
  const previousConditions = [
    ...keyConditions(plan, keyValues, binder),
    plan.live(),
    scopeClause(context.scope, ROW_ALIAS, binder, plan.entity.name),
  ];
  const previous = `previous AS (SELECT ${plan.selectAll} FROM ${plan.table} ${ROW_ALIAS}${whereClause(previousConditions)} FOR UPDATE)`;
  const to = binder.bind(transition.to);
  const changedConditions = [
    ...plan.keyFields.map(
      (field) => `${qualified(ROW_ALIAS, field.column)} = previous.${quotedName(field.property)}`,
    ),
    `previous.${state} = ANY(${binder.bind([...transition.from])}::text[])`,
    versionCondition(binder, ROW_ALIAS, context.expectedVersion),
  ];
  const changed = `changed AS (UPDATE ${plan.table} AS ${ROW_ALIAS} SET ${quoteIdentifier(lifecycle.column)} = ${to}::text FROM previous${whereClause(changedConditions)} RETURNING ${plan.selectAll})`;
  const ctes = [previous, changed];
  if (lifecycle.historyTable) {
    const keys = historyKeyColumns(plan.entity);
    const keyColumns = keys.map((key) => key.column).join(', ');
    const keyValues = keys
      .map((key) => `changed.${quotedName(plan.byColumn.get(key.key)!.property)}`)
      .join(', ');
    ctes.push(
      `history AS (INSERT INTO ${lifecycle.historyTable} (${keyColumns}, from_state, to_state, transition, reason, actor, request_id) SELECT ${keyValues}, previous.${state}, changed.${state}, ${binder.bind(transition.name)}, ${binder.bind(context.reason ?? null)}::text, ${binder.bind(context.actor)}, ${binder.bind(context.requestId)} FROM changed JOIN previous ON ${keyJoin(plan, 'changed', 'previous')})`,
    );
  }
  if (plan.entity.audit && context.audit) {
    ctes.push(
      auditCte(plan, binder, context.audit, {
        action: 'transition',
        before: 'previous',
        after: 'changed',
      }),
    );
  }
  return binder.query(`WITH ${ctes.join(', ')} SELECT * FROM changed`);
}
