/**
 * The JSON Schema of the blueprint language (draft 2020-12).
 *
 * It is the structural half of validation (the loader runs it with ajv and maps each error to a
 * `file:line:column`) and it is published for editors: `architect schema` prints it and
 * `schema/blueprint.schema.json` keeps a copy that a test holds in step.
 * Meaning that a schema cannot express (names that must resolve, cycles, lifecycles) is checked
 * by `semantic-checks.ts`.
 */
import { BUILTIN_TYPES } from './model.js';

const identifier = { type: 'string', pattern: '^[a-z][a-z0-9_]*$', maxLength: 48 } as const;

const accessRule = {
  description: '`any` (anonymous too), `authenticated`, `none`, or a list of roles.',
  anyOf: [
    { type: 'string', enum: ['any', 'authenticated', 'none'] },
    { type: 'array', items: identifier, minItems: 1, uniqueItems: true },
  ],
} as const;

const roleList = { type: 'array', items: identifier, minItems: 1, uniqueItems: true } as const;

const ownedOperation = { enum: ['read', 'update', 'delete'] } as const;

const owner = {
  description:
    'The field holding the row owner, set from the caller on create; callers reach only their own rows. A field name, or `{ field, operations, except }`.',
  anyOf: [
    identifier,
    {
      type: 'object',
      additionalProperties: false,
      required: ['field'],
      properties: {
        field: identifier,
        operations: {
          type: 'array',
          items: ownedOperation,
          minItems: 1,
          uniqueItems: true,
          description:
            'Operations limited to own rows (default read, update, delete; transitions follow update).',
        },
        except: { ...roleList, description: 'Roles that reach every row.' },
      },
    },
  ],
} as const;

const rateLimit = {
  type: 'object',
  additionalProperties: false,
  required: ['per_minute'],
  properties: { per_minute: { type: 'integer', minimum: 1, maximum: 1000000 } },
} as const;

const scalarValue = { type: ['string', 'number', 'boolean', 'null', 'object', 'array'] } as const;

const fieldObject = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: {
      description: 'A built-in type, an enum name, or an entity name (a reference).',
      anyOf: [{ enum: [...BUILTIN_TYPES] }, identifier],
    },
    description: { type: 'string' },
    optional: { type: 'boolean', description: 'NULL allowed; the field may be omitted on create.' },
    default: { ...scalarValue, description: 'Value used when a create omits the field.' },
    unique: { type: 'boolean' },
    index: { type: 'boolean', description: 'Add a single-column index (references are always indexed).' },
    min: { type: 'number', description: 'Lower bound: the value for numbers, the length for strings.' },
    max: { type: 'number', description: 'Upper bound: the value for numbers, the length for strings.' },
    length: { type: 'integer', minimum: 1, description: 'Exact length of a string.' },
    precision: {
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      description: 'Total digits of a decimal (default 18).',
    },
    scale: {
      type: 'integer',
      minimum: 0,
      maximum: 1000,
      description: 'Digits after the point of a decimal (default 4).',
    },
    pattern: { type: 'string', description: 'A regular expression the whole string must match.' },
    not: { type: ['string', 'number', 'boolean'], description: 'A value the field may never take.' },
    example: { ...scalarValue },
    readonly: { type: 'boolean', description: 'Clients cannot set it; it is shown in reads only.' },
    on_delete: {
      enum: ['restrict', 'cascade', 'set_null', 'no_action'],
      description: 'What happens to this row when the referenced row is deleted. References only.',
    },
    visible_to: {
      ...roleList,
      description: 'Only callers with one of these roles see the field; others get rows without it.',
    },
    writable_by: {
      ...roleList,
      description: 'Only callers with one of these roles may set the field; others get 403.',
    },
  },
} as const;

const fieldDefinition = {
  description: 'A field: `{ type: ..., options }`, or just the type name.',
  anyOf: [{ type: 'string' }, { $ref: '#/$defs/field' }],
} as const;

const fieldList = { type: 'array', items: identifier, minItems: 1 } as const;

const indexDefinition = {
  anyOf: [
    fieldList,
    {
      type: 'object',
      additionalProperties: false,
      required: ['fields'],
      properties: {
        fields: fieldList,
        unique: { type: 'boolean' },
        where: { type: 'string', description: 'Partial index predicate (SQL over columns).' },
        name: identifier,
      },
    },
  ],
} as const;

