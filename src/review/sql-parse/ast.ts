/**
 * Typed access to the PostgreSQL parse tree (libpg-query's JSON, typed by @pgsql/types).
 * Every node is an object with a single key naming its kind: `{ ColumnDef: {...} }`.
 */
import type { Node, RangeVar, TypeName } from 'libpg-query';

type KeysOfUnion<T> = T extends T ? keyof T : never;
/** Every node kind the parser can produce: `CreateStmt`, `ColumnDef`, `A_Const`, ... */
export type NodeKind = KeysOfUnion<Node> & string;
export type NodeOf<K extends NodeKind> = Extract<Node, Record<K, unknown>>[K];

export function kindOf(node: Node | undefined): NodeKind | undefined {
  if (!node) return undefined;
  for (const key in node) return key as NodeKind;
  return undefined;
}

/** The node's payload when it is of the given kind. */
export function nodeAs<K extends NodeKind>(node: Node | undefined, kind: K): NodeOf<K> | undefined {
  if (!node || !(kind in node)) return undefined;
  return (node as unknown as Record<K, NodeOf<K>>)[kind];
}

/** Strings of a `String` list (qualified names, column lists). */
export function stringsOf(nodes: readonly Node[] | undefined): string[] {
  const out: string[] = [];
  for (const node of nodes ?? []) {
    const value = nodeAs(node, 'String')?.sval;
    if (value !== undefined) out.push(value);
  }
  return out;
}

/** Objects of a DropStmt/CommentStmt are `List`s of names (or a TypeName for types). */
export function nameListOf(node: Node | undefined): string[] {
  const list = nodeAs(node, 'List');
  if (list) return stringsOf(list.items);
  const typeName = nodeAs(node, 'TypeName');
  if (typeName) return stringsOf(typeName.names);
  const single = nodeAs(node, 'String')?.sval;
  return single === undefined ? [] : [single];
}

export const DEFAULT_SCHEMA = 'public';

/** `schema.name` key used for every relation lookup; unqualified names live in `public`. */
export function relationKey(schema: string | undefined, name: string): string {
  return `${schema ?? DEFAULT_SCHEMA}.${name}`;
}

export function keyOfRangeVar(range: RangeVar | undefined): string | undefined {
  if (!range?.relname) return undefined;
  return relationKey(range.schemaname, range.relname);
}

/** Key for a qualified name list (`['public','orders']` or `['orders']`). */
export function keyOfNames(names: readonly string[]): string | undefined {
  if (names.length === 0) return undefined;
  const name = names[names.length - 1]!;
  const schema = names.length > 1 ? names[names.length - 2] : undefined;
  return relationKey(schema, name);
}

/** Display name: drop the default schema so messages read like the user's SQL. */
export function displayName(key: string): string {
  return key.startsWith(`${DEFAULT_SCHEMA}.`) ? key.slice(DEFAULT_SCHEMA.length + 1) : key;
}

/** A constant's value (integer, float, string, boolean), or undefined when not a constant. */
export function constantValue(node: Node | undefined): string | number | boolean | null | undefined {
  const constant = nodeAs(node, 'A_Const');
  if (!constant) return undefined;
  if (constant.isnull) return null;
  if (constant.ival) return constant.ival.ival ?? 0;
  if (constant.fval) return Number(constant.fval.fval);
  if (constant.sval) return constant.sval.sval ?? '';
  if (constant.boolval) return constant.boolval.boolval ?? false;
  return undefined;
}

/** Visit every node under `root` (depth first), including nested lists. */
export function walk(root: unknown, visit: (kind: string, payload: Record<string, unknown>) => void): void {
  if (Array.isArray(root)) {
    for (const item of root) walk(item, visit);
    return;
  }
  if (root === null || typeof root !== 'object') return;
  for (const [key, value] of Object.entries(root)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && /^[A-Z]/.test(key)) {
      visit(key, value as Record<string, unknown>);
    }
    walk(value, visit);
  }
}

/** Names of functions called anywhere in an expression, lower-cased and unqualified. */
export function calledFunctions(expression: Node | undefined): string[] {
  const names: string[] = [];
  walk(expression, (kind, payload) => {
    if (kind === 'FuncCall') {
      const parts = stringsOf(payload.funcname as Node[]);
      const last = parts[parts.length - 1];
      if (last) names.push(last.toLowerCase());
    }
    if (kind === 'SQLValueFunction') names.push(String(payload.op ?? '').toLowerCase());
  });
  return names;
}

/** Column names referenced in an expression (last field of each ColumnRef). */
export function referencedColumns(expression: Node | undefined): string[] {
  const names = new Set<string>();
  walk(expression, (kind, payload) => {
    if (kind !== 'ColumnRef') return;
    const parts = stringsOf(payload.fields as Node[]);
    const last = parts[parts.length - 1];
    if (last) names.add(last);
  });
  return [...names];
}

export type { Node, RangeVar, TypeName };
