/**
 * The key pair access tokens are signed with. Production: PEM keys from the environment
 * (`ARCHITECT_JWT_PRIVATE_KEY`, `ARCHITECT_JWT_PUBLIC_KEY`, `ARCHITECT_JWT_ALG`, default EdDSA);
 * development: an Ed25519 pair generated once and kept in the data folder (`jwt-keys.json`,
 * mode 0600), so tokens survive restarts without any setup.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type CryptoKey, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, importSPKI } from 'jose';

export type SigningAlgorithm = 'EdDSA' | 'ES256' | 'RS256' | 'PS256';
const ALGORITHMS: readonly SigningAlgorithm[] = ['EdDSA', 'ES256', 'RS256', 'PS256'];

export interface SigningKeys {
  readonly algorithm: SigningAlgorithm;
  /** Key id in the token header: a digest of the public key. */
  readonly keyId: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** Where the keys came from, for the start-up log. */
  readonly source: 'environment' | 'data folder' | 'memory';
}

export const DEV_KEYS_FILE = 'jwt-keys.json';

async function fromPem(
  privatePem: string,
  publicPem: string,
  algorithm: SigningAlgorithm,
  source: SigningKeys['source'],
): Promise<SigningKeys> {
  return {
    algorithm,
    keyId: createHash('sha256').update(publicPem.trim()).digest('base64url').slice(0, 16),
    privateKey: await importPKCS8(privatePem, algorithm),
    publicKey: await importSPKI(publicPem, algorithm),
    source,
  };
}

async function generatePem(algorithm: SigningAlgorithm): Promise<{ privatePem: string; publicPem: string }> {
  const pair = await generateKeyPair(algorithm, { extractable: true });
  return { privatePem: await exportPKCS8(pair.privateKey), publicPem: await exportSPKI(pair.publicKey) };
}

export interface KeyOptions {
  /** The data folder for development keys; absent: keys live in memory only. */
  readonly dataDir?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The signing keys: from the environment when set, else the development pair in the data
 * folder (created on first use), else a pair in memory.
 *
 * @example
 * const keys = await loadSigningKeys({ dataDir: '.architect' });
 */
export async function loadSigningKeys(options: KeyOptions = {}): Promise<SigningKeys> {
  const env = options.env ?? process.env;
  const privatePem = env.ARCHITECT_JWT_PRIVATE_KEY;
  const publicPem = env.ARCHITECT_JWT_PUBLIC_KEY;
  const requested = (env.ARCHITECT_JWT_ALG ?? 'EdDSA') as SigningAlgorithm;
  if (!ALGORITHMS.includes(requested)) {
    throw new Error(`ARCHITECT_JWT_ALG must be one of ${ALGORITHMS.join(', ')}`);
  }
  if (privatePem || publicPem) {
    if (!privatePem || !publicPem) {
      throw new Error('Set both ARCHITECT_JWT_PRIVATE_KEY and ARCHITECT_JWT_PUBLIC_KEY (PEM), or neither');
    }
    return fromPem(privatePem, publicPem, requested, 'environment');
  }
  if (!options.dataDir) {
    const pair = await generatePem('EdDSA');
    return fromPem(pair.privatePem, pair.publicPem, 'EdDSA', 'memory');
  }
  const file = path.join(options.dataDir, DEV_KEYS_FILE);
  const stored = await readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as { privatePem: string; publicPem: string })
    .catch(() => undefined);
  if (stored) return fromPem(stored.privatePem, stored.publicPem, 'EdDSA', 'data folder');
  const pair = await generatePem('EdDSA');
  await mkdir(options.dataDir, { recursive: true });
  // `wx`: two instances starting together keep the first pair written.
  await writeFile(file, JSON.stringify(pair), { mode: 0o600, flag: 'wx' }).catch(() => undefined);
  const kept = JSON.parse(await readFile(file, 'utf8')) as { privatePem: string; publicPem: string };
  return fromPem(kept.privatePem, kept.publicPem, 'EdDSA', 'data folder');
}
