/**
 * The security event trail (`auth_events`): sign-in success and failure, refresh reuse, keys
 * created and revoked, denied access, each with the request id and the client IP. Recording
 * never fails the request: a lost event is logged instead.
 */
import type { FastifyRequest } from 'fastify';
import { AUTH_EVENTS_TABLE } from '../../design/sql/auth-tables.js';
import type { Queryable } from '../db/index.js';

export type SecurityEvent =
  | 'signup'
  | 'login_succeeded'
  | 'login_failed'
  | 'login_throttled'
  | 'logout'
  | 'refresh_reused'
  | 'password_reset_requested'
  | 'password_reset'
  | 'email_verified'
  | 'invitation_created'
  | 'api_key_created'
  | 'api_key_revoked'
  | 'access_denied';

export interface EventFacts {
  readonly userId?: string | null;
  readonly email?: string | null;
  readonly tenantId?: string | null;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export async function recordSecurityEvent(
  db: Queryable,
  request: FastifyRequest,
  event: SecurityEvent,
  facts: EventFacts = {},
): Promise<void> {
  try {
    await db.query(
      `INSERT INTO ${AUTH_EVENTS_TABLE} (event, user_id, actor, email, tenant_id, ip, request_id, detail)
       VALUES ($1, $2::uuid, $3, $4, $5::uuid, $6, $7, $8::jsonb)`,
      [
        event,
        facts.userId ?? null,
        request.principal?.id ?? null,
        facts.email ?? null,
        facts.tenantId ?? null,
        request.ip,
        String(request.id),
        JSON.stringify({ method: request.method, route: request.routeOptions?.url, ...facts.detail }),
      ],
    );
  } catch (error) {
    request.log.error({ err: error, event }, 'security event not recorded');
  }
}
