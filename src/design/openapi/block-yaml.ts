/**
 * JSON data printed as block-style YAML, for generated documents of a few hundred kilobytes.
 *
 * The `yaml` package builds a node tree and lays out every scalar with the full YAML rule set;
 * on `openapi.yaml` that was more than half of `architect design`'s wall time. The data printed
 * here is plain JSON (objects, arrays, strings, finite numbers, booleans, null), so a small
 * printer is enough: strings stay plain only when no YAML reading could change them, and are
 * double-quoted (JSON escapes are YAML escapes) otherwise. Shared objects are printed at every
 * use (no anchors), keys keep their insertion order, and the output parses back to equal data
 * (a property test holds it to that).
 */

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** Words a YAML 1.1 or 1.2 reader may take for a boolean or null. */
const RESERVED = /^(?:true|false|null|yes|no|on|off|y|n|~)$/i;
/**
 * A scalar that reads back as the same string: starts with a letter, `_`, `/` or `$`, holds no
 * character that starts a comment, a mapping value, a quote or an escape, and does not end in
 * space. `.` and digits may follow the first character (`application/json`, `v1.2`).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it excludes.
const PLAIN = /^[A-Za-z_/$][^\n\r\t:#"'\\\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]*$/;

/** Dotted versions (`3.1.0`) read as strings in every YAML schema: no number has two dots. */
const VERSION = /^\d+(?:\.\d+){2,}$/;

/** What lenient YAML 1.1 readers take for a float (`e0`, `E5` included). */
const LOOSE_FLOAT = /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?$/;

function isPlain(text: string): boolean {
  if (VERSION.test(text)) return true;
  return PLAIN.test(text) && !text.endsWith(' ') && !RESERVED.test(text) && !LOOSE_FLOAT.test(text);
}

/**
 * Multi-line text as a literal block (`|-`), which keeps descriptions readable; only text whose
 * lines start and end without blanks and hold printable characters, so the block reads back
 * exactly (trailing newlines are chosen by the chomping indicator).
 */
function literalBlock(text: string, indent: string): string | undefined {
  const body = text.replace(/\n+$/, '');
  const trailing = text.length - body.length;
  if (!body.includes('\n') || trailing > 1) return undefined;
  const lines = body.split('\n');
  const readable = lines.every((line) => line === '' || (PRINTABLE_LINE.test(line) && !/^\s|\s$/.test(line)));
  if (!readable) return undefined;
  const indented = lines.map((line) => (line === '' ? '' : `${indent}${line}`));
  return `${trailing === 1 ? '|' : '|-'}\n${indented.join('\n')}`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it excludes.
const PRINTABLE_LINE = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]+$/;

function scalar(value: null | boolean | number | string, indent: string, plain: PlainTest): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot print ${value} as YAML`);
    return String(value);
  }
  if (plain(value)) return value;
  return literalBlock(value, indent) ?? JSON.stringify(value);
}

/** `isPlain`, answered once per distinct string of a document: keys and many values repeat. */
type PlainTest = (text: string) => boolean;

function memoizedIsPlain(): PlainTest {
  const answers = new Map<string, boolean>();
  return (text) => {
    let answer = answers.get(text);
    if (answer === undefined) {
      answer = isPlain(text);
      answers.set(text, answer);
    }
    return answer;
  };
}

function isCollection(value: Json): value is readonly Json[] | { readonly [key: string]: Json } {
  return typeof value === 'object' && value !== null;
}

function isEmpty(value: readonly Json[] | { readonly [key: string]: Json }): boolean {
  if (Array.isArray(value)) return value.length === 0;
  for (const key in value) if (Object.hasOwn(value, key)) return false;
  return true;
}

function emptyCollection(value: readonly Json[] | { readonly [key: string]: Json }): string {
  return Array.isArray(value) ? '[]' : '{}';
}

function write(value: Json, indent: string, lines: string[], plain: PlainTest): void {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    for (const item of value as readonly Json[]) {
      if (isCollection(item) && !isEmpty(item)) {
        // The first line of a nested collection shares the dash's line: `- name: x`.
        const first = lines.length;
        write(item, inner, lines, plain);
        lines[first] = `${indent}- ${lines[first]!.slice(inner.length)}`;
      } else {
        lines.push(`${indent}- ${isCollection(item) ? emptyCollection(item) : scalar(item, inner, plain)}`);
      }
    }
    return;
  }
  const record = value as { readonly [key: string]: Json };
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (item === undefined) continue;
    const name = plain(key) ? key : JSON.stringify(key);
    if (!isCollection(item)) lines.push(`${indent}${name}: ${scalar(item, inner, plain)}`);
    else if (isEmpty(item)) lines.push(`${indent}${name}: ${emptyCollection(item)}`);
    else {
      lines.push(`${indent}${name}:`);
      write(item, inner, lines, plain);
    }
  }
}

/** `value` as a YAML document (block style, two-space indent, a final newline). */
export function toBlockYaml(value: unknown): string {
  const data = value as Json;
  const plain = memoizedIsPlain();
  if (!isCollection(data)) return `${scalar(data, '  ', plain)}\n`;
  if (isEmpty(data)) return `${emptyCollection(data)}\n`;
  const lines: string[] = [];
  write(data, '', lines, plain);
  return `${lines.join('\n')}\n`;
}
