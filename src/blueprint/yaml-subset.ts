/**
 * A reader for the plain subset of YAML that blueprints are written in: block mappings with
 * identifier keys, block sequences, one-line flow collections, plain and quoted one-line
 * scalars, and `>`/`|` block scalars of evenly indented lines.
 *
 * It exists for start-up time: the full YAML parser costs more to load than a blueprint takes to
 * check. It answers `undefined` for anything outside the subset (anchors, tags, multi-line plain
 * scalars, duplicate keys, any syntax error...) and the caller then reads the text with the full
 * parser, so errors are always reported by the one parser. Where it does answer, the value and
 * the offset of every node are those the full parser gives (YAML 1.2 core schema); a test holds
 * the two readers to that on every blueprint in the repository.
 */

/** A node and the offset the full parser reports as its start (`range[0]`). */
export type SubsetNode =
  | { readonly kind: 'map'; readonly offset: number; readonly entries: Map<string, SubsetEntry> }
  | { readonly kind: 'seq'; readonly offset: number; readonly items: SubsetNode[] }
  | { readonly kind: 'scalar'; readonly offset: number };

export interface SubsetEntry {
  readonly keyOffset: number;
  readonly value: SubsetNode;
}

export interface SubsetDocument {
  /** The plain JavaScript value, as `Document.toJS()` gives it. */
  readonly value: unknown;
  readonly root: SubsetNode;
}

/** Thrown inside the reader when the text leaves the subset; never escapes `readYamlSubset`. */
class OutsideSubset extends Error {}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Keys the core schema would not read as strings, or that objects treat specially. */
const NON_STRING_KEY = /^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|__proto__)$/;
/** Directives and document markers. */
const DOCUMENT_MARKER = /^(?:---|\.\.\.|%)/m;
/** Whatever may follow a complete value on its line: nothing, or a comment. */
const LINE_END = /^(?: +#.*| *)$/;

/**
 * The value and node offsets of `text`, or `undefined` when it is not in the subset.
 *
 * @example
 * readYamlSubset('name: shop\ntags: [a, b]\n')?.value; // { name: 'shop', tags: ['a', 'b'] }
 */
export function readYamlSubset(text: string): SubsetDocument | undefined {
  if (hasUnsupportedCharacter(text) || DOCUMENT_MARKER.test(text)) return undefined;
  try {
    return new SubsetReader(text).document();
  } catch (error) {
    if (error instanceof OutsideSubset) return undefined;
    throw error;
  }
}

/** Tabs, CR, other control characters, a BOM and Unicode line separators are left to the full parser. */
function hasUnsupportedCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if ((code < 0x20 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f)) return true;
    if (code === 0x2028 || code === 0x2029 || code === 0xfeff) return true;
  }
  return false;
}

function outside(): never {
  throw new OutsideSubset();
}

function indentOf(line: string): number {
  let column = 0;
  while (line.charCodeAt(column) === 32) column += 1;
  return column;
}

/** Blank lines and comment lines carry no content. */
function isContent(line: string): boolean {
  const column = indentOf(line);
  return column < line.length && line[column] !== '#';
}

class SubsetReader {
  private readonly lines: string[];
  private readonly starts: number[];
  /** The line being read. */
  private row = 0;

  constructor(text: string) {
    this.lines = text.split('\n');
    this.starts = [];
    let offset = 0;
    for (const line of this.lines) {
      this.starts.push(offset);
      offset += line.length + 1;
    }
  }

  document(): SubsetDocument {
    this.skipToContent();
    if (this.row >= this.lines.length || indentOf(this.lines[this.row]!) !== 0) outside();
    const { node, value } = this.blockMap(0, 0);
    this.skipToContent();
    if (this.row < this.lines.length) outside();
    return { value, root: node };
  }

  private skipToContent(): void {
    while (this.row < this.lines.length && !isContent(this.lines[this.row]!)) this.row += 1;
  }

  /** A block mapping whose keys sit at `indent`; its first key may follow a `- ` at `column`. */
  private blockMap(indent: number, column: number): { node: SubsetNode; value: unknown } {
    const entries = new Map<string, SubsetEntry>();
    const value: Record<string, unknown> = {};
    let first = true;
    let offset = 0;
    for (;;) {
      if (!first) {
        this.skipToContent();
        if (this.row >= this.lines.length) break;
        const lineIndent = indentOf(this.lines[this.row]!);
        if (lineIndent < indent) break;
        if (lineIndent > indent) outside();
      }
      const line = this.lines[this.row]!;
      const start = first ? column : indent;
      const colon = line.indexOf(':', start);
      const key = colon < 0 ? '' : line.slice(start, colon);
      if (!KEY.test(key) || NON_STRING_KEY.test(key) || key.length > 1000) outside();
      const after = line[colon + 1];
      if (after !== undefined && after !== ' ') outside();
      if (entries.has(key)) outside();
      const keyOffset = this.starts[this.row]! + start;
      if (first) offset = keyOffset;
      first = false;
      const entry = this.mapValue(indent, colon + 1);
      entries.set(key, { keyOffset, value: entry.node });
      value[key] = entry.value;
    }
    return { node: { kind: 'map', offset, entries }, value };
  }

