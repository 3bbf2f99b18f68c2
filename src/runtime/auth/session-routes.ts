/**
 * Sessions: sign-up (per `auth.signup`), login, refresh with rotation and reuse detection,
 * logout and `GET /auth/me`. Tokens go in the body for API clients and in cookies for browsers.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { accountAdminAccess } from '../../design/api/auth-operations.js';
import { ArchitectError } from '../../errors.js';
import { signAccessToken } from './access-tokens.js';
import {
  type Account,
  addMembership,
  createAccount,
  findAccount,
  findAccountByEmail,
  membershipsOf,
  normalizeEmail,
  sessionScope,
  setPassword,
} from './accounts.js';
import { CSRF_COOKIE, checkCsrf, clearSessionCookies, REFRESH_COOKIE, setSessionCookies } from './cookies.js';
import type { IdentityContext } from './identity-context.js';
import { issueOneTimeToken, useOneTimeToken } from './one-time-tokens.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { type AuthPrincipal, allows, principalOf, refusal } from './principal.js';
import { familyOfRefreshToken, issueRefreshToken, revokeFamily, useRefreshToken } from './refresh-tokens.js';
import { randomSecret, sha256 } from './secrets.js';
import { recordSecurityEvent } from './security-events.js';

export type AuthHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

interface AuthUser {
  id: string;
  email: string;
  roles: string[];
  tenantId: string | null;
  emailVerified: boolean;
  method: string;
  tenants: { tenantId: string; role: string }[];
}

async function describeUser(
  context: IdentityContext,
  account: Account,
  scope: { tenantId: string | null; roles: readonly string[] },
  method: string,
): Promise<AuthUser> {
  return {
    id: account.id,
    email: account.email,
    roles: [...scope.roles],
    tenantId: scope.tenantId,
    emailVerified: account.emailVerifiedAt !== null,
    method,
    tenants: await membershipsOf(context.driver, context.model, account.id),
  };
}

/** Sign the access token, set the cookies and answer the session body. */
async function answerSession(
  context: IdentityContext,
  reply: FastifyReply,
  account: Account,
  scope: { tenantId: string | null; roles: string[] },
  refresh: { token: string; familyId: string; expiresAt: string },
) {
  const csrfToken = randomSecret(24);
  const accessToken = await signAccessToken(context.keys, context.tokens, {
    sub: account.id,
    roles: scope.roles,
    ...(scope.tenantId ? { tid: scope.tenantId } : {}),
    sid: refresh.familyId,
    csh: sha256(csrfToken),
  });
  setSessionCookies(reply, context.cookies, {
    accessToken,
    accessTtlSeconds: context.tokens.ttlSeconds,
    refreshToken: refresh.token,
    refreshExpiresAt: refresh.expiresAt,
    csrfToken,
  });
  return {
    accessToken,
    tokenType: 'Bearer',
    expiresIn: context.tokens.ttlSeconds,
    refreshToken: refresh.token,
    refreshExpiresAt: refresh.expiresAt,
    csrfToken,
    user: await describeUser(context, account, scope, 'password'),
  };
}

async function startSession(
  context: IdentityContext,
  reply: FastifyReply,
  account: Account,
  scope: { tenantId: string | null; roles: string[] },
) {
  const refresh = await issueRefreshToken(
    context.driver,
    { userId: account.id, tenantId: scope.tenantId },
    context.model.auth.tokens.refreshTtlSeconds,
  );
  return answerSession(context, reply, account, scope, refresh);
}

/** 422 naming every role the blueprint does not declare. */
export function checkRoles(context: IdentityContext, roles: readonly string[]): void {
  const unknown = roles.filter((role) => !context.model.auth.roles.includes(role));
  if (unknown.length > 0) {
    throw new ArchitectError(
      'VALIDATION_FAILED',
      {},
      {
        details: unknown.map((role) => ({
          field: 'roles',
          code: 'enum',
          message: `${role} is not a role of this API`,
        })),
      },
    );
  }
}

export async function sendVerification(context: IdentityContext, account: Account): Promise<void> {
  const token = await issueOneTimeToken(context.driver, 'verify', {
    email: account.email,
    userId: account.id,
  });
  await context.mailer.send({
    to: account.email,
    subject: `Confirm your address for ${context.model.title}`,
    text: `Confirm your address with this token (valid two days): ${token}\nPOST ${context.model.api.basePath}/auth/email-verification/confirm {"token": "..."}`,
    data: { purpose: 'verify', token },
  });
}

