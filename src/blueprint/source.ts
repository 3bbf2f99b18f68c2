/**
 * Reading a blueprint file while keeping positions, so every diagnostic can name
 * `file:line:column`. Text in the plain subset blueprints are usually written in is read by
 * `yaml-subset.ts`; anything else, JSON included (JSON is a subset of YAML 1.2), by the full
 * YAML 1.2 parser, which also reports every syntax error.
 */
import { createRequire } from 'node:module';
import type { Document, Node } from 'yaml';
import { type Diagnostic, diagnostic } from './diagnostics.js';
import type { SourceLocation } from './model.js';
import { readYamlSubset, type SubsetDocument, type SubsetNode } from './yaml-subset.js';

type Yaml = typeof import('yaml');

let yaml: Yaml | undefined;

/** The full parser loads only for text the subset reader leaves to it (`yaml` ships as CommonJS). */
function loadYaml(): Yaml {
  yaml ??= createRequire(import.meta.url)('yaml') as Yaml;
  return yaml;
}

export type PathSegment = string | number;

export interface BlueprintSource {
  readonly file: string;
  readonly text: string;
  /** The plain JavaScript value of the document (undefined when it does not parse). */
  readonly value: unknown;
  readonly syntaxErrors: readonly Diagnostic[];
  /**
   * Where a value lives. With `{ key: true }` points at the mapping key instead of the value,
   * which is the right place for "unknown key" errors. Falls back to the closest ancestor.
   */
  locate(path: readonly PathSegment[], options?: { key?: boolean }): SourceLocation;
}

/** `fullParser` skips the subset reader (tests compare the two). */
export function readBlueprintSource(
  file: string,
  text: string,
  options: { fullParser?: boolean } = {},
): BlueprintSource {
  const subset = options.fullParser || /\.json$/i.test(file) ? undefined : readYamlSubset(text);
  return subset ? subsetSource(file, text, subset) : parsedSource(file, text);
}

/** A blueprint in the plain subset: the same value and positions, without loading the full parser. */
function subsetSource(file: string, text: string, subset: SubsetDocument): BlueprintSource {
  const lineStarts = [0];
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) {
    lineStarts.push(index + 1);
  }
  const at = (offset: number): SourceLocation => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { file, line: low + 1, column: offset - lineStarts[low]! + 1 };
  };
  return {
    file,
    text,
    value: subset.value,
    syntaxErrors: [],
    locate(path, options = {}) {
      return at(findSubsetNode(subset.root, path, options.key === true));
    },
  };
}

function parsedSource(file: string, text: string): BlueprintSource {
  const { LineCounter, parseDocument } = loadYaml();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: false });
  const at = (offset: number): SourceLocation => {
    const position = lineCounter.linePos(offset);
    return { file, line: position.line, column: position.col };
  };

  const format = /\.json$/i.test(file) ? 'JSON' : 'YAML';
  const syntaxErrors: Diagnostic[] = document.errors.map((error) =>
    error.code === 'DUPLICATE_KEY'
      ? diagnostic(
          'BLUEPRINT_DUPLICATE_KEY',
          { key: duplicateKeyName(text, error.pos[0]) },
          at(error.pos[0]),
          'Keep one of the two entries; YAML would silently drop one of them.',
        )
      : diagnostic(
          'BLUEPRINT_SYNTAX',
          { format, detail: error.message.split('\n')[0] ?? error.message },
          at(syntaxErrorOffset(text, error.message, error.pos[0])),
        ),
  );

  const value = syntaxErrors.length === 0 ? document.toJS({ maxAliasCount: 100 }) : undefined;

  return {
    file,
    text,
    value,
    syntaxErrors,
    locate(path, options = {}) {
      const found = findNode(document, path, options.key === true);
      return found === undefined ? { file, line: 1, column: 1 } : at(found);
    },
  };
}

/**
 * The parser reports some errors where it gave up, often the end of the file. Point at what the
 * user has to fix instead: the unclosed quote or bracket, or the misindented key.
 */
function syntaxErrorOffset(text: string, message: string, offset: number): number {
  if (/Missing closing .?quote/.test(message)) {
    const opening = Math.max(text.lastIndexOf('"', offset - 1), text.lastIndexOf("'", offset - 1));
    return opening >= 0 ? opening : offset;
  }
  const bracket = /Flow (map|sequence).*end with an? ([}\]])/.exec(message);
  if (bracket) return unclosedBracket(text, offset, bracket[2] === '}' ? '{' : '[', bracket[2]!) ?? offset;
  if (/must start at the same column/.test(message)) {
    const spaces = /^[ \t]*/.exec(text.slice(offset))?.[0].length ?? 0;
    return offset + spaces;
  }
  return offset;
}

/** The last `open` before `offset` that no `close` matches (quotes are not tracked). */
function unclosedBracket(text: string, offset: number, open: string, close: string): number | undefined {
  let depth = 0;
  for (let index = Math.min(offset, text.length) - 1; index >= 0; index -= 1) {
    if (text[index] === close) depth += 1;
    else if (text[index] === open) {
      if (depth === 0) return index;
      depth -= 1;
    }
  }
  return undefined;
}

function duplicateKeyName(text: string, offset: number): string {
  const match = /^[\w$"'-]+/.exec(text.slice(offset));
  return match ? match[0].replace(/["']/g, '') : '';
}

/** Offset of the node at `path` (or of its key), or of the deepest ancestor that exists. */
function findNode(document: Document, path: readonly PathSegment[], wantKey: boolean): number | undefined {
  const { isMap, isPair, isScalar, isSeq } = loadYaml();
  let node: Node | null | undefined = document.contents;
  let offset = node?.range?.[0];
  for (let index = 0; index < path.length; index += 1) {
    const segment = path[index];
    const isLast = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) return offset;
      const keyNode = pair.key as Node;
      if (isLast && wantKey) return keyNode.range?.[0] ?? offset;
      node = pair.value as Node | null;
      offset = node?.range?.[0] ?? keyNode.range?.[0] ?? offset;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (!item) return offset;
      node = item;
      offset = item.range?.[0] ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

/** `findNode` over the subset reader's nodes, with the same fallbacks. */
function findSubsetNode(root: SubsetNode, path: readonly PathSegment[], wantKey: boolean): number {
  let node = root;
  for (let index = 0; index < path.length; index += 1) {
    const segment = path[index];
    if (node.kind === 'map') {
      const entry = node.entries.get(String(segment));
      if (!entry) return node.offset;
      if (index === path.length - 1 && wantKey) return entry.keyOffset;
      node = entry.value;
    } else if (node.kind === 'seq') {
      const item = node.items[Number(segment)];
      if (!item) return node.offset;
      node = item;
    } else {
      return node.offset;
    }
  }
  return node.offset;
}
