/**
 * Verified access tokens are remembered until they expire: a remembered token is refused from
 * the second it expires, a token signed by another key pair or checked for another audience
 * never hits, and one changed byte is a different token.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signAccessToken, verifyAccessToken } from '../../../src/runtime/auth/access-tokens.js';
import { loadSigningKeys } from '../../../src/runtime/auth/keys.js';

const SETTINGS = { issuer: 'architect', audience: 'api', ttlSeconds: 60 };
const CLAIMS = { sub: '00000000-0000-7000-8000-000000000001', roles: ['admin'] };

afterEach(() => {
  vi.useRealTimers();
});

describe('verifyAccessToken remembering verified tokens', () => {
  it('answers the same claims again, and refuses the token once it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-28T12:00:00Z'));
    const keys = await loadSigningKeys({ env: {} });
    const token = await signAccessToken(keys, SETTINGS, CLAIMS);
    const first = await verifyAccessToken(keys, SETTINGS, token);
    expect(await verifyAccessToken(keys, SETTINGS, token)).toEqual(first);
    expect(first).toMatchObject(CLAIMS);

    vi.setSystemTime(new Date('2026-11-28T12:01:06Z')); // 60 s TTL + 5 s tolerance, and one more
    await expect(verifyAccessToken(keys, SETTINGS, token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('never lets a token through for another key pair or another audience', async () => {
    const keys = await loadSigningKeys({ env: {} });
    const other = await loadSigningKeys({ env: {} });
    const token = await signAccessToken(keys, SETTINGS, CLAIMS);
    await verifyAccessToken(keys, SETTINGS, token);
    await expect(verifyAccessToken(other, SETTINGS, token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(verifyAccessToken(keys, { ...SETTINGS, audience: 'admin' }, token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('treats a tampered copy of a remembered token as a new token and refuses it', async () => {
    const keys = await loadSigningKeys({ env: {} });
    const token = await signAccessToken(keys, SETTINGS, CLAIMS);
    await verifyAccessToken(keys, SETTINGS, token);
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), roles: ['root'] }),
    ).toString('base64url');
    await expect(verifyAccessToken(keys, SETTINGS, `${header}.${forged}.${signature}`)).rejects.toMatchObject(
      {
        code: 'UNAUTHENTICATED',
      },
    );
  });
});
