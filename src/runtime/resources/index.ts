/**
 * The resource API of `architect serve`: every route of `buildOperations(model)` (the same list
 * the OpenAPI document is printed from), validated with the document's own schemas and
 * serialized with its read schemas.
 *
 * @example
 * ```ts
 * const app = Fastify();
 * await app.register(resourceRoutes, { model, driver });
 * ```
 */
import type { FastifyInstance, FastifyPluginAsync, RouteOptions } from 'fastify';
import { Counter, type Registry } from 'prom-client';
import {
  buildOperations,
  buildSchemas,
  type JsonSchema,
  type Operation,
  type ResourceOperationKind,
  requestSchemas,
  responseSchemas,
} from '../../design/api/index.js';
import { auditHandler } from '../audit/audit-route.js';
import { IDEMPOTENCY_TABLE_SQL, purgeExpiredKeys } from '../idempotency/index.js';
import { MIGRATION_LOCK_KEY } from '../migrate/index.js';
import { createEntityPlans } from '../query/index.js';
import { bulkHandler } from './bulk-route.js';
import type { ResourceContext, ResourceOptions } from './context.js';
import type { PointReads } from './point-reads.js';
import { type Handler, listHandler, readHandler } from './read-routes.js';
import { bodyRefusal, bulkEnvelopeRefusal, type Refusal } from './refusals.js';
import { historyHandler, transitionHandler } from './transition-routes.js';
import { createValidatorCompiler, createValidators } from './validation.js';
import { createHandler, deleteHandler, updateHandler } from './write-routes.js';

export type { ResourceOptions } from './context.js';

type HandlerFactory = (context: ResourceContext, operation: Operation) => Handler;

/** One handler per operation kind; a new kind fails to compile until it is served. */
const HANDLERS: Record<ResourceOperationKind, HandlerFactory> = {
  list: listHandler,
  create: createHandler,
  read: readHandler,
  update: updateHandler,
  delete: deleteHandler,
  bulk: bulkHandler,
  transition: transitionHandler,
  history: historyHandler,
  audit: auditHandler,
};

/** How often (in writes with an Idempotency-Key... or simply minutes) expired keys are purged. */
const PURGE_INTERVAL_MS = 10 * 60 * 1000;

/**
 * Response schemas for serialization: the documented ones, with `required` lifted from the
 * representations because `fields=` may return a subset of the properties.
 */
function serializationSchemas(operation: Operation, context: ResourceContext): Record<string, JsonSchema> {
  const schemas = responseSchemas(operation, context.components);
  const success: Record<string, JsonSchema> = {};
  const hidden = hiddenProperties(context);
  for (const [status, schema] of Object.entries(schemas)) {
    if (!status.startsWith('2')) continue;
    if (operation.kind === 'list' || operation.kind === 'read') {
      const defs = schema.$defs as Record<string, JsonSchema> | undefined;
      const plan = context.plans.get(operation.entity!)!;
      const own = defs?.[plan.entity.pascalName];
      if (own) delete own.required;
    }
    success[status] = hidden.size > 0 ? withoutRequired(schema, hidden) : schema;
  }
  return success;
}

/** Properties some callers never see (`visible_to`): authorization removes them from answers. */
function hiddenProperties(context: ResourceContext): Set<string> {
  const names = new Set<string>();
  for (const entity of context.model.entities) {
    for (const field of entity.fields) if (field.visibleTo) names.add(field.property);
  }
  return names;
}

/** A copy of `schema` where no object requires one of `names`. */
function withoutRequired(schema: JsonSchema, names: ReadonlySet<string>): JsonSchema {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      copy[key] =
        key === 'required' && Array.isArray(value)
          ? value.filter((name) => !names.has(String(name)))
          : walk(value);
    }
    return copy;
  };
  return walk(schema) as JsonSchema;
}

/** Why the operation's body refuses a property: the entity's row for writes, the envelope for bulk. */
function refusalFor(context: ResourceContext, operation: Operation): Refusal | undefined {
  if (operation.kind === 'bulk') return bulkEnvelopeRefusal;
  if (operation.kind !== 'create' && operation.kind !== 'update') return undefined;
  return bodyRefusal(context.plans.get(operation.entity!)!.entity, operation.kind);
}

