/**
 * Password hashing with argon2id (RFC 9106). Parameters live here; a hash made with older ones
 * still verifies and is reported as needing a rehash, which login does in place.
 */
import argon2 from 'argon2';

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
export const PASSWORD_HASH_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, PASSWORD_HASH_OPTIONS);
}

export interface PasswordCheck {
  readonly isValid: boolean;
  /** The hash was made with other parameters: store a new one. */
  readonly needsRehash: boolean;
}

/** A hash of nothing anyone knows, verified when the account does not exist so timing says nothing. */
let decoy: Promise<string> | undefined;

/**
 * Verify `password` against `hash`; with no hash (unknown account, no password set) a decoy is
 * verified instead so that the answer takes as long either way.
 */
export async function verifyPassword(
  hash: string | null | undefined,
  password: string,
): Promise<PasswordCheck> {
  if (!hash) {
    decoy ??= hashPassword(`decoy-${Math.random()}`);
    await argon2.verify(await decoy, password).catch(() => false);
    return { isValid: false, needsRehash: false };
  }
  const isValid = await argon2.verify(hash, password).catch(() => false);
  return { isValid, needsRehash: isValid && argon2.needsRehash(hash, PASSWORD_HASH_OPTIONS) };
}
