import { MAX_IDENTIFIER_LENGTH } from '../../../sql/identifiers.js';
import type { SchemaRule } from '../context.js';

export const rule: SchemaRule = {
  id: 'sql/identifier-too-long',
  severity: 'error',
  group: 'naming',
  summary: 'Identifiers fit in 63 bytes',
  meaning:
    'PostgreSQL silently truncates identifiers to 63 bytes. Two long names that share their first 63 bytes become the same name (the second CREATE then fails or, with IF NOT EXISTS, silently does nothing), and code that uses the full name keeps working only because PostgreSQL truncates it too, until a tool compares names.',
  *check(context) {
    const source = context.parsed.source;
    for (const token of context.tokens()) {
      if (token.tokenName !== 'IDENT') continue;
      const raw = token.text.startsWith('"') ? token.text.slice(1, -1).replaceAll('""', '"') : token.text;
      const bytes = Buffer.byteLength(raw, 'utf8');
      if (bytes <= MAX_IDENTIFIER_LENGTH) continue;
      const from = source.positionOfByte(token.start);
      const to = source.positionOfByte(token.end);
      yield {
        message: `Identifier ${raw.slice(0, 40)}... is ${bytes} bytes; PostgreSQL truncates it to ${MAX_IDENTIFIER_LENGTH}`,
        span: { line: from.line, column: from.column, endLine: to.line, endColumn: to.column },
        help: `Shorten the name to at most ${MAX_IDENTIFIER_LENGTH} bytes (abbreviate, or keep a head and a short hash as the design emitter does).`,
      };
    }
  },
};
