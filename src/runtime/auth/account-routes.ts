/**
 * What a signed-in account manages and how a lost one is recovered: API keys (shown once,
 * stored hashed, bound to a subset of the caller's roles), password reset and email
 * verification with single-use expiring tokens sent through the mailer, and invitations.
 */
import { accountAdminAccess } from '../../design/api/auth-operations.js';
import { ArchitectError } from '../../errors.js';
import {
  findAccount,
  findAccountByEmail,
  markEmailVerified,
  normalizeEmail,
  setPassword,
} from './accounts.js';
import { createApiKey, findApiKey, listApiKeys, revokeApiKey } from './api-keys.js';
import type { IdentityContext } from './identity-context.js';
import { issueOneTimeToken, useOneTimeToken } from './one-time-tokens.js';
import { hashPassword } from './passwords.js';
import { allows, refusal } from './principal.js';
import { revokeAllFamilies } from './refresh-tokens.js';
import { recordSecurityEvent } from './security-events.js';
import { type AuthHandler, checkRoles, requireSignedIn, sendVerification } from './session-routes.js';

const ACCEPTED = { status: 'accepted' } as const;

export function createApiKeyHandler(context: IdentityContext): AuthHandler {
  return async (request, reply) => {
    const principal = requireSignedIn(request, 'create API keys');
    if (principal.method === 'api_key') {
      throw new ArchitectError('FORBIDDEN', { action: 'create API keys with an API key' });
    }
    const body = request.body as { name: string; roles?: string[]; expiresAt?: string };
    const roles = body.roles ?? [...principal.roles];
    const beyond = roles.filter((role) => !principal.roles.includes(role));
    if (beyond.length > 0) {
      throw new ArchitectError('FORBIDDEN', {
        action: `give a key roles you do not hold (${beyond.join(', ')})`,
      });
    }
    const { key, record } = await createApiKey(context.driver, {
      userId: principal.userId,
      name: body.name,
      roles: [...new Set(roles)],
      tenantId: principal.tenantId ?? null,
      expiresAt: body.expiresAt ?? null,
    });
    await recordSecurityEvent(context.driver, request, 'api_key_created', {
      userId: principal.userId,
      tenantId: principal.tenantId ?? null,
      detail: { key: record.id, prefix: record.prefix, roles: record.roles },
    });
    reply.code(201).header('location', `${context.model.api.basePath}/auth/api-keys/${record.id}`);
    return { key, apiKey: record };
  };
}

/** Cursor of the key list: the last key id, base64url. */
function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) {
    throw new ArchitectError('MALFORMED_REQUEST', { detail: 'cursor is not a cursor of this list' });
  }
  return id;
}

export function listApiKeysHandler(context: IdentityContext): AuthHandler {
  return async (request) => {
    const principal = requireSignedIn(request, 'list API keys');
    const query = request.query as { limit?: number; cursor?: string };
    const limit = query.limit ?? context.model.api.pagination.defaultLimit;
    const rows = await listApiKeys(context.driver, principal.userId, {
      limit: limit + 1,
      afterId: decodeCursor(query.cursor),
    });
    const data = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? Buffer.from(data.at(-1)!.id).toString('base64url') : null;
    return { data, page: { limit, nextCursor } };
  };
}

export function readApiKeyHandler(context: IdentityContext): AuthHandler {
  return async (request) => {
    const principal = requireSignedIn(request, 'read API keys');
    const { id } = request.params as { id: string };
    const record = await findApiKey(context.driver, principal.userId, id);
    if (!record) throw new ArchitectError('NOT_FOUND', { resource: 'API key' });
    return record;
  };
}

export function revokeApiKeyHandler(context: IdentityContext): AuthHandler {
  return async (request, reply) => {
    const principal = requireSignedIn(request, 'revoke API keys');
    const { id } = request.params as { id: string };
    if (!(await revokeApiKey(context.driver, principal.userId, id))) {
      throw new ArchitectError('NOT_FOUND', { resource: 'API key' });
    }
    await recordSecurityEvent(context.driver, request, 'api_key_revoked', {
      userId: principal.userId,
      tenantId: principal.tenantId ?? null,
      detail: { key: id },
    });
    return reply.code(204).send();
  };
}

