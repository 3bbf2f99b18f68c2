/**
 * The PostgreSQL DDL emitter: pure functions from the normalized model to `schema.sql`.
 *
 * The script runs on PostgreSQL 15+ and on PGlite, needs no extension, and is idempotent:
 * running it on a database that already has the schema succeeds and changes nothing.
 *
 * Names the runtime relies on:
 * - constraint and index names come from the model (`entity.checks[].constraint`,
 *   `entity.indexes[].name`, `field.reference.constraint`), so SQLSTATE 23514/23505/23503
 *   errors map back to the blueprint;
 * - changes to append-only tables fail with SQLSTATE `APPEND_ONLY_SQLSTATE` (RA001) and the
 *   trigger name `<table>_append_only` as the error's constraint;
 * - every UPDATE bumps `version` by exactly one in the database (`TOUCH_FUNCTION`): the runtime
 *   never computes the next version.
 */
import { getEntity, type Model } from '../../blueprint/model.js';
import { quoteIdentifier } from '../../sql/identifiers.js';
import { auditSection } from './audit.js';
import { authSection } from './auth-tables.js';
import { entityComments } from './comments.js';
import { banner, wrapComment } from './format.js';
import {
  APPEND_ONLY_FUNCTION,
  APPEND_ONLY_SQLSTATE,
  functionStatements,
  TOUCH_FUNCTION,
} from './functions.js';
import { entityIndexes } from './indexes.js';
import { historySection } from './lifecycle.js';
import type { SchemaSection, SchemaStatement } from './statements.js';
import { deferredForeignKeys, entityTable } from './tables.js';
import { tenancySection } from './tenancy-policies.js';
import { entityTriggers } from './triggers.js';

export { UUID_V7_FUNCTION } from '../../blueprint/normalize.js';
export { AUDIT_TABLE } from './audit.js';
export { columnDefinition, entityColumns, SOFT_DELETE_COLUMN } from './columns.js';
export { APPEND_ONLY_FUNCTION, APPEND_ONLY_SQLSTATE, TOUCH_FUNCTION } from './functions.js';
export { historyKeyColumns } from './lifecycle.js';
export type {
  SchemaSection,
  SchemaStatement,
  StatementKind,
  TableColumn,
  TableConstraint,
  TableConstraintKind,
} from './statements.js';
export { STATEMENT_KINDS } from './statements.js';
export { addConstraintIfMissing } from './tables.js';
export { appendOnlyTriggerName, touchTriggerName } from './triggers.js';

/**
 * The schema as titled sections, in the order they must run: shared functions, each entity's
 * table (in `model.creationOrder`) with its comments, indexes, triggers and status history,
 * then foreign keys that close reference cycles, then the audit log.
 */
export function schemaSections(model: Model): SchemaSection[] {
  const sections: SchemaSection[] = [
    {
      title: 'Shared functions',
      notes: [
        `${TOUCH_FUNCTION}() keeps version and updated_at current on every UPDATE, even from raw SQL.`,
        `${APPEND_ONLY_FUNCTION}() refuses changes to append-only tables with SQLSTATE ${APPEND_ONLY_SQLSTATE}.`,
      ],
      statements: functionStatements(),
    },
  ];
  const auth = authSection(model);
  if (auth) sections.push(auth);
  const entities = model.creationOrder.map((name) => getEntity(model, name));
  for (const entity of entities) {
    sections.push({
      title: entity.table,
      notes: [
        ...(entity.description ? [entity.description] : []),
        ...(entity.appendOnly ? ['Append-only: UPDATE, DELETE and TRUNCATE are refused.'] : []),
      ],
      statements: [
        entityTable(entity),
        ...entityComments(entity),
        ...entityIndexes(entity),
        ...entityTriggers(entity),
      ],
    });
    const history = historySection(entity);
    if (history) sections.push(history);
  }
  const deferred = entities.flatMap(deferredForeignKeys);
  if (deferred.length > 0) {
    sections.push({
      title: 'Foreign keys closing reference cycles',
      notes: ['Added once both tables exist; each block does nothing when the constraint is already there.'],
      statements: deferred,
    });
  }
  if (model.hasAudit) sections.push(auditSection({ tenancy: model.tenancy.kind === 'organization' }));
  const tenancy = tenancySection(model);
  if (tenancy) sections.push(tenancy);
  return sections;
}

/**
 * Every statement of the schema in execution order, for the runtime to apply or diff.
 *
 * @example
 * for (const statement of schemaStatements(model)) await db.exec(statement.sql);
 */
export function schemaStatements(model: Model): SchemaStatement[] {
  return schemaSections(model).flatMap((section) => section.statements);
}

/**
 * The whole `schema.sql`: the statements of `schemaStatements(model)` with a commented section
 * per entity. Deterministic: the same model gives byte-identical text.
 *
 * @example
 * await writeFile('schema.sql', emitSchemaSql(await loadBlueprint('examples/inventory')));
 */
export function emitSchemaSql(model: Model): string {
  const header = [
    ...wrapComment(`schema.sql for ${model.name}: ${model.title}.`),
    ...wrapComment(
      'Generated from the blueprint by `architect design`; change the blueprint, not this file. Runs on PostgreSQL 15+ (and PGlite) without extensions, and is idempotent: running it again changes nothing.',
    ),
  ].join('\n');
  const body = schemaSections(model).map(
    (section) => `${banner(section.title, section.notes)}\n\n${groupByKind(section.statements)}`,
  );
  return `${[header, ...body].join('\n\n')}\n`;
}

/** Consecutive statements of the same kind sit together; a blank line separates kinds. */
function groupByKind(statements: readonly SchemaStatement[]): string {
  let text = '';
  statements.forEach((statement, position) => {
    const previous = statements[position - 1];
    const isMultiLine = statement.sql.includes('\n') || previous?.sql.includes('\n');
    if (previous) text += previous.kind === statement.kind && !isMultiLine ? '\n' : '\n\n';
    text += statement.sql;
  });
  return text;
}

/**
 * A script removing everything `emitSchemaSql` creates (tables in reverse creation order, then
 * the shared functions). Destroys data: meant for tests and throwaway databases.
 */
export function emitDropSql(model: Model): string {
  const tables = schemaStatements(model)
    .filter((statement) => statement.kind === 'table')
    .map((statement) => statement.name)
    .reverse();
  const functions = functionStatements().filter((statement) => statement.kind === 'function');
  return [
    ...tables.map((table) => `DROP TABLE IF EXISTS ${quoteIdentifier(table)} CASCADE;`),
    ...functions.map((statement) => `DROP FUNCTION IF EXISTS ${statement.name}() CASCADE;`),
  ]
    .join('\n')
    .concat('\n');
}
