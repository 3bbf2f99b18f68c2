/**
 * Constraints (column-level and table-level) applied to a table of the catalog.
 */
import type { Constraint } from 'libpg-query';
import { keyOfRangeVar, nodeAs, referencedColumns, relationKey, stringsOf } from './ast.js';
import type { Catalog, ForeignKeyAction, IndexKeyPart, Origin, TableModel } from './catalog.js';
import { printNode } from './print.js';

const ACTIONS: Readonly<Record<string, ForeignKeyAction>> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

export function foreignKeyAction(code: string | undefined): ForeignKeyAction {
  return ACTIONS[code ?? 'a'] ?? 'no action';
}

/** PostgreSQL's default name for a constraint or index (ChooseRelationName, simplified). */
export function defaultConstraintName(table: string, columns: readonly string[], suffix: string): string {
  const name = [table, ...columns, suffix].join('_');
  return name.length <= 63 ? name : `${name.slice(0, 63 - suffix.length - 1)}_${suffix}`;
}

/**
 * Apply one constraint. `column` is set for a column constraint (`id int PRIMARY KEY`), in
 * which case key lists default to that column.
 */
export function applyConstraint(
  catalog: Catalog,
  table: TableModel,
  constraint: Constraint,
  origin: Origin,
  column?: string,
): void {
  const own = (names: readonly string[]) => (names.length > 0 ? [...names] : column ? [column] : []);
  switch (constraint.contype) {
    case 'CONSTR_NOTNULL': {
      const target = table.columns.get(column ?? stringsOf(constraint.keys)[0] ?? '');
      if (target) target.notNull = true;
      return;
    }
    case 'CONSTR_NULL': {
      const target = column ? table.columns.get(column) : undefined;
      if (target) target.notNull = false;
      return;
    }
    case 'CONSTR_DEFAULT': {
      const target = column ? table.columns.get(column) : undefined;
      if (target && constraint.raw_expr) target.defaultExpression = constraint.raw_expr;
      return;
    }
    case 'CONSTR_IDENTITY': {
      const target = column ? table.columns.get(column) : undefined;
      if (target) {
        target.identity = constraint.generated_when === 'a' ? 'always' : 'by default';
        target.notNull = true;
      }
      return;
    }
    case 'CONSTR_GENERATED': {
      const target = column ? table.columns.get(column) : undefined;
      if (target) target.generated = true;
      return;
    }
    case 'CONSTR_CHECK':
      table.checks.push({
        ...(constraint.conname ? { name: constraint.conname } : {}),
        table: table.key,
        ...(constraint.raw_expr ? { expression: constraint.raw_expr } : {}),
        notValid: constraint.skip_validation === true,
        origin,
      });
      return;
    case 'CONSTR_PRIMARY': {
      const columns = own(stringsOf(constraint.keys));
      if (constraint.indexname) {
        adoptIndex(catalog, table, constraint, 'primary key');
        const adopted = catalog.indexes.get(
          relationKey(table.schema, constraint.conname ?? constraint.indexname),
        );
        table.primaryKey = { columns: adopted?.keys.map((key) => key.column ?? '') ?? columns, origin };
      } else {
        table.primaryKey = { columns, origin, ...(constraint.conname ? { name: constraint.conname } : {}) };
        addConstraintIndex(catalog, table, constraint, columns, 'primary key', origin);
      }
      for (const name of table.primaryKey.columns) {
        const target = table.columns.get(name);
        if (target) target.notNull = true;
      }
      return;
    }
    case 'CONSTR_UNIQUE':
      if (constraint.indexname) adoptIndex(catalog, table, constraint, 'unique');
      else addConstraintIndex(catalog, table, constraint, own(stringsOf(constraint.keys)), 'unique', origin);
      return;
    case 'CONSTR_EXCLUSION': {
      const columns: string[] = [];
      for (const item of constraint.exclusions ?? []) {
        const pair = nodeAs(item, 'List')?.items ?? [];
        const name = nodeAs(pair[0], 'IndexElem')?.name;
        if (name) columns.push(name);
      }
      addConstraintIndex(catalog, table, constraint, columns, 'exclusion', origin);
      return;
    }
    case 'CONSTR_FOREIGN': {
      const referencedTable = keyOfRangeVar(constraint.pktable);
      if (!referencedTable) return;
      table.foreignKeys.push({
        ...(constraint.conname ? { name: constraint.conname } : {}),
        table: table.key,
        columns: own(stringsOf(constraint.fk_attrs)),
        referencedTable,
        referencedColumns: stringsOf(constraint.pk_attrs),
        onDelete: foreignKeyAction(constraint.fk_del_action),
        onUpdate: foreignKeyAction(constraint.fk_upd_action),
        notValid: constraint.skip_validation === true,
        origin,
      });
      return;
    }
    default:
      return;
  }
}

function addConstraintIndex(
  catalog: Catalog,
  table: TableModel,
  constraint: Constraint,
  columns: string[],
  kind: 'primary key' | 'unique' | 'exclusion',
  origin: Origin,
): void {
  const suffix = kind === 'primary key' ? 'pkey' : kind === 'unique' ? 'key' : 'excl';
  const name =
    constraint.conname ?? defaultConstraintName(table.name, kind === 'primary key' ? [] : columns, suffix);
  const keys: IndexKeyPart[] = columns.map((column) => ({ column, options: '' }));
  catalog.indexes.set(relationKey(table.schema, name), {
    key: relationKey(table.schema, name),
    name,
    table: table.key,
    method: constraint.access_method ?? (kind === 'exclusion' ? 'gist' : 'btree'),
    keys,
    include: stringsOf(constraint.including),
    unique: kind !== 'exclusion',
    nullsNotDistinct: constraint.nulls_not_distinct === true,
    ...(constraint.where_clause ? { predicate: printNode(constraint.where_clause) } : {}),
    predicateColumns: referencedColumns(constraint.where_clause),
    constraint: kind,
    origin,
  });
}

/** `ADD CONSTRAINT name UNIQUE USING INDEX idx`: the index becomes the constraint's, renamed. */
function adoptIndex(
  catalog: Catalog,
  table: TableModel,
  constraint: Constraint,
  kind: 'primary key' | 'unique',
): void {
  const oldKey = relationKey(table.schema, constraint.indexname ?? '');
  const index = catalog.indexes.get(oldKey);
  if (!index) return;
  catalog.indexes.delete(oldKey);
  const name = constraint.conname ?? index.name;
  const key = relationKey(table.schema, name);
  catalog.indexes.set(key, { ...index, key, name, constraint: kind });
}
