import { schemaType } from '../helpers.js';
import { defineRule } from '../rule.js';

const TEMPORAL_NAME =
  /(At|_at|Date|_date|Time|_time|Timestamp|_timestamp|On|_on)$|^(date|timestamp|created|updated|modified|deleted|expires|expiry)$/;

export default defineRule({
  id: 'architect/date-time-format',
  severity: 'warn',
  group: 'schemas',
  summary: 'String dates and times declare `format: date-time` or `date`',
  meaning:
    'A `createdAt` typed as a plain string can hold `03/04/2025`, `2025-03-04 10:00` or a time without a zone, and every client parses it differently. `format: date-time` (RFC 3339, with an offset) or `format: date` fixes the representation and lets generated clients use a real date type. Numeric timestamps are a different choice and are not checked.',
  help: 'Add `format: date-time` (RFC 3339 with offset) or `format: date`.',
  check({ api, report }) {
    for (const schema of api.schemas) {
      const name = schema.propertyName;
      if (name === undefined || !TEMPORAL_NAME.test(name) || schemaType(schema.value) !== 'string') continue;
      if (
        schema.value.format !== undefined ||
        schema.value.pattern !== undefined ||
        schema.value.enum !== undefined
      )
        continue;
      report({
        path: schema.path,
        message: `"${name}" looks like a date or time but is a string without format`,
      });
    }
  },
});