export function requestPasswordResetHandler(context: IdentityContext): AuthHandler {
  const { driver, limits } = context;
  return async (request, reply) => {
    const email = normalizeEmail((request.body as { email: string }).email);
    // Per IP, and per address so that nobody floods one mailbox.
    await limits.limitLogin(request, reply, `reset:${email}`);
    await limits.loginFailed(`reset:${email}`);
    const account = await findAccountByEmail(driver, email);
    await recordSecurityEvent(driver, request, 'password_reset_requested', {
      userId: account?.id ?? null,
      email,
    });
    if (account && !account.disabledAt) {
      const token = await issueOneTimeToken(driver, 'reset', { email, userId: account.id });
      await context.mailer.send({
        to: email,
        subject: `Reset your ${context.model.title} password`,
        text: `Set a new password with this token (valid 30 minutes, once): ${token}\nPOST ${context.model.api.basePath}/auth/password-reset/confirm {"token": "...", "password": "..."}\nIf you did not ask for it, ignore this message.`,
        data: { purpose: 'reset', token },
      });
    }
    reply.code(202);
    return ACCEPTED;
  };
}

export function confirmPasswordResetHandler(context: IdentityContext): AuthHandler {
  const { driver } = context;
  return async (request, reply) => {
    await context.limits.limitLogin(request, reply);
    const body = request.body as { token: string; password: string };
    const passwordHash = await hashPassword(body.password);
    const userId = await driver.transaction(async (tx) => {
      const token = await useOneTimeToken(tx, 'reset', body.token);
      if (!token?.userId) return undefined;
      await setPassword(tx, token.userId, passwordHash);
      // A reset proves the address, and ends every session a thief may hold.
      await markEmailVerified(tx, token.userId);
      await revokeAllFamilies(tx, token.userId);
      return token.userId;
    });
    if (!userId) throw new ArchitectError('INVALID_TOKEN', { purpose: 'reset' });
    await recordSecurityEvent(driver, request, 'password_reset', { userId });
    return reply.code(204).send();
  };
}

export function requestVerificationHandler(context: IdentityContext): AuthHandler {
  return async (request, reply) => {
    const principal = requireSignedIn(request, 'verify an address');
    await context.limits.limitLogin(request, reply, `verify:${principal.userId}`);
    await context.limits.loginFailed(`verify:${principal.userId}`);
    const account = await findAccount(context.driver, principal.userId);
    if (account && !account.emailVerifiedAt) await sendVerification(context, account);
    reply.code(202);
    return ACCEPTED;
  };
}

export function confirmVerificationHandler(context: IdentityContext): AuthHandler {
  const { driver } = context;
  return async (request, reply) => {
    await context.limits.limitLogin(request, reply);
    const token = await useOneTimeToken(driver, 'verify', (request.body as { token: string }).token);
    if (!token?.userId) throw new ArchitectError('INVALID_TOKEN', { purpose: 'verification' });
    await markEmailVerified(driver, token.userId);
    await recordSecurityEvent(driver, request, 'email_verified', {
      userId: token.userId,
      email: token.email,
    });
    return reply.code(204).send();
  };
}

export function createInvitationHandler(context: IdentityContext): AuthHandler {
  const { driver, model } = context;
  return async (request, reply) => {
    const principal = requireSignedIn(request, 'invite people');
    if (!allows(accountAdminAccess(model), principal)) throw refusal(principal, 'invite people');
    const body = request.body as { email: string; roles?: string[] };
    const email = normalizeEmail(body.email);
    const roles = body.roles ?? [...model.auth.defaultRoles];
    checkRoles(context, roles);
    const token = await issueOneTimeToken(driver, 'invite', {
      email,
      roles,
      tenantId: principal.tenantId ?? null,
      createdBy: principal.userId,
    });
    await context.mailer.send({
      to: email,
      subject: `You are invited to ${model.title}`,
      text: `Sign up with this invitation (valid seven days, once): ${token}\nPOST ${model.api.basePath}/auth/signup {"email": "${email}", "password": "...", "invitation": "..."}`,
      data: { purpose: 'invite', token },
    });
    await recordSecurityEvent(driver, request, 'invitation_created', {
      userId: principal.userId,
      email,
      tenantId: principal.tenantId ?? null,
      detail: { roles },
    });
    reply.code(202);
    return ACCEPTED;
  };
}
