/**
 * Candidate indexes read from a query's parse tree: for each table in FROM, the columns compared
 * to a parameter or a constant in WHERE (equality first, then one range column), as Dexter and
 * PgHero's heuristics do. Candidates are only suggestions until `proveCandidates` measures them.
 */
import { type Node, parse } from 'libpg-query';
import { nodeAs, stringsOf } from '../sql-parse/ast.js';

export interface IndexCandidate {
  /** The table as written in the query (`orders`, `shop.orders`). */
  readonly table: string;
  readonly columns: readonly string[];
  /** Queries the index is meant for (the first is measured). */
  readonly queries: readonly string[];
  /** Why it is proposed, in words. */
  readonly reason: string;
}

const EQUALITY = new Set(['=']);
const RANGE = new Set(['<', '>', '<=', '>=']);

function isValue(node: Node | undefined): boolean {
  if (!node) return false;
  if (nodeAs(node, 'ParamRef') || nodeAs(node, 'A_Const')) return true;
  const cast = nodeAs(node, 'TypeCast');
  return cast ? isValue(cast.arg) : false;
}

interface Predicates {
  equality: string[];
  range: string[];
}

function collect(
  where: Node | undefined,
  resolve: (fields: string[]) => string | undefined,
  out: Map<string, Predicates>,
): void {
  if (!where) return;
  const bool = nodeAs(where, 'BoolExpr');
  if (bool) {
    // Only AND-ed conditions all narrow the same scan; OR branches need separate indexes.
    if (bool.boolop === 'AND_EXPR') for (const arg of bool.args ?? []) collect(arg, resolve, out);
    return;
  }
  const expr = nodeAs(where, 'A_Expr');
  if (!expr) return;
  const operator = stringsOf(expr.name)[0] ?? '';
  const kind =
    expr.kind === 'AEXPR_IN' || (expr.kind === 'AEXPR_OP' && EQUALITY.has(operator))
      ? 'equality'
      : RANGE.has(operator) && expr.kind === 'AEXPR_OP'
        ? 'range'
        : undefined;
  if (!kind) return;
  const [columnSide, valueSide] = nodeAs(expr.lexpr, 'ColumnRef')
    ? [expr.lexpr, expr.rexpr]
    : [expr.rexpr, expr.lexpr];
  const column = nodeAs(columnSide, 'ColumnRef');
  if (!column || !(isValue(valueSide) || (kind === 'equality' && nodeAs(valueSide, 'List')))) return;
  const fields = stringsOf(column.fields);
  const table = resolve(fields);
  const name = fields[fields.length - 1];
  if (!table || !name) return;
  const entry = out.get(table) ?? { equality: [], range: [] };
  if (!entry[kind].includes(name)) entry[kind].push(name);
  out.set(table, entry);
}

/** Candidates for one query; an empty list when the query is not a single-level SELECT/UPDATE/DELETE. */
export async function candidatesFromQuery(query: string): Promise<IndexCandidate[]> {
  let tree: Awaited<ReturnType<typeof parse>>;
  try {
    tree = await parse(query);
  } catch {
    return [];
  }
  const statement = tree.stmts?.[0]?.stmt;
  const select = nodeAs(statement, 'SelectStmt');
  const update = nodeAs(statement, 'UpdateStmt');
  const remove = nodeAs(statement, 'DeleteStmt');
  const tables = new Map<string, string>();
  const addRange = (node: Node | undefined) => {
    const range = nodeAs(node, 'RangeVar');
    if (range?.relname) {
      const qualified = range.schemaname ? `${range.schemaname}.${range.relname}` : range.relname;
      tables.set(range.alias?.aliasname ?? range.relname, qualified);
      return;
    }
    const join = nodeAs(node, 'JoinExpr');
    if (join) {
      addRange(join.larg);
      addRange(join.rarg);
    }
  };
  let where: Node | undefined;
  if (select) {
    for (const item of select.fromClause ?? []) addRange(item);
    where = select.whereClause;
  } else if (update) {
    addRange({ RangeVar: update.relation! } as Node);
    where = update.whereClause;
  } else if (remove) {
    addRange({ RangeVar: remove.relation! } as Node);
    where = remove.whereClause;
  }
  if (tables.size === 0) return [];
  const only = tables.size === 1 ? [...tables.values()][0] : undefined;
  const resolve = (fields: string[]) => (fields.length > 1 ? tables.get(fields[fields.length - 2]!) : only);
  const predicates = new Map<string, Predicates>();
  collect(where, resolve, predicates);
  const candidates: IndexCandidate[] = [];
  for (const [table, { equality, range }] of predicates) {
    const columns = [
      ...equality.slice(0, 3),
      ...range.filter((c) => !equality.includes(c)).slice(0, 1),
    ].slice(0, 3);
    if (columns.length === 0) continue;
    candidates.push({
      table,
      columns,
      queries: [query],
      reason: `filters ${table} on ${columns.join(', ')}`,
    });
  }
  return candidates;
}
