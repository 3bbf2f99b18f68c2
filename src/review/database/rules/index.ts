/**
 * Every live-database rule.
 */
import type { DatabaseRule } from '../context.js';
import { rule as duplicateIndex } from './duplicate-index.js';
import { rule as fkWithoutIndex } from './fk-without-index.js';
import { rule as indexAdvice } from './index-advice.js';
import { rule as invalidIndex } from './invalid-index.js';
import { rule as notValidConstraint } from './not-valid-constraint.js';
import { rule as seqScanHeavyTable } from './seq-scan-heavy-table.js';
import { rule as sequenceNearExhaustion } from './sequence-near-exhaustion.js';
import { rule as slowQuery } from './slow-query.js';
import { rule as tableBloat } from './table-bloat.js';
import { rule as tableWithoutPrimaryKey } from './table-without-primary-key.js';
import { rule as unusedIndex } from './unused-index.js';
import { rule as xidWraparound } from './xid-wraparound.js';

export const DATABASE_RULES: readonly DatabaseRule[] = [
  tableWithoutPrimaryKey,
  fkWithoutIndex,
  unusedIndex,
  duplicateIndex,
  invalidIndex,
  notValidConstraint,
  seqScanHeavyTable,
  tableBloat,
  sequenceNearExhaustion,
  xidWraparound,
  slowQuery,
  indexAdvice,
];