interface SignUpBody {
  email: string;
  password: string;
  invitation?: string;
  roles?: string[];
  profile?: Record<string, unknown>;
}

export function signUpHandler(context: IdentityContext): AuthHandler {
  const { model, driver } = context;
  return async (request, reply) => {
    const body = request.body as SignUpBody;
    await context.limits.limitLogin(request, reply);
    const principal = principalOf(request);
    // `admin`: an admin creates the account (and may give roles); otherwise people sign
    // themselves up, and nobody chooses their own roles.
    const isAdmin = model.auth.signup === 'admin';
    if (isAdmin && !(principal && allows(accountAdminAccess(model), principal))) {
      throw refusal(principal, 'create accounts');
    }
    if (body.roles !== undefined && !isAdmin) {
      throw new ArchitectError('FORBIDDEN', { action: 'choose roles at sign-up' });
    }
    const email = normalizeEmail(body.email);
    // Before an invitation is used up, so that a taken address does not burn it.
    if (await findAccountByEmail(driver, email)) {
      throw new ArchitectError('UNIQUE_VIOLATION', { resource: 'account', fields: 'email' });
    }
    let roles = body.roles ?? [...model.auth.defaultRoles];
    let invitation: Awaited<ReturnType<typeof useOneTimeToken>>;
    if (model.auth.signup === 'invite') {
      if (!body.invitation) throw new ArchitectError('SIGNUP_CLOSED', { detail: 'needs an invitation' });
      invitation = await useOneTimeToken(driver, 'invite', body.invitation);
      if (!invitation || normalizeEmail(invitation.email) !== email) {
        throw new ArchitectError('INVALID_TOKEN', { purpose: 'invitation' });
      }
      if (!invitation.tenantId && invitation.roles.length > 0) roles = invitation.roles;
    }
    checkRoles(context, roles);
    const passwordHash = await hashPassword(body.password);
    const account = await driver.transaction(async (tx) => {
      const created = await createAccount(tx, model, {
        email,
        passwordHash,
        roles,
        profile: body.profile,
        emailVerified: invitation !== undefined,
      });
      // A tenant invitation's role is the membership role in that tenant.
      if (invitation?.tenantId) {
        await addMembership(tx, model, invitation.tenantId, created.id, invitation.roles[0] ?? 'member');
      }
      return created;
    });
    await recordSecurityEvent(driver, request, 'signup', {
      userId: account.id,
      email,
      detail: { policy: model.auth.signup, byAdmin: isAdmin },
    });
    if (!account.emailVerifiedAt) await sendVerification(context, account);
    reply.code(201);
    if (!isAdmin) reply.header('location', `${model.api.basePath}/auth/me`);
    if (isAdmin) return describeUser(context, account, { tenantId: null, roles: account.roles }, 'password');
    return startSession(context, reply, account, await sessionScope(driver, model, account));
  };
}

export function loginHandler(context: IdentityContext): AuthHandler {
  const { model, driver, limits } = context;
  return async (request, reply) => {
    const body = request.body as { email: string; password: string; tenantId?: string };
    const email = normalizeEmail(body.email);
    try {
      await limits.limitLogin(request, reply, email);
    } catch (error) {
      await recordSecurityEvent(driver, request, 'login_throttled', { email });
      throw error;
    }
    const account = await findAccountByEmail(driver, email);
    const check = await verifyPassword(account?.passwordHash, body.password);
    if (!account || !check.isValid || account.disabledAt) {
      await limits.loginFailed(email);
      await recordSecurityEvent(driver, request, 'login_failed', {
        userId: account?.id ?? null,
        email,
        detail: { reason: account ? (account.disabledAt ? 'disabled' : 'password') : 'unknown account' },
      });
      throw new ArchitectError('INVALID_CREDENTIALS');
    }
    if (check.needsRehash) {
      await setPassword(driver, account.id, await hashPassword(body.password));
    }
    await limits.loginSucceeded(email);
    const scope = await sessionScope(driver, model, account, body.tenantId);
    const answer = await startSession(context, reply, account, scope);
    await recordSecurityEvent(driver, request, 'login_succeeded', {
      userId: account.id,
      email,
      tenantId: scope.tenantId,
    });
    return answer;
  };
}

