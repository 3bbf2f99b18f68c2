/** Names of component schemas and `$ref` helpers, so every module spells them the same way. */

import type { Entity } from '../../blueprint/model.js';
import { pascalCase } from '../../blueprint/naming.js';
import type { JsonSchema } from './types.js';

/** Prefix every component schema reference uses. */
export const SCHEMA_REF_PREFIX = '#/components/schemas/';

/** `{ $ref: '#/components/schemas/<name>' }` */
export function schemaRef(name: string): JsonSchema {
  return { $ref: `${SCHEMA_REF_PREFIX}${name}` };
}

/** Component names of one entity's schemas. */
export function entitySchemaNames(entity: Entity) {
  const base = entity.pascalName;
  return {
    read: base,
    partial: `${base}Partial`,
    create: `${base}Create`,
    update: `${base}Update`,
    page: `${base}Page`,
    bulkRequest: `${base}BulkRequest`,
    bulkUpdateItem: `${base}BulkUpdateItem`,
    bulkDeleteItem: `${base}BulkDeleteItem`,
    historyEntry: `${base}HistoryEntry`,
    historyPage: `${base}HistoryPage`,
  } as const;
}

/** Enum component name: `location_kind` -> `LocationKind`. */
export function enumSchemaName(enumName: string): string {
  return pascalCase(enumName);
}

/** Shared component names. */
export const COMMON_SCHEMAS = {
  error: 'Error',
  errorCode: 'ErrorCode',
  pageInfo: 'PageInfo',
  bulkResult: 'BulkResult',
  transitionRequest: 'TransitionRequest',
  transitionRequestWithReason: 'TransitionRequestWithReason',
  transitionRequestWithoutReason: 'TransitionRequestWithoutReason',
  auditEntry: 'AuditEntry',
  auditPage: 'AuditPage',
  health: 'HealthStatus',
} as const;

/** A readable lower-case noun for an entity: `purchase_order` -> `purchase order`. */
export function humanName(entity: Entity): string {
  return entity.name.replace(/_/g, ' ');
}

/** Plural noun: `purchase orders`. */
export function humanPlural(entity: Entity): string {
  return entity.table.replace(/_/g, ' ');
}

/** `a` or `an` before a noun. */
export function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? 'an' : 'a';
}