function routeFor(
  context: ResourceContext,
  operation: Operation,
  validatorCompiler: ReturnType<typeof createValidatorCompiler>,
): RouteOptions {
  const schemas = requestSchemas(operation, context.components);
  const schema: Record<string, unknown> = { response: serializationSchemas(operation, context) };
  if (schemas.params) schema.params = schemas.params;
  if (schemas.querystring) schema.querystring = schemas.querystring;
  if (schemas.body) schema.body = schemas.body;
  return {
    method: operation.method,
    url: operation.fastifyPath,
    schema,
    validatorCompiler: validatorCompiler({
      optionalBody: operation.body?.required === false,
      bodyRefusal: refusalFor(context, operation),
    }),
    // Nothing to decompress without a body: no request-decompression hook on these routes.
    ...(operation.body ? {} : { decompress: false }),
    config: {
      operationId: operation.id,
      kind: operation.kind,
      entity: operation.entity,
      access: operation.access,
      bulkAccess: operation.bulkAccess,
    },
    handler: HANDLERS[operation.kind as ResourceOperationKind](context, operation),
  };
}

/**
 * Register every resource route on `app` (call it from the app factory, after the error handler
 * and the auth hooks): lists, items, bulk, transitions, history and audit. A method a resource
 * refuses (PATCH on an append-only ledger, POST on a read-only one) has no route: the errors
 * plugin answers it 405 with `Allow`.
 */
export async function registerResourceRoutes(app: FastifyInstance, options: ResourceOptions): Promise<void> {
  const { model, driver } = options;
  const context: ResourceContext = {
    model,
    driver,
    plans: createEntityPlans(model),
    components: buildSchemas(model),
    options,
    validators: createValidators(),
    pointReads: new Map(),
    writeBatches: [],
  };
  // Under the migration lock: two instances running CREATE TABLE IF NOT EXISTS at the same moment
  // can both pass the existence check and one then fails on the catalog's unique index.
  await driver.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.exec(IDEMPOTENCY_TABLE_SQL);
  });
  await purgeExpiredKeys(driver);
  const purge = setInterval(() => {
    purgeExpiredKeys(driver).catch((error: unknown) =>
      app.log.warn({ err: error }, 'idempotency key purge failed'),
    );
  }, PURGE_INTERVAL_MS);
  purge.unref();
  app.addHook('onClose', async () => clearInterval(purge));

  const validatorCompiler = createValidatorCompiler(context.validators);
  const operations = options.operations ?? buildOperations(model);
  for (const operation of operations) {
    if (operation.kind === 'service') continue;
    app.route(routeFor(context, operation, validatorCompiler));
  }
  if (app.hasDecorator('metrics')) reportBatches(app.metrics, context);
}

/**
 * Batched reads and writes in the app's metrics, read from the batchers' own counts when
 * scraped.
 */
function reportBatches(registry: Registry, context: ResourceContext): void {
  const counter = <Label extends string>(
    name: string,
    help: string,
    labelNames: readonly Label[],
    report: (inc: (labels: Record<Label, string>, value: number) => void) => void,
  ) =>
    new Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        report((labels, value) => this.inc(labels, value));
      },
    });
  const reads =
    (count: (reader: PointReads) => number) => (inc: (labels: { entity: string }, value: number) => void) => {
      for (const [entity, reader] of context.pointReads) inc({ entity }, count(reader));
    };
  const writes =
    (count: (sent: { statements: number; writes: number }) => number) =>
    (inc: (labels: { entity: string; operation: string }, value: number) => void) => {
      for (const { entity, operation, batches } of context.writeBatches)
        inc({ entity, operation }, count(batches.sent));
    };
  counter(
    'architect_db_batched_reads_total',
    'Reads by id answered by a statement that read several ids, because they arrived together or every pooled connection was busy, by entity.',
    ['entity'],
    reads((reader) => reader.sent.reads),
  );
  counter(
    'architect_db_read_batches_total',
    'Statements that read several items by id at once, by entity.',
    ['entity'],
    reads((reader) => reader.sent.statements),
  );
  counter(
    'architect_db_batched_writes_total',
    'Creates and updates written by a batched statement because others of the entity were in flight, by entity and operation.',
    ['entity', 'operation'],
    writes((sent) => sent.writes),
  );
  counter(
    'architect_db_write_batches_total',
    'Batched statements of creates or updates, by entity and operation.',
    ['entity', 'operation'],
    writes((sent) => sent.statements),
  );
}

/** The same as a Fastify plugin (`app.register(resourceRoutes, { model, driver })`). */
export const resourceRoutes: FastifyPluginAsync<ResourceOptions> = async (app, options) => {
  await registerResourceRoutes(app, options);
};
