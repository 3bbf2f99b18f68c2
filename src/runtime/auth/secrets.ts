/**
 * Random secrets and their stored form. Tokens and API keys are high-entropy, so a SHA-256 is
 * the right hash for them (a slow hash protects guessable secrets, which these are not); every
 * comparison of secrets is timing-safe.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url (43 characters). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Constant-time string equality (lengths may differ; that is not secret). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
