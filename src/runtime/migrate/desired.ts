/**
 * The schema the blueprint wants, read from the DDL emitter's statements (`schemaStatements`),
 * in the same shape as the catalog so the two can be compared object by object.
 */
import type { SchemaStatement, TableConstraintKind } from '../../design/sql/index.js';

export interface DesiredColumn {
  readonly name: string;
  /** The type as the DDL writes it (`numeric(18,4)`, `timestamptz`); canonicalized before comparing. */
  readonly type: string;
  readonly notNull: boolean;
  /** The column can be added to a table holding rows: nullable, with a default, generated or identity. */
  readonly fillsItself: boolean;
  /** What follows `ALTER TABLE t ADD COLUMN`. */
  readonly definition: string;
}

export interface DesiredConstraint {
  readonly name: string;
  readonly kind: TableConstraintKind;
  /** What follows `ALTER TABLE t ADD CONSTRAINT name`. */
  readonly definition: string;
}

export interface DesiredTable {
  readonly name: string;
  readonly columns: readonly DesiredColumn[];
  readonly constraints: readonly DesiredConstraint[];
}

/** Objects created by their own statement, checked by name. */
export interface DesiredObject {
  readonly kind: 'index' | 'constraint' | 'trigger' | 'function';
  readonly name: string;
  readonly table?: string;
}

export interface DesiredSchema {
  readonly tables: readonly DesiredTable[];
  readonly objects: readonly DesiredObject[];
}

/** `"odd name"` or `plain` at the start of a definition, and the rest after it. */
function splitName(definition: string): { name: string; rest: string } {
  const quoted = /^"((?:[^"]|"")*)"\s*(.*)$/s.exec(definition);
  if (quoted) return { name: quoted[1]!.replace(/""/g, '"'), rest: quoted[2]! };
  const plain = /^(\S+)\s*(.*)$/s.exec(definition);
  return { name: plain?.[1] ?? definition, rest: plain?.[2] ?? '' };
}

const OPTION_START =
  /\s(NOT NULL|NULL|DEFAULT|GENERATED|PRIMARY KEY|REFERENCES|CHECK|UNIQUE|COLLATE|CONSTRAINT)\b/i;

/** Split `code text NOT NULL DEFAULT 'x'` into its name, type and what the options imply. */
export function parseColumnDefinition(definition: string): DesiredColumn {
  const { name, rest } = splitName(definition.trim());
  const padded = ` ${rest}`;
  const optionAt = padded.search(OPTION_START);
  const type = (optionAt === -1 ? padded : padded.slice(0, optionAt)).trim();
  const options = optionAt === -1 ? '' : padded.slice(optionAt);
  const isGenerated = /\bGENERATED\b/i.test(options);
  const notNull = /\bNOT NULL\b|\bPRIMARY KEY\b|\bAS IDENTITY\b/i.test(options);
  const hasDefault = /\bDEFAULT\b/i.test(options);
  return { name, type, notNull, fillsItself: !notNull || hasDefault || isGenerated, definition };
}

export function desiredSchema(statements: readonly SchemaStatement[]): DesiredSchema {
  const tables: DesiredTable[] = [];
  const objects: DesiredObject[] = [];
  for (const statement of statements) {
    switch (statement.kind) {
      case 'table':
        tables.push({
          name: statement.name,
          columns: (statement.columns ?? []).map((column) => parseColumnDefinition(column.definition)),
          constraints: (statement.constraints ?? []).map(({ name, kind, definition }) => ({
            name,
            kind,
            definition,
          })),
        });
        break;
      case 'index':
      case 'constraint':
      case 'trigger':
      case 'function':
        objects.push({ kind: statement.kind, name: statement.name, table: statement.table });
        break;
      case 'comment':
      case 'security':
        break;
      default: {
        // A new statement kind must be placed here before it can be diffed.
        const unhandled: never = statement.kind;
        throw new Error(`Unhandled statement kind ${String(unhandled)}`);
      }
    }
  }
  return { tables, objects };
}
