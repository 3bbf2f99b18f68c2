/**
 * The error catalog and docs/errors.md stay in step (after fastify's
 * test/internals/errors.test.js): every code documented with its status, message and meaning,
 * no documented code that no longer exists. `npm run generate` rewrites the page.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderErrorsDoc } from '../scripts/write-errors-doc.js';
import { ArchitectError, ERROR_CATALOG, type ErrorSpec, formatMessage } from '../src/errors.js';

const catalog = ERROR_CATALOG as Record<string, ErrorSpec>;
const docs = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
const documentedCodes = [...docs.matchAll(/^### `([A-Z0-9_]+)`$/gm)].map((match) => match[1]);

describe('error catalog', () => {
  it('documents every code in docs/errors.md, once', () => {
    for (const code of Object.keys(catalog)) expect(documentedCodes, code).toContain(code);
    expect(new Set(documentedCodes).size).toBe(documentedCodes.length);
  });

  it('documents no code that no longer exists', () => {
    for (const code of documentedCodes) expect(Object.keys(catalog), code).toContain(code);
  });

  it('keeps docs/errors.md exactly as `npm run generate` writes it', () => {
    expect(docs).toBe(renderErrorsDoc());
  });

  it('gives every code a stable shape: UPPER_SNAKE name, message, meaning, valid status', () => {
    for (const [code, spec] of Object.entries(catalog)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(spec.message.length, code).toBeGreaterThan(0);
      expect(spec.meaning.length, code).toBeGreaterThan(10);
      if (spec.status !== undefined) {
        expect(spec.status, code).toBeGreaterThanOrEqual(400);
        expect(spec.status, code).toBeLessThan(600);
      }
    }
  });

  it('fills message templates and carries code and status on ArchitectError', () => {
    expect(formatMessage('Cannot write {path}: {detail}', { path: 'a.sql' })).toBe(
      'Cannot write a.sql: {detail}',
    );
    const error = new ArchitectError('NOT_FOUND', { resource: 'Purchase order' });
    expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404, message: 'Purchase order not found' });
    expect(new ArchitectError('CLI_USAGE', { detail: 'x' }).status).toBe(500);
  });
});
