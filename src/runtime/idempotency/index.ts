export {
  checkKey,
  claimKey,
  IDEMPOTENCY_TABLE,
  IDEMPOTENCY_TABLE_SQL,
  type IdempotentRequest,
  MAX_KEY_LENGTH,
  purgeExpiredKeys,
  requestHash,
  type StoredResponse,
  storeResponse,
} from './idempotency-store.js';
