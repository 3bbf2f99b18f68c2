/**
 * One parse of an OpenAPI document, shared by Spectral's rules and ours: Spectral's `Document`
 * keeps the positions, so both sides locate findings from the same tree.
 */
import { Document } from '@stoplight/spectral-core';
import Parsers from '@stoplight/spectral-parsers';
import { ArchitectError } from '../../errors.js';
import type { FindingLocation } from '../finding.js';

export type Segment = string | number;

export interface OpenApiSource {
  readonly file: string;
  readonly text: string;
  /** Spectral's parsed document (positions included). */
  readonly document: Document;
  /** The plain value of the document. */
  readonly data: Record<string, unknown>;
  /** Where the value at `path` starts and ends; the closest ancestor when the path does not exist. */
  locate(path: readonly Segment[]): FindingLocation;
}

/** JSON files use the JSON parser (much faster on large documents); everything else YAML. */
export function parseOpenApiSource(file: string, text: string): OpenApiSource {
  const parser = /\.json$/i.test(file) ? Parsers.Json : Parsers.Yaml;
  const document = new Document(text, parser as never, file);
  const fatal = document.diagnostics.find((item) => item.severity === 0 && item.code === 'parser');
  const data = document.data;
  if (fatal !== undefined || data === null || typeof data !== 'object' || Array.isArray(data)) {
    const where = fatal ? `${fatal.range.start.line + 1}:${fatal.range.start.character + 1}` : '1:1';
    throw new ArchitectError('REVIEW_PARSE', {
      file,
      detail: `${where} ${fatal?.message ?? 'the document is not a mapping'}`,
    });
  }
  return {
    file,
    text,
    document,
    data: data as Record<string, unknown>,
    locate(path) {
      const range = document.getRangeForJsonPath([...path], true);
      const pointer = toPointer(path);
      if (range === undefined) return { file, line: 1, column: 1, pointer };
      return {
        file,
        line: range.start.line + 1,
        column: range.start.character + 1,
        endLine: range.end.line + 1,
        endColumn: range.end.character + 1,
        pointer,
      };
    },
  };
}

/** `['paths', '/users', 'get']` → `/paths/~1users/get` (RFC 6901). */
export function toPointer(path: readonly Segment[]): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** `/paths/~1users/get` → `['paths', '/users', 'get']`. */
export function fromPointer(pointer: string): string[] {
  if (pointer === '' || pointer === '#') return [];
  return pointer
    .replace(/^#/, '')
    .slice(1)
    .split('/')
    .map((segment) => safeDecode(segment).replace(/~1/g, '/').replace(/~0/g, '~'));
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