const transition = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: {
    from: { anyOf: [identifier, { type: 'array', items: identifier, minItems: 1, uniqueItems: true }] },
    to: identifier,
    roles: accessRule,
    reason: {
      anyOf: [{ enum: ['required', 'optional', 'none'] }, { type: 'boolean' }],
      description: '`required`: the request must carry a reason; it is kept in the history.',
    },
    description: { type: 'string' },
  },
} as const;

const entity = {
  type: 'object',
  additionalProperties: false,
  required: ['fields'],
  properties: {
    description: { type: 'string' },
    plural: {
      ...identifier,
      description: 'Plural name when the English rule gets it wrong (table and URL).',
    },
    path: {
      type: 'string',
      pattern: '^[a-z][a-z0-9-]*$',
      description: 'The last URL segment, kebab-case (default: the plural, without the parent prefix).',
    },
    id: { enum: ['uuid', 'bigint'], description: 'Surrogate key: UUID v7 (default) or a bigint identity.' },
    key: { ...fieldList, description: 'A composite primary key made of the listed fields (no `id`).' },
    fields: { type: 'object', additionalProperties: { $ref: '#/$defs/fieldDefinition' }, minProperties: 1 },
    indexes: { type: 'array', items: { $ref: '#/$defs/index' } },
    unique: { type: 'array', items: fieldList, description: 'Groups of fields unique together.' },
    checks: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['sql', 'message'],
        properties: { sql: { type: 'string', minLength: 1 }, message: { type: 'string', minLength: 1 } },
      },
    },
    computed: {
      type: 'object',
      description: 'Generated columns: `name: <sql expression>` or `{ sql, type }`.',
      additionalProperties: {
        anyOf: [
          { type: 'string', minLength: 1 },
          {
            type: 'object',
            additionalProperties: false,
            required: ['sql'],
            properties: {
              sql: { type: 'string', minLength: 1 },
              type: { enum: [...BUILTIN_TYPES] },
              description: { type: 'string' },
            },
          },
        ],
      },
    },
    search: { ...fieldList, description: 'Text fields searched by `q=` (full-text, GIN index).' },
    soft_delete: { type: 'boolean', description: 'DELETE sets deleted_at; reads hide deleted rows.' },
    if_match: {
      enum: ['optional', 'required'],
      description:
        '`required`: PATCH, DELETE and transitions must send If-Match (428 without), so no write is lost; `optional` (default from `api.if_match`): without it the last writer wins.',
    },
    append_only: {
      type: 'boolean',
      description: 'Rows are never updated or deleted (enforced by a trigger).',
    },
    writable: { type: 'boolean', description: 'false: no generic create/update/delete routes.' },
    parent: {
      ...identifier,
      description: 'Nest routes under this entity; a reference field to it is required.',
    },
    lifecycle: {
      type: 'object',
      additionalProperties: false,
      required: ['states', 'initial'],
      properties: {
        field: { ...identifier, description: 'The state column (default `status`).' },
        initial: identifier,
        states: { type: 'array', items: identifier, minItems: 2, uniqueItems: true },
        history: { type: 'boolean', description: 'Keep a status history table.' },
        transitions: { type: 'object', additionalProperties: { $ref: '#/$defs/transition' } },
      },
    },
    access: {
      type: 'object',
      additionalProperties: false,
      description: '`write` is shorthand for create, update and delete.',
      properties: {
        read: accessRule,
        write: accessRule,
        create: accessRule,
        update: accessRule,
        delete: accessRule,
      },
    },
    audit: { type: 'boolean', description: 'Record every write (actor, before, after) in the audit table.' },
    cache: {
      type: 'object',
      additionalProperties: false,
      required: ['ttl_s'],
      properties: { ttl_s: { type: 'integer', minimum: 1 } },
    },
    realtime: { type: 'boolean', description: 'Push changes to subscribers.' },
    owner,
  },
} as const;

