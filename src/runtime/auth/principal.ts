/**
 * The caller as the identity layer sets it on `request.principal`, and the questions the
 * authorization code asks of it.
 */
import type { FastifyRequest } from 'fastify';
import type { AccessRule, Role } from '../../blueprint/model.js';
import { ArchitectError } from '../../errors.js';
import type { Principal } from '../server/app.js';

export interface AuthPrincipal extends Principal {
  /** The account acting (for an API key: the account that made it). Owner columns hold this. */
  readonly userId: string;
  readonly method: 'jwt' | 'cookie' | 'api_key';
  /** API key id, when the caller used one. */
  readonly keyId?: string;
  /** Refresh family of the session the access token came from. */
  readonly sessionId?: string;
  /** SHA-256 of the session's CSRF token (cookie sessions check the header against it). */
  readonly csrfHash?: string;
}

export function principalOf(request: FastifyRequest): AuthPrincipal | null {
  return (request.principal as AuthPrincipal | null) ?? null;
}

export function hasAnyRole(principal: Principal | null, roles: readonly Role[]): boolean {
  return principal !== null && roles.some((role) => principal.roles.includes(role));
}

/** Does the rule let this caller in? `any` lets everyone, `none` nobody. */
export function allows(rule: AccessRule, principal: Principal | null): boolean {
  switch (rule.kind) {
    case 'any':
      return true;
    case 'authenticated':
      return principal !== null;
    case 'roles':
      return hasAnyRole(principal, rule.roles);
    case 'none':
      return false;
  }
}

/** 401 for an anonymous caller, 403 for a signed-in one: the refusal a failed rule gets. */
export function refusal(principal: Principal | null, action: string): ArchitectError {
  return principal === null
    ? new ArchitectError('UNAUTHENTICATED', {}, { headers: { 'www-authenticate': 'Bearer' } })
    : new ArchitectError('FORBIDDEN', { action });
}
