/**
 * Lifecycles agree with themselves: the initial state is declared, transitions start from and
 * lead to declared states, no transition loops on one state, and no two transitions move the
 * same edge. A state no transition reaches is allowed: actions may set it (the flagship's
 * `received` is reached only by the receive action).
 */
import { didYouMean } from '../diagnostics.js';
import type { PathSegment } from '../source.js';
import { checkAccessRule } from './access-checks.js';
import { type EntityScope, entries, isDict, type SemanticContext, strings } from './context.js';
import { checkName } from './name-checks.js';

export function checkLifecycle(context: SemanticContext, scope: EntityScope): void {
  const lifecycle = scope.lifecycle;
  if (!lifecycle) return;
  const { at, report } = context;
  const path = [...scope.base, 'lifecycle'];
  const states = strings(lifecycle.states);
  const stateSet = new Set(states);
  const problem = (detail: string, where: readonly PathSegment[], hint?: string, key = false) =>
    report('BLUEPRINT_LIFECYCLE', { entity: scope.name, detail }, at(where, key), hint);

  if (Array.isArray(lifecycle.states)) {
    states.forEach((state, index) => {
      checkName(context, state, 'state', [...path, 'states', index], { isListItem: true });
    });
  }
  const initial = typeof lifecycle.initial === 'string' ? lifecycle.initial : undefined;
  if (initial !== undefined && !stateSet.has(initial)) {
    problem(
      `initial state \`${initial}\` is not in states`,
      [...path, 'initial'],
      didYouMean(initial, states) ?? `Add \`${initial}\` to \`states\`.`,
    );
  }

  const seenEdges = new Map<string, string>();
  for (const [name, transition] of entries(lifecycle.transitions)) {
    const transitionPath = [...path, 'transitions', name];
    checkName(context, name, 'transition', transitionPath);
    if (!isDict(transition)) continue;
    const from = strings(transition.from);
    from.forEach((state, index) => {
      if (!stateSet.has(state)) {
        problem(
          `transition \`${name}\` starts from unknown state \`${state}\``,
          Array.isArray(transition.from) ? [...transitionPath, 'from', index] : [...transitionPath, 'from'],
          didYouMean(state, states),
        );
      }
    });
    if (typeof transition.to === 'string') {
      const to = transition.to;
      if (!stateSet.has(to)) {
        problem(
          `transition \`${name}\` leads to unknown state \`${to}\``,
          [...transitionPath, 'to'],
          didYouMean(to, states),
        );
      } else if (from.includes(to)) {
        problem(`transition \`${name}\` goes from \`${to}\` to itself`, [...transitionPath, 'to']);
      }
      for (const state of from) {
        const edge = `${state}->${to}`;
        const other = seenEdges.get(edge);
        if (other) {
          problem(
            `transitions \`${other}\` and \`${name}\` both move ${state} to ${to}`,
            transitionPath,
            'Merge them into one transition.',
            true,
          );
        }
        seenEdges.set(edge, name);
      }
    }
    if (transition.roles !== undefined)
      checkAccessRule(context, transition.roles, [...transitionPath, 'roles']);
  }
}
