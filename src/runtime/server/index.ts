/**
 * The HTTP server of `architect serve`: the app factory and its cross-cutting plugins.
 */
export {
  type ErrorEnvelope,
  errorEnvelope,
  toArchitectError,
  type ValidationProblem,
  validationProblems,
} from './api-error.js';
export { type AppOptions, createApp, DEFAULT_BODY_LIMIT, type Principal } from './app.js';
export { type ReadyChecks, readyChecks } from './operations-plugin.js';
export { createRequestId, isWellFormedRequestId, REQUEST_ID_HEADER } from './request-id.js';