  /** The value of a block mapping entry whose `:` ends at `column` of the current line. */
  private mapValue(indent: number, column: number): { node: SubsetNode; value: unknown } {
    const line = this.lines[this.row]!;
    let start = column;
    while (line.charCodeAt(start) === 32) start += 1;
    if (start >= line.length || line[start] === '#') {
      // The value is on the following lines: a block collection, or a flow one on its own line.
      this.row += 1;
      this.skipToContent();
      if (this.row >= this.lines.length) outside();
      const next = this.lines[this.row]!;
      const childIndent = indentOf(next);
      if (childIndent <= indent) outside();
      if (next[childIndent] === '-') return this.blockSeq(childIndent);
      if (next[childIndent] === '{' || next[childIndent] === '[') return this.inlineItem(next, childIndent);
      return this.blockMap(childIndent, childIndent);
    }
    const marker = line[start];
    if (marker === '>' || marker === '|') return this.blockScalar(indent, start);
    const found = this.inlineValue(line, start);
    this.row += 1;
    return found;
  }

  /** A block sequence whose `-` sit at `indent`. */
  private blockSeq(indent: number): { node: SubsetNode; value: unknown } {
    const items: SubsetNode[] = [];
    const value: unknown[] = [];
    const offset = this.starts[this.row]! + indent;
    for (;;) {
      this.skipToContent();
      if (this.row >= this.lines.length) break;
      const line = this.lines[this.row]!;
      const lineIndent = indentOf(line);
      if (lineIndent < indent || (lineIndent === indent && line[indent] !== '-')) break;
      if (lineIndent > indent || line[indent + 1] !== ' ') outside();
      let start = indent + 1;
      while (line.charCodeAt(start) === 32) start += 1;
      if (start >= line.length || line[start] === '#' || line[start] === '-') outside();
      const colon = line.indexOf(':', start);
      const item =
        colon > start &&
        KEY.test(line.slice(start, colon)) &&
        (colon + 1 === line.length || line[colon + 1] === ' ')
          ? this.blockMap(start, start)
          : this.inlineItem(line, start);
      items.push(item.node);
      value.push(item.value);
    }
    return { node: { kind: 'seq', offset, items }, value };
  }

  private inlineItem(line: string, start: number): { node: SubsetNode; value: unknown } {
    const found = this.inlineValue(line, start);
    this.row += 1;
    return found;
  }

  /** A value that starts at `start` and ends on this line: a scalar or a flow collection. */
  private inlineValue(line: string, start: number): { node: SubsetNode; value: unknown } {
    const offset = this.starts[this.row]! + start;
    const marker = line[start]!;
    if (marker === '{' || marker === '[' || marker === '"' || marker === "'") {
      const flow = new FlowReader(line, start, this.starts[this.row]!);
      const found = flow.node();
      if (!LINE_END.test(line.slice(flow.position))) outside();
      return found;
    }
    const comment = line.indexOf(' #', start);
    const text = (comment < 0 ? line.slice(start) : line.slice(start, comment)).trimEnd();
    if (!isPlainStart(text) || text.includes(': ') || text.endsWith(':')) outside();
    return { node: { kind: 'scalar', offset }, value: resolvePlain(text) };
  }

  /**
   * `>` or `|` with clip chomping and no indicators, over lines of one indentation with no blank
   * line between them: folded joins them with spaces, literal with line breaks.
   */
  private blockScalar(indent: number, start: number): { node: SubsetNode; value: unknown } {
    const line = this.lines[this.row]!;
    if (!LINE_END.test(line.slice(start + 1))) outside();
    const offset = this.starts[this.row]! + start;
    const folded = line[start] === '>';
    this.row += 1;
    const first = this.lines[this.row];
    if (first === undefined || first.trim() === '') outside();
    const blockIndent = indentOf(first);
    if (blockIndent <= indent) outside();
    const content: string[] = [];
    while (this.row < this.lines.length) {
      const current = this.lines[this.row]!;
      if (current === '') break;
      const currentIndent = indentOf(current);
      if (currentIndent < blockIndent) {
        if (currentIndent === current.length) outside();
        break;
      }
      if (currentIndent > blockIndent || current.endsWith(' ')) outside();
      content.push(current.slice(blockIndent));
      this.row += 1;
    }
    // The scalar ends at a line break; blank lines after it must be empty, then less indented content.
    if (this.row >= this.lines.length) outside();
    let after = this.row;
    while (after < this.lines.length && this.lines[after] === '') after += 1;
    if (after < this.lines.length && indentOf(this.lines[after]!) >= blockIndent) outside();
    return { node: { kind: 'scalar', offset }, value: `${content.join(folded ? ' ' : '\n')}\n` };
  }
}

/** Flow collections and quoted scalars, all on one line. */
class FlowReader {
  position: number;

  constructor(
    private readonly line: string,
    start: number,
    private readonly lineOffset: number,
  ) {
    this.position = start;
  }

