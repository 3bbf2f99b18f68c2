/**
 * SQL expressions in a blueprint (named checks, computed columns, partial-index predicates) are
 * parsed with the real PostgreSQL parser: a syntax error is reported at its place in the file,
 * and every column an expression reads must belong to its own table.
 */
import { simpleExpressionColumns } from '../sql/simple-expression.js';
import { type Diagnostic, diagnostic, didYouMean } from './diagnostics.js';
import type { SourceLocation } from './model.js';
import type { RawBlueprint } from './raw.js';
import { expandField } from './raw.js';
import type { BlueprintSource, PathSegment } from './source.js';

/** Columns read by each expression, keyed `entity/checks/name`, `entity/computed/name`, `entity/indexes/3`. */
export type ExpressionColumns = Map<string, string[]>;

/** Expressions are parsed as the WHERE clause of this statement, so the parser sees a bare expression. */
const WHERE_PREFIX = 'SELECT 1 FROM t WHERE ';

interface Expression {
  readonly entity: string;
  readonly key: string;
  readonly sql: string;
  readonly path: PathSegment[];
  readonly where: string;
}

export async function checkSqlExpressions(
  source: BlueprintSource,
): Promise<{ diagnostics: Diagnostic[]; columns: ExpressionColumns }> {
  const blueprint = source.value as Partial<RawBlueprint> | undefined;
  const diagnostics: Diagnostic[] = [];
  const columns: ExpressionColumns = new Map();
  const expressions: Expression[] = [];
  const tableColumns = new Map<string, string[]>();

  const entities = blueprint && typeof blueprint.entities === 'object' ? blueprint.entities : {};
  for (const [entityName, entity] of Object.entries(entities ?? {})) {
    if (!entity || typeof entity !== 'object') continue;
    const known: string[] = Array.isArray(entity.key) ? [] : ['id'];
    for (const [fieldName, definition] of Object.entries(entity.fields ?? {})) {
      if (!definition || (typeof definition !== 'string' && typeof definition !== 'object')) continue;
      const field = expandField(definition);
      const isReference = typeof field.type === 'string' && Object.hasOwn(entities ?? {}, field.type);
      known.push(isReference ? `${fieldName}_id` : fieldName);
    }
    known.push('created_at', 'updated_at', 'version');
    if (entity.soft_delete === true) known.push('deleted_at');
    if (entity.lifecycle && typeof entity.lifecycle === 'object')
      known.push(entity.lifecycle.field ?? 'status');
    const computedNames = Object.keys(entity.computed ?? {});
    tableColumns.set(entityName, known);

    for (const [name, check] of Object.entries(entity.checks ?? {})) {
      if (check && typeof check.sql === 'string') {
        expressions.push({
          entity: entityName,
          key: `${entityName}/checks/${name}`,
          sql: check.sql,
          path: ['entities', entityName, 'checks', name, 'sql'],
          where: `check \`${name}\``,
        });
      }
    }
    for (const [name, computed] of Object.entries(entity.computed ?? {})) {
      const sql = typeof computed === 'string' ? computed : computed?.sql;
      if (typeof sql === 'string') {
        const path: PathSegment[] = ['entities', entityName, 'computed', name];
        expressions.push({
          entity: entityName,
          key: `${entityName}/computed/${name}`,
          sql,
          path: typeof computed === 'string' ? path : [...path, 'sql'],
          where: `computed column \`${name}\``,
        });
      }
    }
    (entity.indexes ?? []).forEach((index, position) => {
      if (index && !Array.isArray(index) && typeof index.where === 'string') {
        expressions.push({
          entity: entityName,
          key: `${entityName}/indexes/${position}`,
          sql: index.where,
          path: ['entities', entityName, 'indexes', position, 'where'],
          where: 'index predicate',
        });
      }
    });
    // Checks may read computed columns too (PostgreSQL allows it for stored generated columns).
    tableColumns.set(entityName, [...known, ...computedNames]);
  }

  for (const expression of expressions) {
    const known = tableColumns.get(expression.entity) ?? [];
    // Most expressions are simple and read only their own columns: no diagnostic to place, so the
    // real parser (WebAssembly, slow to start) is not needed for them.
    const simple = simpleExpressionColumns(expression.sql);
    if (simple?.every((name) => known.includes(name))) {
      columns.set(expression.key, [...new Set(simple)]);
      continue;
    }
    const location = source.locate(expression.path);
    const { parse } = await import('libpg-query');
    let ast: unknown;
    try {
      // Parse as a WHERE clause so the parser sees a bare expression.
      ast = await parse(`${WHERE_PREFIX}${expression.sql}`);
    } catch (error) {
      diagnostics.push(
        diagnostic(
          'BLUEPRINT_INVALID_SQL',
          { where: expression.where, detail: cleanParserMessage(error) },
          pointInside(source, location, expression.sql, parserCursor(error)),
        ),
      );
      continue;
    }
    const statements = (ast as { stmts?: unknown[] }).stmts ?? [];
    if (statements.length !== 1) {
      diagnostics.push(
        diagnostic(
          'BLUEPRINT_INVALID_SQL',
          { where: expression.where, detail: 'expected a single expression' },
          location,
        ),
      );
      continue;
    }
    const found = collectColumns(ast);
    if (found.hasSubquery) {
      diagnostics.push(
        diagnostic(
          'BLUEPRINT_INVALID_SQL',
          {
            where: expression.where,
            detail: 'subqueries are not allowed; an expression may only read its own row',
          },
          location,
        ),
      );
    }
    const read: string[] = [];
    for (const { names: reference, offset } of found.columns) {
      const at = pointInside(source, location, expression.sql, offset);
      if (reference.length !== 1) {
        diagnostics.push(
          diagnostic(
            'BLUEPRINT_INVALID_SQL',
            {
              where: expression.where,
              detail: `\`${reference.join('.')}\` reads another table; use a plain column name`,
            },
            at,
          ),
        );
        continue;
      }
      const name = reference[0]!;
      if (!known.includes(name)) {
        diagnostics.push(
          diagnostic(
            'BLUEPRINT_UNKNOWN_FIELD',
            { field: name, where: expression.where, entity: expression.entity },
            at,
            didYouMean(name, known) ??
              (known.includes(`${name}_id`)
                ? `did you mean \`${name}_id\`? References are stored as <name>_id`
                : undefined),
          ),
        );
        continue;
      }
      if (!read.includes(name)) read.push(name);
    }
    columns.set(expression.key, read);
  }
  return { diagnostics, columns };
}

function cleanParserMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/ at or near "([^"]*)"/, ' near `$1`')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Column references (name lists, with their offset in the expression) and whether a subquery appears. */
function collectColumns(ast: unknown): {
  columns: { names: string[]; offset?: number }[];
  hasSubquery: boolean;
} {
  const columns: { names: string[]; offset?: number }[] = [];
  let hasSubquery = false;
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'SubLink') hasSubquery = true;
      if (key === 'ColumnRef') {
        const reference = value as { fields?: unknown[]; location?: number };
        const names = (reference.fields ?? [])
          .map((item) => (item as { String?: { sval?: string } }).String?.sval)
          .filter((item): item is string => typeof item === 'string');
        const offset =
          typeof reference.location === 'number' ? reference.location - WHERE_PREFIX.length : undefined;
        columns.push({ names, offset });
        continue;
      }
      if (key === 'fromClause') continue;
      walk(value);
    }
  };
  walk(ast);
  return { columns, hasSubquery };
}

/** Where the parser stopped, as an offset into the expression (libpg-query reports it 0-based). */
function parserCursor(error: unknown): number | undefined {
  const cursor = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails?.cursorPosition;
  return typeof cursor === 'number' ? Math.max(0, cursor - WHERE_PREFIX.length) : undefined;
}

/**
 * The location of character `offset` of an expression written on one line, plain or quoted;
 * the start of the value when the text cannot be mapped (a block scalar, escapes).
 */
function pointInside(
  source: BlueprintSource,
  start: SourceLocation,
  sql: string,
  offset: number | undefined,
): SourceLocation {
  if (offset === undefined || sql.includes('\n')) return start;
  const line = source.text.split('\n')[start.line - 1] ?? '';
  const rest = line.slice(start.column - 1);
  const opening = rest.startsWith(sql)
    ? 0
    : /^["']/.test(rest) && rest.slice(1).startsWith(sql)
      ? 1
      : undefined;
  if (opening === undefined) return start;
  return { ...start, column: start.column + opening + Math.min(offset, sql.length) };
}
