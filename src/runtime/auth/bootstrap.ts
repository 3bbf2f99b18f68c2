/**
 * The first account. Under `signup: admin` (the default) only an admin creates accounts, so a new
 * deployment needs one to start from: `ARCHITECT_ADMIN_EMAIL` and `ARCHITECT_ADMIN_PASSWORD`
 * create it at start-up with the `admin` role (or, when the blueprint declares no `admin`, every
 * declared role). An existing account with that address is left as it is, so restarts and
 * several instances starting together are harmless.
 */
import type { Model } from '../../blueprint/model.js';
import { readDatabaseError } from '../db/database-error.js';
import type { Driver } from '../db/driver.js';
import { createAccount, findAccountByEmail, normalizeEmail } from './accounts.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.js';

export interface BootstrapResult {
  readonly status: 'created' | 'exists' | 'not configured';
  readonly email?: string;
}

/**
 * @example
 * await bootstrapAdmin(driver, model, { ARCHITECT_ADMIN_EMAIL: 'ops@example.com', ARCHITECT_ADMIN_PASSWORD: '...' });
 */
export async function bootstrapAdmin(
  driver: Driver,
  model: Model,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BootstrapResult> {
  const email = env.ARCHITECT_ADMIN_EMAIL?.trim();
  const password = env.ARCHITECT_ADMIN_PASSWORD;
  if (!email && !password) return { status: 'not configured' };
  if (!email || !password) {
    throw new Error('Set both ARCHITECT_ADMIN_EMAIL and ARCHITECT_ADMIN_PASSWORD, or neither');
  }
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new Error(`ARCHITECT_ADMIN_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const address = normalizeEmail(email);
  if (await findAccountByEmail(driver, address)) return { status: 'exists', email: address };
  const roles = model.auth.roles.includes('admin') ? ['admin'] : [...model.auth.roles];
  const passwordHash = await hashPassword(password);
  try {
    await driver.transaction((tx) =>
      createAccount(tx, model, { email: address, passwordHash, roles, emailVerified: true }),
    );
    return { status: 'created', email: address };
  } catch (error) {
    // Another instance created it first.
    if (readDatabaseError(error)?.code === '23505' && (await findAccountByEmail(driver, address))) {
      return { status: 'exists', email: address };
    }
    throw error;
  }
}
