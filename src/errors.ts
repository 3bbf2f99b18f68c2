/**
 * The error catalog: every error the toolkit raises, with a stable code, a message template and,
 * for API errors, the HTTP status. `docs/errors.md` is kept in step by a test.
 *
 * Templates use `{name}` placeholders filled from the params passed to `formatMessage`.
 */

export interface ErrorSpec {
  /** HTTP status for errors the API returns; blueprint and CLI errors have none. */
  readonly status?: number;
  /** Message template with `{param}` placeholders. */
  readonly message: string;
  /** What the error means and how to fix it, for docs/errors.md. */
  readonly meaning: string;
}

export const ERROR_CATALOG = {
  // ── Blueprint: the file and its structure ──────────────────────────────────────────────────
  BLUEPRINT_FILE_NOT_FOUND: {
    message: 'Cannot read blueprint {path}',
    meaning:
      'The path does not exist or is not readable. Pass a blueprint file or a folder holding blueprint.yaml.',
  },
  BLUEPRINT_SYNTAX: {
    message: '{format} syntax error: {detail}',
    meaning: 'The file is not valid YAML (or JSON). The location points at the offending character.',
  },
  BLUEPRINT_DUPLICATE_KEY: {
    message: 'Duplicate key `{key}`',
    meaning: 'A mapping repeats a key; YAML keeps only one of them, so the other would be silently lost.',
  },
  BLUEPRINT_VERSION: {
    message: 'Unsupported blueprint version {version}; this toolkit reads version 1',
    meaning: 'The `blueprint:` key names the language version. Only version 1 exists.',
  },
  BLUEPRINT_UNKNOWN_KEY: {
    message: 'Unknown key `{key}` in {where}',
    meaning:
      'The key is not part of the language at this place. Check the spelling; the hint lists the closest key.',
  },
  BLUEPRINT_MISSING_KEY: {
    message: 'Missing required key `{key}` in {where}',
    meaning: 'This place needs the key.',
  },
  BLUEPRINT_INVALID_VALUE: {
    message: 'Invalid value for {where}: {detail}',
    meaning: 'The value has the wrong type or is out of the allowed range.',
  },
  BLUEPRINT_INVALID_NAME: {
    message: '`{name}` is not a valid {what} name: use lower snake_case starting with a letter',
    meaning:
      'Entity, field, enum, role, state and transition names are lower snake_case identifiers, so they map one-to-one onto SQL and JSON names.',
  },
  // ── Blueprint: meaning ─────────────────────────────────────────────────────────────────────
  BLUEPRINT_UNKNOWN_TYPE: {
    message: 'Unknown type `{type}` for field `{field}`',
    meaning: 'A field type must be a built-in type, an enum declared under `enums`, or an entity name.',
  },
  BLUEPRINT_UNKNOWN_ENTITY: {
    message: 'Unknown entity `{entity}` in {where}',
    meaning: 'The name does not match any entity declared under `entities`.',
  },
  BLUEPRINT_UNKNOWN_FIELD: {
    message: 'Unknown field `{field}` in {where} of entity `{entity}`',
    meaning:
      'Keys, indexes, unique groups, checks, computed columns and search name fields of the same entity.',
  },
  BLUEPRINT_DUPLICATE_NAME: {
    message: '{what} `{name}` is declared twice',
    meaning: 'Names must be unique within their scope (after conversion to SQL and URL names).',
  },
  BLUEPRINT_NAME_COLLISION: {
    message: '`{name}` collides with {other}',
    meaning: 'The name would produce the same SQL column, table or JSON property as something else.',
  },
  BLUEPRINT_RESERVED_WORD: {
    message: '`{name}` is a reserved word in PostgreSQL',
    meaning: 'Reserved words need quoting in every query that touches them; pick another name.',
  },
  BLUEPRINT_REFERENCE_CYCLE: {
    message: 'Required references form a cycle: {cycle}',
    meaning: 'No row in the cycle could be inserted first. Make at least one of the references optional.',
  },
  BLUEPRINT_LIFECYCLE: {
    message: 'Lifecycle of `{entity}`: {detail}',
    meaning:
      'States, initial state and transitions must agree: every state named by a transition must be declared.',
  },
  BLUEPRINT_UNKNOWN_ROLE: {
    message: 'Role `{role}` is not declared in auth.roles',
    meaning:
      'Access rules and transitions may only name roles declared under `auth.roles` (or `any`, `authenticated`).',
  },
  BLUEPRINT_INVALID_DEFAULT: {
    message: 'Default `{value}` of field `{field}` is not valid: {detail}',
    meaning: 'A default must satisfy the field type and its options (enum values, bounds, length, pattern).',
  },
  BLUEPRINT_UNSUPPORTED_COMBINATION: {
    message: '{detail}',
    meaning: 'Some options contradict each other, such as `append_only` with `soft_delete`.',
  },
  BLUEPRINT_INVALID_SQL: {
    message: 'Invalid SQL expression in {where}: {detail}',
    meaning:
      'Check and computed expressions are parsed with the PostgreSQL parser and may only read columns of their own table.',
  },
  BLUEPRINT_INVALID_KEY: {
    message: 'Invalid key for `{entity}`: {detail}',
    meaning: 'A composite key lists required fields of the entity; `id` is `uuid` or `bigint`.',
  },
  // ── CLI ───────────────────────────────────────────────────────────────────────────────────
  CLI_USAGE: {
    message: '{detail}',
    meaning: 'The command line is not valid. `architect <command> --help` shows the usage.',
  },
  CLI_OUTPUT: {
    message: 'Cannot write {path}: {detail}',
    meaning: 'An output file or folder could not be written.',
  },
  CLI_FILE_EXISTS: {
    message: '{path} already exists; pass --force to overwrite it',
    meaning: '`architect init` never replaces a blueprint silently. Choose another folder or pass `--force`.',
  },
  // ── Review ────────────────────────────────────────────────────────────────────────────────
  REVIEW_INPUT_NOT_FOUND: {
    message: 'Cannot read review input {path}',
    meaning: 'A path given to `architect review` does not exist or is not readable.',
  },
  REVIEW_UNKNOWN_INPUT: {
    message: 'Cannot tell what {path} is: {detail}',
    meaning:
      'Review reads OpenAPI 2.0/3.x documents (YAML or JSON), SQL schema or migration files, and folders of migrations. Anything else is refused rather than silently skipped.',
  },
  REVIEW_PARSE: {
    message: '{file}: cannot parse: {detail}',
    meaning: 'The input is not valid YAML, JSON or SQL; the location points at the first problem.',
  },
  REVIEW_RULES_FILE: {
    message: 'Rules file {file}: {detail}',
    meaning:
      'The review rules file (`.architect-review.yaml` or `--rules`) has an unknown key, rule id, severity or profile, or selects profiles that contradict each other.',
  },
  REVIEW_BASELINE: {
    message: 'Baseline {file}: {detail}',
    meaning:
      'The baseline file cannot be read or written, or is not one `architect review --write-baseline` made.',
  },
  REVIEW_ENGINE_MISSING: {
    message: 'The {kind} review is not available: {detail}',
    meaning: 'This build lacks the rule engine for that kind of input.',
  },
  // ── Runtime: database and start-up ────────────────────────────────────────────────────────
  DATABASE_UNAVAILABLE: {
    message: 'Cannot open the database {location}: {detail}',
    meaning:
      'The PostgreSQL server named by DATABASE_URL cannot be reached or refused the login, or the embedded data folder cannot be opened (another process may be using it).',
  },
  LISTEN_FAILED: {
    message: 'Cannot listen on {address}: {detail}',
    meaning:
      'The server cannot take its address: another process listens on that port (EADDRINUSE), the port needs privileges (EACCES, below 1024), or the host is not an address of this machine (EADDRNOTAVAIL). Choose another with --port/PORT or --host/HOST; --port 0 takes any free port.',
  },
  APP_ROLE_UNSAFE: {
    message: 'The app database URL logs in as {role}, which cannot be the tenant wall: {reason}',
    meaning:
      'APP_DATABASE_URL (--app-database-url) names the login the tenant wall runs tenant statements on. It must be architect_app or a member of it, not a superuser, without BYPASSRLS, and not the owner of the tables (owners skip their own row-level security). Create such a login, or leave the URL out to switch to architect_app on the owner connection.',
  },
  SCHEMA_DRIFT: {
    message: 'The database schema cannot be brought to the blueprint safely:\n{differences}',
    meaning:
      'The database holds tables or columns the blueprint would have to drop, rename, retype or tighten. Start-up migrations only add; write a migration for these changes (or point at a fresh database), then start again.',
  },
  MIGRATION_FAILED: {
    message: 'Applying the schema failed at {statement}: {detail}',
    meaning:
      'A start-up migration statement was refused by the database. Nothing of this migration was kept (it runs in one transaction).',
  },
  // ── API (runtime) ───────────────────────────────────────────────────────────────────────────
  MALFORMED_REQUEST: {
    status: 400,
    message: '{detail}',
    meaning:
      'The request cannot be parsed: bad JSON, a bad query parameter, an unknown filter or sort field.',
  },
  UNAUTHENTICATED: {
    status: 401,
    message: 'Authentication required',
    meaning: 'No valid credentials were presented.',
  },
  FORBIDDEN: {
    status: 403,
    message: 'Not allowed to {action}',
    meaning: 'The caller is authenticated but lacks a role the operation needs.',
  },
  INVALID_CREDENTIALS: {
    status: 401,
    message: 'The email or the password is wrong',
    meaning:
      'Sign-in failed. The answer does not say which part was wrong; repeated failures for one address are slowed down (429) and recorded.',
  },
  CSRF_FAILED: {
    status: 403,
    message: 'The request lacks a valid CSRF token',
    meaning:
      'A state-changing request authenticated by cookie must echo the `architect_csrf` cookie in `X-CSRF-Token`, and its Origin (when sent) must be the server or an allowed origin. Bearer clients are not affected.',
  },
  SIGNUP_CLOSED: {
    status: 403,
    message: 'Sign-up {detail}',
    meaning:
      'The blueprint sign-up policy (`auth.signup`) refuses this sign-up: `invite` needs an invitation token, `admin` needs an admin.',
  },
  INVALID_TOKEN: {
    status: 422,
    message: 'The {purpose} token is not valid',
    meaning:
      'A reset, verification or invitation token is unknown, used already or expired. Ask for a new one.',
  },
  NOT_FOUND: {
    status: 404,
    message: '{resource} not found',
    meaning: 'No such row, or one the caller may not see.',
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    message: '{method} is not allowed on {resource}',
    meaning:
      'The path exists but does not accept this method (for example writes to an append-only ledger, or PUT anywhere); the `Allow` header lists the methods it accepts.',
  },
  CONFLICT: {
    status: 409,
    message: '{detail}',
    meaning:
      'The request conflicts with the current state: a duplicate unique value, a referenced row, or a lifecycle state.',
  },
  UNIQUE_VIOLATION: {
    status: 409,
    message: 'A {resource} with this {fields} already exists',
    meaning: 'A unique value is already taken.',
  },
  REFERENCE_VIOLATION: {
    status: 409,
    message: '{detail}',
    meaning: 'A referenced row does not exist, or the row is still referenced by others.',
  },
  INVALID_TRANSITION: {
    status: 409,
    message: 'Cannot {transition} a {resource} in state {state}',
    meaning: 'The lifecycle does not allow this transition from the current state.',
  },
  PRECONDITION_FAILED: {
    status: 412,
    message: 'The {resource} has changed since version {expected}',
    meaning:
      'If-Match named a version that is no longer current (fetch it again and retry), or was not one ETag of this API.',
  },
  PRECONDITION_REQUIRED: {
    status: 428,
    message: 'If-Match is required to change a {resource}',
    meaning: 'The blueprint requires optimistic concurrency for this resource.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    message: '{detail}',
    meaning: 'The body or the number of bulk items exceeds the configured limit.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'Unsupported content type {type}',
    meaning: 'Send application/json.',
  },
  VALIDATION_FAILED: {
    status: 422,
    message: 'The request body is not valid',
    meaning: 'One or more fields fail validation; `details` lists each with its path and reason.',
  },
  CHECK_VIOLATION: {
    status: 422,
    message: '{detail}',
    meaning: 'A rule declared in the blueprint (a named check or a field bound) rejected the values.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    message: 'Idempotency-Key {key} was used with a different request',
    meaning: 'A key identifies one request; reuse it only to retry the same method, path and body.',
  },
  IDEMPOTENCY_IN_PROGRESS: {
    status: 409,
    message: 'A request with Idempotency-Key {key} is still in progress',
    meaning: 'Wait for the first request to finish, then retry.',
  },
  RATE_LIMITED: {
    status: 429,
    message: 'Too many requests; retry after {retryAfter} s',
    meaning: 'The caller exceeded its rate limit. Retry-After says when to try again.',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    message: '{detail}',
    meaning: 'A transient failure (serialization, deadlock, database unavailable) persisted after retries.',
  },
  TIMEOUT: {
    status: 503,
    message: 'The request took longer than {ms} ms',
    meaning:
      'No answer within the request timeout of the server (on a PostgreSQL server its statement is cancelled too); Retry-After says when to try again.',
  },
  INTERNAL: {
    status: 500,
    message: 'Internal error',
    meaning: 'An unexpected failure; the cause is logged with the request id, never sent to the client.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

/** Fill a template's `{param}` placeholders; unknown placeholders stay visible. */
export function formatMessage(template: string, params: Readonly<Record<string, unknown>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params ? String(params[key]) : whole,
  );
}

/**
 * An error with a catalog code. `details` carries structured data (field errors, per-item
 * results) for API responses.
 */
export class ArchitectError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  readonly headers?: Readonly<Record<string, string>>;

  constructor(
    code: ErrorCode,
    params: Readonly<Record<string, unknown>> = {},
    options: { details?: unknown; cause?: unknown; message?: string; headers?: Record<string, string> } = {},
  ) {
    const spec: ErrorSpec = ERROR_CATALOG[code];
    super(options.message ?? formatMessage(spec.message, params), { cause: options.cause });
    this.name = 'ArchitectError';
    this.code = code;
    this.status = spec.status ?? 500;
    this.details = options.details;
    this.headers = options.headers;
  }
}
