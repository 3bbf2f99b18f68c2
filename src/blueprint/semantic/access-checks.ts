/**
 * Access rules: every role named in `access` or in a transition is declared under `auth.roles`;
 * audiences (`any`, `authenticated`, `none`) are written alone, not inside a role list.
 */
import { didYouMean } from '../diagnostics.js';
import type { PathSegment } from '../source.js';
import { ACCESS_AUDIENCES, type EntityScope, entries, type SemanticContext, strings } from './context.js';

/** Check one access rule (an audience or a list of roles) at `path`. */
export function checkAccessRule(context: SemanticContext, rule: unknown, path: readonly PathSegment[]): void {
  const { roles, at, report } = context;
  if (typeof rule === 'string') {
    // A bare role (`write: admin`) is a structural error with its own hint; only say more when
    // the word is neither an audience nor a declared role.
    if (!ACCESS_AUDIENCES.has(rule) && !roles.has(rule)) {
      report(
        'BLUEPRINT_UNKNOWN_ROLE',
        { role: rule },
        at(path),
        didYouMean(rule, [...roles, ...ACCESS_AUDIENCES]) ?? 'Declare it under `auth.roles`.',
      );
    }
    return;
  }
  strings(rule).forEach((role, index) => {
    if (ACCESS_AUDIENCES.has(role)) {
      report(
        'BLUEPRINT_INVALID_VALUE',
        {
          where: `\`${path.join('.')}\``,
          detail: `\`${role}\` is an audience, not a role`,
        },
        at([...path, index]),
        `Write \`${String(path.at(-1))}: ${role}\` without the list.`,
      );
    } else if (!roles.has(role)) {
      report(
        'BLUEPRINT_UNKNOWN_ROLE',
        { role },
        at([...path, index]),
        didYouMean(role, roles) ?? 'Declare it under `auth.roles`.',
      );
    }
  });
}

/**
 * The entity's `access` block: every role is declared. `write` sets create, update and delete
 * at once; a specific key next to it overrides it for that operation (`write: authenticated,
 * delete: [admin]`).
 */
export function checkEntityAccess(context: SemanticContext, scope: EntityScope): void {
  for (const [operation, rule] of entries(scope.raw.access)) {
    checkAccessRule(context, rule, [...scope.base, 'access', operation]);
  }
}