  node(): { node: SubsetNode; value: unknown } {
    const offset = this.lineOffset + this.position;
    const marker = this.line[this.position];
    if (marker === '{') return this.map(offset);
    if (marker === '[') return this.seq(offset);
    if (marker === '"' || marker === "'")
      return { node: { kind: 'scalar', offset }, value: this.quoted(marker) };
    const text = this.plain();
    if (this.line[this.position] === ':') outside();
    return { node: { kind: 'scalar', offset }, value: resolvePlain(text) };
  }

  private skipSpaces(): void {
    while (this.line.charCodeAt(this.position) === 32) this.position += 1;
  }

  private map(offset: number): { node: SubsetNode; value: unknown } {
    const entries = new Map<string, SubsetEntry>();
    const value: Record<string, unknown> = {};
    this.position += 1;
    this.skipSpaces();
    if (this.line[this.position] === '}') {
      this.position += 1;
      return { node: { kind: 'map', offset, entries }, value };
    }
    for (;;) {
      const keyOffset = this.lineOffset + this.position;
      const key = this.plain();
      if (!KEY.test(key) || NON_STRING_KEY.test(key) || entries.has(key)) outside();
      if (this.line[this.position] !== ':' || this.line[this.position + 1] !== ' ') outside();
      this.position += 1;
      this.skipSpaces();
      const entry = this.node();
      entries.set(key, { keyOffset, value: entry.node });
      value[key] = entry.value;
      if (this.close('}')) return { node: { kind: 'map', offset, entries }, value };
    }
  }

  private seq(offset: number): { node: SubsetNode; value: unknown } {
    const items: SubsetNode[] = [];
    const value: unknown[] = [];
    this.position += 1;
    this.skipSpaces();
    if (this.line[this.position] === ']') {
      this.position += 1;
      return { node: { kind: 'seq', offset, items }, value };
    }
    for (;;) {
      const item = this.node();
      items.push(item.node);
      value.push(item.value);
      if (this.close(']')) return { node: { kind: 'seq', offset, items }, value };
    }
  }

  /** After an item: `,` and the next item (true: go on) or the closing bracket (false: done). */
  private close(bracket: '}' | ']'): boolean {
    this.skipSpaces();
    const next = this.line[this.position];
    this.position += 1;
    if (next === bracket) return true;
    if (next !== ',') outside();
    this.skipSpaces();
    const following = this.line[this.position];
    if (following === undefined || following === '}' || following === ']' || following === ',') outside();
    return false;
  }

  /** A plain scalar inside a flow collection, up to `,`, a bracket or `:`. */
  private plain(): string {
    const start = this.position;
    while (this.position < this.line.length && !',[]{}:#'.includes(this.line[this.position]!)) {
      this.position += 1;
    }
    const text = this.line.slice(start, this.position).trimEnd();
    if (this.line[this.position] === '#' || !isPlainStart(text)) outside();
    return text;
  }

  /**
   * A quoted scalar on one line: in `"…"` a backslash escapes (`DOUBLE_QUOTED_ESCAPES`), in
   * `'…'` a doubled quote stands for one.
   */
  private quoted(quote: '"' | "'"): string {
    let result = '';
    let index = this.position + 1;
    for (;;) {
      const char = this.line[index];
      if (char === undefined) outside();
      let escaped: string | undefined;
      if (char === quote) {
        if (quote === '"' || this.line[index + 1] !== "'") break;
        escaped = "'";
      } else if (char === '\\' && quote === '"') {
        escaped = DOUBLE_QUOTED_ESCAPES[this.line[index + 1] ?? ''];
        if (escaped === undefined) outside();
      }
      result += escaped ?? char;
      index += escaped === undefined ? 1 : 2;
    }
    this.position = index + 1;
    return result;
  }
}

const DOUBLE_QUOTED_ESCAPES: Record<string, string> = {
  '\\': '\\',
  '"': '"',
  '/': '/',
  n: '\n',
  t: '\t',
};

/** Plain scalars may not be empty nor start with an indicator (a `-` followed by a space). */
function isPlainStart(text: string): boolean {
  if (text === '') return false;
  if ('?:,[]{}#&*!|>\'"%@`'.includes(text[0]!)) return false;
  return !(text[0] === '-' && (text.length === 1 || text[1] === ' '));
}

/** The YAML 1.2 core schema for plain scalars; the rarer forms are left to the full parser. */
function resolvePlain(text: string): unknown {
  if (/^(?:~|[Nn]ull|NULL)$/.test(text)) return null;
  if (/^(?:[Tt]rue|TRUE)$/.test(text)) return true;
  if (/^(?:[Ff]alse|FALSE)$/.test(text)) return false;
  if (/^[-+]?[0-9]+$/.test(text)) return Number.parseInt(text, 10);
  if (/^0o[0-7]+$|^0x[0-9a-fA-F]+$|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$/.test(text)) outside();
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(text) && /[.eE]/.test(text)) {
    return Number.parseFloat(text);
  }
  return text;
}
