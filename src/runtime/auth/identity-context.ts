/**
 * What the identity routes and the authentication hook share: the model, the database, the
 * signing keys and token settings, the rate limits, the mailer and the cookie settings.
 */
import type { Model } from '../../blueprint/model.js';
import type { Driver } from '../db/driver.js';
import type { RateLimits } from '../security/rate-limits.js';
import type { TokenSettings } from './access-tokens.js';
import type { CookieSettings } from './cookies.js';
import type { SigningKeys } from './keys.js';
import type { Mailer } from './mailer.js';

import type { SessionCheck } from './session-check.js';

export interface IdentityContext {
  readonly model: Model;
  readonly driver: Driver;
  readonly keys: SigningKeys;
  readonly tokens: TokenSettings;
  readonly limits: RateLimits;
  readonly mailer: Mailer;
  readonly cookies: CookieSettings;
  /** `auth.methods` has `api_key`. */
  readonly acceptsApiKeys: boolean;
  /** Origins besides this server that may send cookie-authenticated writes (the CORS allow-list). */
  readonly allowedOrigins: readonly string[];
  /** Whether an access token's session still stands (logout ends its access tokens too). */
  readonly sessions: SessionCheck;
}

/** Issuer and audience of a blueprint's access tokens: a token of one API is refused by another. */
export function tokenSettings(model: Model): TokenSettings {
  return {
    issuer: `urn:architect:${model.name}`,
    audience: `urn:architect:${model.name}:api`,
    ttlSeconds: model.auth.tokens.accessTtlSeconds,
  };
}
