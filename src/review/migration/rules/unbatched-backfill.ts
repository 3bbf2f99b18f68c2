import type { Node } from 'libpg-query';
import { keyOfRangeVar, nodeAs, walk } from '../../sql-parse/ast.js';
import type { MigrationRule } from '../context.js';

/** The AND-ed parts of a WHERE clause. */
function conjuncts(node: Node): Node[] {
  const bool = nodeAs(node, 'BoolExpr');
  if (bool?.boolop === 'AND_EXPR') return (bool.args ?? []).flatMap(conjuncts);
  return [node];
}

function mentionsColumn(node: unknown): boolean {
  let found = false;
  walk(node, (kind) => {
    if (kind === 'ColumnRef') found = true;
  });
  return found;
}

/** `a.k = b.k`, `f(a.x) = b.y`: a comparison with a column on both sides, which bounds nothing. */
function isJoinCondition(node: Node): boolean {
  const expr = nodeAs(node, 'A_Expr');
  return expr?.kind === 'AEXPR_OP' && mentionsColumn(expr.lexpr) && mentionsColumn(expr.rexpr);
}

export const rule: MigrationRule = {
  id: 'migration/unbatched-backfill',
  severity: 'warn',
  group: 'transactions',
  summary: 'Backfills of existing tables run in batches',
  lock: 'ROW EXCLUSIVE on the table, plus a row lock on every row touched, held to the end of the statement.',
  meaning:
    'An UPDATE or DELETE without WHERE (or an UPDATE ... FROM whose WHERE only joins, comparing columns with columns) changes every row in one transaction: it locks every row (concurrent writers to any of them wait), bloats the table with a dead copy of each row, and generates WAL that replicas must replay before they catch up. Update in batches of a few thousand rows by key range, committing each batch.',
  *check(context) {
    const update = context.node('UpdateStmt');
    const remove = context.node('DeleteStmt');
    const target = keyOfRangeVar(update?.relation ?? remove?.relation);
    if (!target || !context.isExisting(target)) return;
    const where = update?.whereClause ?? remove?.whereClause;
    // UPDATE ... FROM (subquery) WHERE t.k = s.k: a WHERE of join conditions only bounds
    // nothing (a backfill computed from the table itself).
    const joinOnly =
      Boolean(update?.fromClause?.length) && where !== undefined && conjuncts(where).every(isJoinCondition);
    if (where && !joinOnly) return;
    yield {
      message: `${update ? 'UPDATE' : 'DELETE'} of every row of ${context.name(target)} in one statement${joinOnly ? ' (its WHERE only joins)' : ''}`,
      help: `Process ${context.name(target)} in batches (WHERE id > $last ORDER BY id LIMIT 5000, or ctid ranges), each batch in its own transaction, so row locks are short and autovacuum keeps up.`,
    };
  },
};
