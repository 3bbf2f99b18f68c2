/**
 * The tenant wall's own login (`APP_DATABASE_URL`). Tenant statements then run on connections
 * that log in as `architect_app` (or a member of it) and only set the tenant per transaction.
 * Without it they run on the owner's connections after `SET LOCAL ROLE architect_app`, which a
 * statement running there could undo (`RESET ROLE`); a login that is the app role has no role
 * to go back to.
 *
 * The login is checked before the server starts, because a wrong one would silently take the
 * wall down: a superuser or a BYPASSRLS role skips row-level security, and so does the owner of
 * the tables.
 */
import { APP_ROLE } from '../../design/sql/tenancy-policies.js';
import { ArchitectError } from '../../errors.js';
import type { Driver } from '../db/index.js';

interface Login {
  readonly role: string;
  readonly superuser: boolean;
  readonly bypass: boolean;
  readonly member: boolean;
  readonly owns: boolean;
}

/** Throws `APP_ROLE_UNSAFE` unless the driver's login keeps row-level security in force. */
export async function checkWallLogin(driver: Driver): Promise<void> {
  const { rows } = await driver.query<Login>(
    `SELECT r.rolname AS role, r.rolsuper AS superuser, r.rolbypassrls AS bypass,
            EXISTS (SELECT 1 FROM pg_roles a WHERE a.rolname = $1 AND pg_has_role(r.oid, a.oid, 'USAGE')) AS member,
            EXISTS (SELECT 1 FROM pg_class c WHERE c.relowner = r.oid AND c.relrowsecurity) AS owns
       FROM pg_roles r
      WHERE r.rolname = current_user`,
    [APP_ROLE],
  );
  const login = rows[0];
  const reason = !login
    ? 'the login has no role entry'
    : login.superuser
      ? 'it is a superuser, which skips row-level security'
      : login.bypass
        ? 'it has BYPASSRLS'
        : login.owns
          ? 'it owns tables with row-level security, and owners skip their own policies'
          : !login.member
            ? `it is not ${APP_ROLE} and does not have its privileges`
            : undefined;
  if (reason) throw new ArchitectError('APP_ROLE_UNSAFE', { role: login?.role ?? 'an unknown role', reason });
}
