/**
 * A recognizer for the simple SQL expressions blueprints mostly hold (`qty > 0`,
 * `kind <> 'x' OR parent_id IS NOT NULL`, `on_hand - reserved`), so that checking them does not
 * have to load PostgreSQL's own parser (WebAssembly, tens of milliseconds to start).
 *
 * It accepts a strict subset of PostgreSQL's expression grammar: lower-case column names, numbers,
 * string literals, TRUE/FALSE/NULL, parentheses, unary `-`/`+`, `* / %`, `+ -`, one comparison,
 * `IS [NOT] NULL`, NOT, AND and OR. Whatever it accepts, PostgreSQL parses, reading the same
 * columns in the same order; anything else (functions, casts, keywords, comments, another
 * operator spelling...) answers `undefined` and goes to the real parser. A test holds it to that
 * against the real parser.
 */
import { POSTGRES_RESERVED_WORDS } from './identifiers.js';

/**
 * PostgreSQL's "non-reserved (cannot be function or type)" keywords: allowed as column names,
 * but several start special syntax, so a name among them goes to the real parser.
 */
const COLUMN_NAME_KEYWORDS: ReadonlySet<string> = new Set([
  'between',
  'bigint',
  'bit',
  'boolean',
  'char',
  'character',
  'coalesce',
  'dec',
  'decimal',
  'exists',
  'extract',
  'float',
  'greatest',
  'grouping',
  'inout',
  'int',
  'integer',
  'interval',
  'json',
  'json_array',
  'json_arrayagg',
  'json_exists',
  'json_object',
  'json_objectagg',
  'json_query',
  'json_scalar',
  'json_serialize',
  'json_table',
  'json_value',
  'least',
  'merge_action',
  'national',
  'nchar',
  'none',
  'normalize',
  'nullif',
  'numeric',
  'out',
  'overlay',
  'position',
  'precision',
  'real',
  'row',
  'setof',
  'smallint',
  'substring',
  'time',
  'timestamp',
  'treat',
  'trim',
  'values',
  'varchar',
  'xmlattributes',
  'xmlconcat',
  'xmlelement',
  'xmlexists',
  'xmlforest',
  'xmlnamespaces',
  'xmlparse',
  'xmlpi',
  'xmlroot',
  'xmlserialize',
  'xmltable',
]);

type Token =
  | { readonly kind: 'column'; readonly name: string }
  | { readonly kind: 'word'; readonly word: 'and' | 'or' | 'not' | 'is' | 'null' | 'true' | 'false' }
  | { readonly kind: 'literal' }
  | { readonly kind: 'operator'; readonly operator: string }
  | { readonly kind: 'open' }
  | { readonly kind: 'close' };

const WORDS = new Set(['and', 'or', 'not', 'is', 'null', 'true', 'false']);
const OPERATORS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=', '+', '-', '*', '/', '%']);
const COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);
/** Every character PostgreSQL may read as part of an operator. */
const OPERATOR_CHARACTERS = '+-*/<>=~!@#%^&|`?';

/** Thrown inside the recognizer when the text leaves the subset; never escapes it. */
class NotSimple extends Error {}

function notSimple(): never {
  throw new NotSimple();
}

/**
 * The columns a simple expression reads, in the order PostgreSQL's parse tree lists them
 * (duplicates kept), or `undefined` when the expression needs the real parser.
 *
 * @example
 * simpleExpressionColumns("kind <> 'x' OR parent_id IS NOT NULL"); // ['kind', 'parent_id']
 * simpleExpressionColumns('lower(name) <> name'); // undefined
 */
