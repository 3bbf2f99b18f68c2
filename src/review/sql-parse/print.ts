/**
 * Print parse-tree nodes back to SQL with pgsql-deparser: index expressions for comparison, and
 * the statements a fix proposes (the original statement, changed in the tree, then printed).
 */
import { deparseSync } from 'pgsql-deparser';
import type { Node } from './ast.js';

export function printNode(node: Node): string {
  try {
    return deparseSync(node, { pretty: false }).trim();
  } catch {
    // The deparser lags the parser on a few rare nodes; a stable placeholder keeps comparisons sound.
    return JSON.stringify(node);
  }
}

/** A statement ready to paste: printed and terminated. */
export function printStatement(node: Node): string {
  const text = printNode(node);
  return text.endsWith(';') ? text : `${text};`;
}

/** A deep copy of a node, to change it for a fix without touching the reviewed tree. */
export function cloneNode<T>(node: T): T {
  return structuredClone(node);
}
