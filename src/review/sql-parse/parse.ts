/**
 * Parse a SQL file with the real PostgreSQL parser (libpg-query, WASM) into located statements.
 *
 * The whole text is parsed at once first. When that fails (a syntax error, or psql
 * meta-commands such as `\connect` in a pg_dump file), the text is split into statements with
 * PostgreSQL's own scanner and each statement is parsed alone, so one bad statement costs one
 * finding instead of the whole review.
 */
import {
  loadModule,
  type Node,
  type ParseResult,
  parse,
  parseSync,
  type ScanToken,
  scanSync,
} from 'libpg-query';
import { kindOf, type NodeKind } from './ast.js';
import { SourceMap } from './source-map.js';

export interface SourceSpan {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface ParsedStatement {
  /** Position in the file, 0-based. */
  readonly index: number;
  readonly node: Node;
  readonly kind: NodeKind;
  /** String indices of the statement text (without the terminating semicolon). */
  readonly start: number;
  readonly end: number;
  readonly span: SourceSpan;
  readonly text: string;
  /** Node `location`s inside this statement are byte offsets from here (0 unless parsed alone). */
  readonly baseByte: number;
}

export interface ParseProblem {
  readonly message: string;
  readonly span: SourceSpan;
}

export interface ParsedSql {
  readonly source: SourceMap;
  readonly statements: readonly ParsedStatement[];
  readonly problems: readonly ParseProblem[];
}

let loaded: Promise<void> | undefined;
function ensureLoaded(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

export async function parseSql(text: string): Promise<ParsedSql> {
  await ensureLoaded();
  const source = new SourceMap(text);
  let result: ParseResult | undefined;
  try {
    result = await parse(text);
  } catch {
    result = undefined;
  }
  if (result) return { source, statements: locate(source, result, 0), problems: [] };
  return parseByStatement(source);
}

export function spanOf(source: SourceMap, start: number, end: number): SourceSpan {
  const from = source.positionOfIndex(start);
  const to = source.positionOfIndex(Math.max(start, end));
  return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
}

/** Turn the parser's byte locations (relative to `baseByte`) into statements with spans. */
function locate(source: SourceMap, result: ParseResult, baseByte: number, firstIndex = 0): ParsedStatement[] {
  const statements: ParsedStatement[] = [];
  for (const raw of result.stmts ?? []) {
    if (!raw.stmt) continue;
    const kind = kindOf(raw.stmt);
    if (!kind) continue;
    const startByte = baseByte + (raw.stmt_location ?? 0);
    const start = source.indexOfByte(startByte);
    const end = raw.stmt_len ? source.indexOfByte(startByte + raw.stmt_len) : source.text.length;
    const text = source.text.slice(start, end).trimEnd();
    statements.push({
      index: firstIndex + statements.length,
      node: raw.stmt,
      kind,
      start,
      end: start + text.length,
      span: spanOf(source, start, start + text.length),
      text,
      baseByte,
    });
  }
  return statements;
}

interface Chunk {
  readonly startByte: number;
  readonly endByte: number;
}

/** Statement boundaries from the scanner: semicolons, and psql meta-command lines (`\connect`). */
function chunksOf(source: SourceMap, tokens: readonly ScanToken[]): Chunk[] {
  const chunks: Chunk[] = [];
  let chunkStart: number | undefined;
  let skipUntilByte = -1;
  for (const token of tokens) {
    if (token.start < skipUntilByte) continue;
    if (token.tokenName === 'SQL_COMMENT' || token.tokenName === 'C_COMMENT') continue;
    const index = source.indexOfByte(token.start);
    const atLineStart = lineBefore(source.text, index).trim() === '';
    if (token.text === '\\' && atLineStart) {
      if (chunkStart !== undefined) chunks.push({ startByte: chunkStart, endByte: token.start });
      chunkStart = undefined;
      const lineEnd = source.text.indexOf('\n', index);
      skipUntilByte = lineEnd < 0 ? Number.POSITIVE_INFINITY : source.byteOffsetOfIndex(lineEnd);
      continue;
    }
    chunkStart ??= token.start;
    if (token.tokenName === 'ASCII_59') {
      chunks.push({ startByte: chunkStart, endByte: token.end });
      chunkStart = undefined;
    }
  }
  if (chunkStart !== undefined)
    chunks.push({ startByte: chunkStart, endByte: Buffer.byteLength(source.text) });
  return chunks;
}

function lineBefore(text: string, index: number): string {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  return text.slice(lineStart, index);
}

function parseByStatement(source: SourceMap): ParsedSql {
  let tokens: ScanToken[];
  try {
    tokens = scanSync(source.text).tokens;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { source, statements: [], problems: [{ message, span: spanOf(source, 0, 0) }] };
  }
  const statements: ParsedStatement[] = [];
  const problems: ParseProblem[] = [];
  for (const chunk of chunksOf(source, tokens)) {
    const start = source.indexOfByte(chunk.startByte);
    const end = source.indexOfByte(chunk.endByte);
    const text = source.text.slice(start, end);
    try {
      statements.push(...locate(source, parseSync(text), chunk.startByte, statements.length));
    } catch (error) {
      const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
      const at = source.indexOfByte(chunk.startByte + (details?.cursorPosition ?? 0));
      const message = error instanceof Error ? error.message : String(error);
      problems.push({ message, span: spanOf(source, at, at) });
    }
  }
  return { source, statements, problems };
}
