/**
 * Reference cycles: required references that form a loop leave no row that could be inserted
 * first. A cycle through at least one optional reference is fine (the schema defers that
 * constraint), so only required edges are searched.
 */
import type { SemanticContext } from './context.js';
import type { ReferenceEdge } from './field-checks.js';

export function checkReferenceCycles(context: SemanticContext, edges: readonly ReferenceEdge[]): void {
  for (const cycle of findCycles(edges)) {
    const first = cycle[0]!;
    const cycleText = cycle.map((edge) => `${edge.from}.${edge.field} -> ${edge.to}`).join(', ');
    context.report(
      'BLUEPRINT_REFERENCE_CYCLE',
      { cycle: cycleText },
      context.at(['entities', first.from, 'fields', first.field], true),
      first.from === first.to
        ? `A row cannot point at itself before it exists: \`${first.field}: { type: ${first.to}, optional: true }\`.`
        : `Make one of them optional, e.g. \`${first.field}: { type: ${first.to}, optional: true }\`.`,
    );
  }
}

/** Elementary cycles over the edges, each reported once, starting at its smallest entity name. */
export function findCycles(edges: readonly ReferenceEdge[]): ReferenceEdge[][] {
  const outgoing = new Map<string, ReferenceEdge[]>();
  for (const edge of edges) outgoing.set(edge.from, [...(outgoing.get(edge.from) ?? []), edge]);
  const cycles: ReferenceEdge[][] = [];
  const seen = new Set<string>();
  const visit = (start: string, node: string, trail: ReferenceEdge[], onTrail: Set<string>) => {
    for (const edge of outgoing.get(node) ?? []) {
      if (edge.to === start) {
        const cycle = [...trail, edge];
        const signature = cycle
          .map((item) => `${item.from}.${item.field}`)
          .sort()
          .join('|');
        if (!seen.has(signature)) {
          seen.add(signature);
          cycles.push(cycle);
        }
      } else if (!onTrail.has(edge.to) && edge.to > start) {
        // Only visit names after `start`: a cycle is found once, from its smallest member.
        onTrail.add(edge.to);
        visit(start, edge.to, [...trail, edge], onTrail);
        onTrail.delete(edge.to);
      }
    }
  };
  for (const start of [...outgoing.keys()].sort()) visit(start, start, [], new Set([start]));
  return cycles;
}
