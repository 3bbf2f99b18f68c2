/**
 * Security: `auth.users`, `auth.default_roles`, `tenancy.members`, `tenancy.creator_role`, each
 * entity's `owner`, and the per-field `visible_to` / `writable_by` roles. Every name must resolve
 * and every role must be declared, because an unresolved row rule would silently open rows.
 */
import { didYouMean } from '../diagnostics.js';
import type { PathSegment } from '../source.js';
import { checkAccessRule } from './access-checks.js';
import { type Dict, entries, fieldOf, isDict, type SemanticContext, strings } from './context.js';

/** Tables the identity layer creates; an entity may not take one of their names. */
export const AUTH_TABLES: ReadonlySet<string> = new Set([
  'auth_users',
  'auth_refresh_tokens',
  'auth_api_keys',
  'auth_one_time_tokens',
  'auth_events',
]);

function roles(context: SemanticContext, value: unknown, path: readonly PathSegment[]): void {
  if (Array.isArray(value)) checkAccessRule(context, value, path);
}

function entityRef(context: SemanticContext, name: unknown, path: readonly PathSegment[]): Dict | undefined {
  if (typeof name !== 'string') return undefined;
  const entity = context.entities.get(name);
  if (!entity) {
    context.report(
      'BLUEPRINT_UNKNOWN_ENTITY',
      { entity: name, where: `\`${path.join('.')}\`` },
      context.at(path),
      didYouMean(name, [...context.entities.keys()]),
    );
  }
  return entity;
}

/** The required reference field of `entity` pointing at `target`. */
function requiredReference(entity: Dict, target: string): string | undefined {
  for (const [name, value] of entries(entity.fields)) {
    const field = fieldOf(value);
    if (field?.type === target && field.optional !== true) return name;
  }
  return undefined;
}

function checkMembers(context: SemanticContext, tenancy: Dict, usersEntity: string | undefined): void {
  const path = ['tenancy', 'members'];
  const members = entityRef(context, tenancy.members, path);
  if (!members || typeof tenancy.by !== 'string') return;
  const problems: string[] = [];
  if (!requiredReference(members, tenancy.by)) problems.push(`a required reference to \`${tenancy.by}\``);
  if (!usersEntity) problems.push('`auth.users` naming the entity of accounts');
  else if (!requiredReference(members, usersEntity))
    problems.push(`a required reference to \`${usersEntity}\``);
  if (!isDict(members.fields) || members.fields.role === undefined) problems.push('a `role` field');
  if (problems.length > 0) {
    context.report(
      'BLUEPRINT_UNSUPPORTED_COMBINATION',
      { detail: `\`tenancy.members: ${String(tenancy.members)}\` needs ${problems.join(', ')}` },
      context.at(path),
      'Memberships link an account to a tenant with a role.',
    );
  }
}

function checkOwner(
  context: SemanticContext,
  name: string,
  entity: Dict,
  usersEntity: string | undefined,
): void {
  const owner = entity.owner;
  if (owner === undefined) return;
  const base = ['entities', name, 'owner'];
  const spec = typeof owner === 'string' ? { field: owner } : isDict(owner) ? owner : undefined;
  if (!spec || typeof spec.field !== 'string') return;
  const fieldPath = typeof owner === 'string' ? base : [...base, 'field'];
  const field = isDict(entity.fields) ? fieldOf(entity.fields[spec.field]) : undefined;
  if (!field) {
    context.report(
      'BLUEPRINT_UNKNOWN_FIELD',
      { field: spec.field, where: '`owner`', entity: name },
      context.at(fieldPath),
      didYouMean(
        spec.field,
        entries(entity.fields).map(([fieldName]) => fieldName),
      ),
    );
  } else if (field.type !== 'uuid' && field.type !== usersEntity) {
    context.report(
      'BLUEPRINT_INVALID_VALUE',
      {
        where: `\`entities.${name}.owner\``,
        detail: `the owner field \`${spec.field}\` must be a \`uuid\` or a reference to the accounts entity${usersEntity ? ` \`${usersEntity}\`` : ''}`,
      },
      context.at(fieldPath),
      usersEntity
        ? `Write \`${spec.field}: { type: ${usersEntity} }\`.`
        : 'Write `type: uuid`, or name the accounts entity in `auth.users`.',
    );
  }
  roles(context, spec.except, [...base, 'except']);
}

function checkFieldRoles(context: SemanticContext, name: string, entity: Dict): void {
  for (const [fieldName, value] of entries(entity.fields)) {
    const field = fieldOf(value);
    if (!field) continue;
    for (const key of ['visible_to', 'writable_by']) {
      roles(context, field[key], ['entities', name, 'fields', fieldName, key]);
    }
    if (field.visible_to !== undefined && strings(entity.key).includes(fieldName)) {
      context.report(
        'BLUEPRINT_UNSUPPORTED_COMBINATION',
        { detail: `key field \`${fieldName}\` of \`${name}\` cannot be hidden with \`visible_to\`` },
        context.at(['entities', name, 'fields', fieldName, 'visible_to'], true),
        'Every reader of a row sees its key.',
      );
    }
  }
}

export function checkSecurity(context: SemanticContext): void {
  const { root } = context;
  const auth = isDict(root.auth) ? root.auth : {};
  const usersEntity = typeof auth.users === 'string' ? auth.users : undefined;
  entityRef(context, auth.users, ['auth', 'users']);
  roles(context, auth.default_roles, ['auth', 'default_roles']);
  if (isDict(root.tenancy)) {
    if (root.tenancy.members !== undefined) checkMembers(context, root.tenancy, usersEntity);
    if (typeof root.tenancy.creator_role === 'string') {
      checkAccessRule(context, [root.tenancy.creator_role], ['tenancy', 'creator_role']);
    }
  }
  for (const [name, entity] of context.entities) {
    checkOwner(context, name, entity, usersEntity);
    checkFieldRoles(context, name, entity);
    const table = typeof entity.plural === 'string' ? entity.plural : `${name}s`;
    if (AUTH_TABLES.has(table)) {
      context.report(
        'BLUEPRINT_NAME_COLLISION',
        { name, other: `the identity table \`${table}\`` },
        context.at(['entities', name], true),
        'Pick another entity name.',
      );
    }
  }
}
