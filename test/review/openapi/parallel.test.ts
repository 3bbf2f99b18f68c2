/**
 * Large documents run the architect rules on a worker thread beside Spectral: the findings must
 * be exactly those of the single-threaded run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/review/finding.js';
import { reviewOpenApi } from '../../../src/review/openapi/index.js';

const key = (finding: Finding) =>
  `${finding.ruleId} ${finding.location.line}:${finding.location.column} ${finding.message}`;

describe('architect rules on a worker thread', () => {
  it('finds exactly what the single-threaded review finds', async () => {
    const file = join(import.meta.dirname, '../../fixtures/corpus/openapi/launchdarkly.json');
    const input = { file, text: readFileSync(file, 'utf8') };
    const inline = await reviewOpenApi(input, { parallel: false });
    const threaded = await reviewOpenApi(input, { parallel: true });
    expect(threaded.findings.map(key).sort()).toEqual(inline.findings.map(key).sort());
    expect(threaded.findings.some((finding) => finding.ruleId.startsWith('architect/'))).toBe(true);
    expect(threaded.findings.some((finding) => !finding.ruleId.startsWith('architect/'))).toBe(true);
  }, 60_000);
});