export function simpleExpressionColumns(sql: string): string[] | undefined {
  try {
    const tokens = tokenize(sql);
    const columns: string[] = [];
    const parser = new ExpressionParser(tokens, columns);
    parser.expression();
    if (!parser.atEnd()) notSimple();
    return columns;
  } catch (error) {
    if (error instanceof NotSimple) return undefined;
    throw error;
  }
}

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < sql.length) {
    const char = sql[index]!;
    if (char === ' ') {
      index += 1;
    } else if (/[A-Za-z_]/.test(char)) {
      const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(index))![0];
      index += word.length;
      const lower = word.toLowerCase();
      if (WORDS.has(lower)) tokens.push({ kind: 'word', word: lower as 'and' });
      else if (
        /^[a-z_][a-z0-9_]*$/.test(word) &&
        word.length <= 63 &&
        !POSTGRES_RESERVED_WORDS.has(word) &&
        !COLUMN_NAME_KEYWORDS.has(word)
      ) {
        tokens.push({ kind: 'column', name: word });
      } else notSimple();
    } else if (/[0-9]/.test(char)) {
      const number = /^[0-9]+(?:\.[0-9]+)?/.exec(sql.slice(index))![0];
      index += number.length;
      // `1e5`, `1_000`, `0x1f`, `1.` and `123abc` have rules of their own.
      if (index < sql.length && /[A-Za-z0-9_.$]/.test(sql[index]!)) notSimple();
      tokens.push({ kind: 'literal' });
    } else if (char === "'") {
      let end = index + 1;
      for (;;) {
        const next = sql.indexOf("'", end);
        if (next < 0) notSimple();
        if (sql[next + 1] !== "'") {
          end = next;
          break;
        }
        end = next + 2;
      }
      const body = sql.slice(index + 1, end);
      // Backslashes and non-ASCII depend on settings and encodings; leave them to the parser.
      if (!/^[\x20-\x5b\x5d-\x7e]*$/.test(body)) notSimple();
      index = end + 1;
      tokens.push({ kind: 'literal' });
    } else if (char === '(' || char === ')') {
      tokens.push({ kind: char === '(' ? 'open' : 'close' });
      index += 1;
    } else if (OPERATOR_CHARACTERS.includes(char)) {
      let end = index;
      while (end < sql.length && OPERATOR_CHARACTERS.includes(sql[end]!)) end += 1;
      const operator = sql.slice(index, end);
      if (!OPERATORS.has(operator)) notSimple();
      tokens.push({ kind: 'operator', operator });
      index = end;
    } else {
      notSimple();
    }
  }
  return tokens;
}

/** Recursive descent over the subset; records column names as it meets them, left to right. */
class ExpressionParser {
  private position = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly columns: string[],
  ) {}

  atEnd(): boolean {
    return this.position === this.tokens.length;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private isWord(word: string): boolean {
    const token = this.peek();
    return token?.kind === 'word' && token.word === word;
  }

  private isOperator(accepted: ReadonlySet<string>): boolean {
    const token = this.peek();
    return token?.kind === 'operator' && accepted.has(token.operator);
  }

  expression(): void {
    this.conjunction();
    while (this.isWord('or')) {
      this.position += 1;
      this.conjunction();
    }
  }

  private conjunction(): void {
    this.negation();
    while (this.isWord('and')) {
      this.position += 1;
      this.negation();
    }
  }

  private negation(): void {
    if (this.isWord('not')) {
      this.position += 1;
      this.negation();
      return;
    }
    this.comparison();
  }

  /** At most one comparison, or one `IS [NOT] NULL`: PostgreSQL does not chain them. */
  private comparison(): void {
    this.sum();
    if (this.isOperator(COMPARISONS)) {
      this.position += 1;
      this.sum();
    } else if (this.isWord('is')) {
      this.position += 1;
      if (this.isWord('not')) this.position += 1;
      if (!this.isWord('null')) notSimple();
      this.position += 1;
    }
  }

  private sum(): void {
    this.product();
    while (this.isOperator(SUM_OPERATORS)) {
      this.position += 1;
      this.product();
    }
  }

  private product(): void {
    this.signed();
    while (this.isOperator(PRODUCT_OPERATORS)) {
      this.position += 1;
      this.signed();
    }
  }

  private signed(): void {
    if (this.isOperator(SUM_OPERATORS)) this.position += 1;
    this.primary();
  }

  private primary(): void {
    const token = this.peek();
    this.position += 1;
    if (token?.kind === 'column') this.columns.push(token.name);
    else if (token?.kind === 'literal') return;
    else if (
      token?.kind === 'word' &&
      (token.word === 'null' || token.word === 'true' || token.word === 'false')
    ) {
      return;
    } else if (token?.kind === 'open') {
      this.expression();
      if (this.peek()?.kind !== 'close') notSimple();
      this.position += 1;
    } else notSimple();
  }
}

const SUM_OPERATORS: ReadonlySet<string> = new Set(['+', '-']);
const PRODUCT_OPERATORS: ReadonlySet<string> = new Set(['*', '/', '%']);
