/**
 * Every schema rule, in the order findings are produced (the engine sorts them by location).
 */
import type { SchemaRule } from '../context.js';
import { rule as charType } from './char-type.js';
import { rule as createRule } from './create-rule.js';
import { rule as duplicateIndex } from './duplicate-index.js';
import { rule as enumType } from './enum-type.js';
import { rule as fkMissingOnDelete } from './fk-missing-on-delete.js';
import { rule as fkTypeMismatch } from './fk-type-mismatch.js';
import { rule as fkWithoutIndex } from './fk-without-index.js';
import { rule as floatForMoney } from './float-for-money.js';
import { rule as idColumnWithoutForeignKey } from './id-column-without-foreign-key.js';
import { rule as identifierTooLong } from './identifier-too-long.js';
import { rule as inconsistentTableInflection } from './inconsistent-table-inflection.js';
import { rule as missingTimestamps } from './missing-timestamps.js';
import { rule as moneyType } from './money-type.js';
import { rule as namingSnakeCase } from './naming-snake-case.js';
import { rule as nullableShouldBeNotNull } from './nullable-should-be-not-null.js';
import { rule as preferBigintKey } from './prefer-bigint-key.js';
import { rule as preferIdentity } from './prefer-identity.js';
import { rule as preferJsonb } from './prefer-jsonb.js';
import { rule as preferTextOverVarchar } from './prefer-text-over-varchar.js';
import { rule as redundantIndex } from './redundant-index.js';
import { rule as reservedWordIdentifier } from './reserved-word-identifier.js';
import { rule as rlsPolicyWithoutRls } from './rls-policy-without-rls.js';
import { rule as rlsWithoutPolicy } from './rls-without-policy.js';
import { rule as roundedTimestamp } from './rounded-timestamp.js';
import { rule as securityDefinerSearchPath } from './security-definer-search-path.js';
import { rule as tableWithoutPrimaryKey } from './table-without-primary-key.js';
import { rule as timeWithTimeZone } from './time-with-time-zone.js';
import { rule as timestampWithoutTimeZone } from './timestamp-without-time-zone.js';
import { rule as uniqueOnNullable } from './unique-on-nullable.js';
import { rule as uuidV4PrimaryKey } from './uuid-v4-primary-key.js';
import { rule as volatileCheckConstraint } from './volatile-check-constraint.js';
import { rule as wideCompositeKey } from './wide-composite-key.js';
import { rule as wideIndex } from './wide-index.js';

export { syntaxErrorRule } from './syntax-error.js';

export const SCHEMA_RULES: readonly SchemaRule[] = [
  tableWithoutPrimaryKey,
  preferIdentity,
  preferBigintKey,
  wideCompositeKey,
  uuidV4PrimaryKey,
  fkTypeMismatch,
  fkWithoutIndex,
  duplicateIndex,
  redundantIndex,
  wideIndex,
  timestampWithoutTimeZone,
  timeWithTimeZone,
  roundedTimestamp,
  floatForMoney,
  moneyType,
  preferTextOverVarchar,
  charType,
  preferJsonb,
  enumType,
  nullableShouldBeNotNull,
  uniqueOnNullable,
  fkMissingOnDelete,
  idColumnWithoutForeignKey,
  volatileCheckConstraint,
  createRule,
  missingTimestamps,
  namingSnakeCase,
  inconsistentTableInflection,
  reservedWordIdentifier,
  identifierTooLong,
  rlsPolicyWithoutRls,
  rlsWithoutPolicy,
  securityDefinerSearchPath,
];