export const BLUEPRINT_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://backend-architect.dev/schema/blueprint-1.json',
  title: 'backend-architect blueprint',
  description: 'One file describing a backend: entities, access, lifecycles and the targets it is sized for.',
  type: 'object',
  additionalProperties: false,
  required: ['blueprint', 'name', 'entities'],
  properties: {
    $schema: { type: 'string' },
    blueprint: { const: 1, description: 'Language version.' },
    name: { ...identifier, description: 'Machine name of the system.' },
    title: { type: 'string' },
    description: { type: 'string' },
    api: {
      type: 'object',
      additionalProperties: false,
      properties: {
        version: { type: 'string', pattern: '^v[0-9]+$', description: 'Routes live under /api/<version>.' },
        base_path: { type: 'string', pattern: '^(/[a-z0-9-]+)+$', description: 'Overrides /api/<version>.' },
        json_case: { enum: ['camel', 'snake'] },
        if_match: {
          enum: ['optional', 'required'],
          description: 'Default `if_match` of every entity (default `optional`: the last writer wins).',
        },
        pagination: {
          type: 'object',
          additionalProperties: false,
          properties: {
            default_limit: { type: 'integer', minimum: 1 },
            max_limit: { type: 'integer', minimum: 1 },
          },
        },
        bulk: {
          type: 'object',
          additionalProperties: false,
          properties: { max_items: { type: 'integer', minimum: 1, maximum: 100000 } },
        },
        idempotency: {
          type: 'object',
          additionalProperties: false,
          properties: { ttl_s: { type: 'integer', minimum: 1 } },
        },
      },
    },
    requirements: {
      type: 'object',
      additionalProperties: false,
      properties: {
        peak_rps: { type: 'number', exclusiveMinimum: 0 },
        read_share: { type: 'number', minimum: 0, maximum: 1 },
        p99_ms: {
          type: 'object',
          additionalProperties: false,
          properties: {
            read: { type: 'number', exclusiveMinimum: 0 },
            write: { type: 'number', exclusiveMinimum: 0 },
            bulk_1000: { type: 'number', exclusiveMinimum: 0 },
          },
        },
        availability: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 100 },
        consistency: { enum: ['strong', 'eventual'] },
        data: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
      },
    },
    auth: {
      type: 'object',
      additionalProperties: false,
      properties: {
        methods: {
          type: 'array',
          items: { enum: ['password', 'api_key', 'jwt'] },
          uniqueItems: true,
        },
        roles: { type: 'array', items: identifier, uniqueItems: true },
        signup: {
          enum: ['open', 'invite', 'admin'],
          description: 'Who may create an account: anyone, invited people, or admins only (default).',
        },
        users: { ...identifier, description: 'The entity whose rows are the accounts (same id).' },
        default_roles: { ...roleList, description: 'Roles of a new account when no invitation says.' },
        tokens: {
          type: 'object',
          additionalProperties: false,
          properties: {
            access_ttl_s: {
              type: 'integer',
              minimum: 30,
              maximum: 86400,
              description: 'Access token life (900).',
            },
            refresh_ttl_s: {
              type: 'integer',
              minimum: 60,
              maximum: 31536000,
              description: 'Refresh token family life (2592000).',
            },
          },
        },
        rate_limits: {
          type: 'object',
          additionalProperties: false,
          description: 'Requests per minute, sliding window: per IP, per signed-in caller, and login/reset.',
          properties: { ip: rateLimit, principal: rateLimit, login: rateLimit },
        },
      },
    },
    tenancy: {
      anyOf: [
        { const: 'none' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['by'],
          properties: {
            by: { ...identifier, description: 'The tenant entity, e.g. organization.' },
            members: {
              ...identifier,
              description: 'The entity linking users to tenants: references to both and a `role` field.',
            },
            creator_role: { ...identifier, description: 'The role the creator of a tenant gets in it.' },
          },
        },
      ],
    },
    enums: {
      type: 'object',
      additionalProperties: {
        type: 'array',
        items: { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]*$', maxLength: 63 },
        minItems: 1,
        uniqueItems: true,
      },
    },
    entities: { type: 'object', additionalProperties: { $ref: '#/$defs/entity' }, minProperties: 1 },
  },
  $defs: {
    entity,
    field: fieldObject,
    fieldDefinition,
    index: indexDefinition,
    transition,
  },
} as const;