/** The refresh token of the body, else of the cookie (which needs the CSRF proof). */
function presentedRefreshToken(context: IdentityContext, request: FastifyRequest): string | undefined {
  const body = request.body as { refreshToken?: string } | undefined;
  if (body?.refreshToken) return body.refreshToken;
  const cookie = request.cookies?.[REFRESH_COOKIE];
  if (!cookie) return undefined;
  checkCsrf(request, context.allowedOrigins);
  return cookie;
}

export function refreshHandler(context: IdentityContext): AuthHandler {
  const { model, driver } = context;
  return async (request, reply) => {
    await context.limits.limitLogin(request, reply);
    const token = presentedRefreshToken(context, request);
    if (!token)
      throw new ArchitectError('UNAUTHENTICATED', {}, { message: 'No refresh token was presented' });
    const body = request.body as { tenantId?: string } | undefined;
    const outcome = await driver.transaction(async (tx) => {
      const used = await useRefreshToken(tx, token);
      if (used.status !== 'rotated') return used;
      const account = await findAccount(tx, used.family.userId);
      if (!account || account.disabledAt) {
        await revokeFamily(tx, used.family.familyId);
        return { status: 'invalid' as const };
      }
      const scope = await sessionScope(tx, model, account, body?.tenantId ?? used.family.tenantId);
      const refresh = await issueRefreshToken(
        tx,
        { familyId: used.family.familyId, userId: account.id, tenantId: scope.tenantId },
        model.auth.tokens.refreshTtlSeconds,
        used.expiresAt,
      );
      return { status: 'rotated' as const, account, scope, refresh };
    });
    if (outcome.status === 'reused') {
      // Whoever holds the session's access tokens (the thief or the owner) loses them too.
      context.sessions.revoked(outcome.family.familyId);
      await recordSecurityEvent(driver, request, 'refresh_reused', {
        userId: outcome.family.userId,
        tenantId: outcome.family.tenantId,
        detail: { family: outcome.family.familyId },
      });
      clearSessionCookies(reply, context.cookies);
      throw new ArchitectError(
        'UNAUTHENTICATED',
        {},
        { message: 'The refresh token was already used; the session is revoked, sign in again' },
      );
    }
    if (outcome.status === 'invalid') {
      clearSessionCookies(reply, context.cookies);
      throw new ArchitectError('UNAUTHENTICATED', {}, { message: 'The refresh token is not valid' });
    }
    return answerSession(context, reply, outcome.account, outcome.scope, outcome.refresh);
  };
}

export function logoutHandler(context: IdentityContext): AuthHandler {
  const { driver } = context;
  return async (request, reply) => {
    const principal = principalOf(request);
    let familyId = principal?.sessionId;
    if (!familyId) {
      const token = presentedRefreshToken(context, request);
      if (token) familyId = await familyOfRefreshToken(driver, token);
    }
    if (familyId) {
      await revokeFamily(driver, familyId);
      context.sessions.revoked(familyId);
    }
    clearSessionCookies(reply, context.cookies);
    if (familyId || principal) {
      await recordSecurityEvent(driver, request, 'logout', {
        userId: principal?.userId ?? null,
        detail: familyId ? { family: familyId } : {},
      });
    }
    return reply.code(204).send();
  };
}

export function requireSignedIn(request: FastifyRequest, action: string): AuthPrincipal {
  const principal = principalOf(request);
  if (!principal) throw refusal(null, action);
  return principal;
}

export function meHandler(context: IdentityContext): AuthHandler {
  return async (request) => {
    const principal = requireSignedIn(request, 'read the current user');
    const account = await findAccount(context.driver, principal.userId);
    if (!account || account.disabledAt) throw refusal(null, 'read the current user');
    return describeUser(
      context,
      account,
      { tenantId: principal.tenantId ?? null, roles: principal.roles },
      principal.method,
    );
  };
}

/**
 * The session's CSRF token, from its cookie: for a page on another origin, which cannot read
 * the API host's cookies, after a reload lost the token its session answer gave. Only this
 * server's pages and allowed origins can read the answer (CORS), and it hands over nothing the
 * browser does not already send.
 */
export function csrfTokenHandler(): AuthHandler {
  return async (request) => {
    const csrfToken = request.cookies?.[CSRF_COOKIE];
    if (!csrfToken) {
      throw new ArchitectError('UNAUTHENTICATED', {}, { message: 'No session cookie was presented' });
    }
    return { csrfToken };
  };
}
