/**
 * `include=`: embed related rows into a page or an item with one query per relation and level
 * (`include=lines.product` is two queries whatever the page size), never one per row.
 */
import type { Field } from '../../blueprint/model.js';
import type { Queryable } from '../db/index.js';
import {
  type AuthorizationScope,
  buildIncludeManyQuery,
  buildIncludeOneQuery,
  type EntityPlan,
  type IncludeNode,
} from '../query/index.js';

type Row = Record<string, unknown>;

/** The fields a page must read so its includes can join (the referencing columns). */
export function includeJoinFields(plan: EntityPlan, include: readonly IncludeNode[]): Field[] {
  return include.map((node) =>
    node.relation.kind === 'one' ? plan.byColumn.get(node.relation.column)! : plan.keyFields[0]!,
  );
}

/**
 * Attach every included relation to `rows` (in place). Many-to-one: an object or null;
 * one-to-many: a list of at most `perParent` rows in key order.
 */
export async function attachIncludes(
  db: Queryable,
  plans: ReadonlyMap<string, EntityPlan>,
  plan: EntityPlan,
  rows: Row[],
  include: readonly IncludeNode[],
  perParent: number,
  scopeFor: (plan: EntityPlan) => AuthorizationScope | undefined,
): Promise<void> {
  if (rows.length === 0) return;
  for (const node of include) {
    const target = plans.get(node.relation.entity)!;
    let related: Row[];
    if (node.relation.kind === 'one') {
      const holder = plan.byColumn.get(node.relation.column)!;
      const keys = [
        ...new Set(
          rows.map((row) => row[holder.property]).filter((key) => key !== null && key !== undefined),
        ),
      ];
      const byKey = new Map<unknown, Row>();
      if (keys.length > 0) {
        const query = buildIncludeOneQuery(target, keys, scopeFor(target));
        related = (await db.query<Row>(query.text, query.values)).rows;
        const keyProperty = target.keyFields[0]!.property;
        for (const row of related) byKey.set(row[keyProperty], row);
      } else {
        related = [];
      }
      for (const row of rows) row[node.relation.name] = byKey.get(row[holder.property]) ?? null;
    } else {
      const referencing = target.byColumn.get(node.relation.column)!;
      const keyProperty = plan.keyFields[0]!.property;
      const keys = [...new Set(rows.map((row) => row[keyProperty]))];
      const query = buildIncludeManyQuery(target, referencing, keys, perParent, scopeFor(target));
      related = (await db.query<Row>(query.text, query.values)).rows;
      const byParent = new Map<unknown, Row[]>();
      for (const row of related) {
        const parent = row[referencing.property];
        const list = byParent.get(parent);
        if (list) list.push(row);
        else byParent.set(parent, [row]);
      }
      for (const row of rows) row[node.relation.name] = byParent.get(row[keyProperty]) ?? [];
    }
    if (node.children.length > 0) {
      await attachIncludes(db, plans, target, related, node.children, perParent, scopeFor);
    }
  }
}
