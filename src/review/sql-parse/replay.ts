/**
 * Replay statements onto a catalog: what each CREATE / ALTER / DROP / RENAME does to the schema.
 * Statements that change no schema object (INSERT, GRANT, SET...) have no handler on purpose.
 */
import type { AlterTableCmd, ColumnDef, CreateStmt, IndexStmt } from 'libpg-query';
import {
  keyOfNames,
  keyOfRangeVar,
  type NodeKind,
  type NodeOf,
  nameListOf,
  nodeAs,
  referencedColumns,
  relationKey,
  stringsOf,
} from './ast.js';
import type { Catalog, ColumnModel, IndexKeyPart, Origin, RelationKind, TableModel } from './catalog.js';
import { columnTypeOf, SERIAL_TYPES } from './column-type.js';
import { applyConstraint, defaultConstraintName } from './constraints.js';
import { type ParsedStatement, spanOf } from './parse.js';
import { printNode } from './print.js';
import type { SourceMap } from './source-map.js';

type Handler<K extends NodeKind> = (catalog: Catalog, node: NodeOf<K>, origin: Origin) => void;
type Handlers = { [K in NodeKind]?: Handler<K> };

/**
 * Apply one statement. `source` lets columns and constraints point at their own line rather
 * than at the start of their CREATE TABLE.
 */
export function applyStatement(
  catalog: Catalog,
  statement: ParsedStatement,
  fileIndex: number,
  source?: SourceMap,
): void {
  const handler = HANDLERS[statement.kind] as Handler<NodeKind> | undefined;
  if (!handler) return;
  const origin: Origin = { fileIndex, statementIndex: statement.index, span: statement.span };
  if (source) {
    origin.at = (location, length = 1) => {
      if (location === undefined || location < 0) return origin;
      const start = source.indexOfByte(statement.baseByte + location);
      return { ...origin, span: spanOf(source, start, start + length) };
    };
  }
  handler(catalog, nodeAs(statement.node, statement.kind)!, origin);
}

function originAt(origin: Origin, location: number | undefined, length?: number): Origin {
  return origin.at ? origin.at(location, length) : origin;
}

function newTable(key: string, kind: RelationKind, origin: Origin): TableModel {
  const dot = key.indexOf('.');
  return {
    key,
    schema: key.slice(0, dot),
    name: key.slice(dot + 1),
    kind,
    columns: new Map(),
    foreignKeys: [],
    checks: [],
    partitioned: false,
    temporary: false,
    rowLevelSecurity: false,
    policies: [],
    inheritsFrom: [],
    origin,
  };
}

function addColumn(catalog: Catalog, table: TableModel, def: ColumnDef, origin: Origin): void {
  if (!def.colname) return;
  const type = columnTypeOf(def.typeName);
  const column: ColumnModel = {
    name: def.colname,
    type,
    notNull: SERIAL_TYPES.has(type.name),
    generated: false,
    origin: originAt(origin, def.location, def.colname.length),
  };
  table.columns.set(def.colname, column);
  for (const item of def.constraints ?? []) {
    const constraint = nodeAs(item, 'Constraint');
    if (constraint)
      applyConstraint(catalog, table, constraint, originAt(origin, constraint.location), def.colname);
  }
}

function copyColumns(from: TableModel | undefined, to: TableModel): void {
  if (!from) return;
  for (const [name, column] of from.columns) to.columns.set(name, { ...column });
}

const createTable: Handler<'CreateStmt'> = (catalog, node: CreateStmt, origin) => {
  const key = keyOfRangeVar(node.relation);
  if (!key) return;
  if (node.if_not_exists && catalog.tables.has(key)) return;
  const table = newTable(
    key,
    'table',
    originAt(origin, node.relation?.location, node.relation?.relname?.length),
  );
  table.temporary = node.relation?.relpersistence === 't';
  table.partitioned = node.partspec !== undefined;
  const parents = (node.inhRelations ?? []).map((item) => keyOfRangeVar(nodeAs(item, 'RangeVar')));
  for (const parent of parents) if (parent) copyColumns(catalog.tables.get(parent), table);
  if (node.partbound && parents[0]) table.partitionOf = parents[0];
  else table.inheritsFrom = parents.filter((parent): parent is string => parent !== undefined);
  catalog.tables.set(key, table);
  for (const element of node.tableElts ?? []) {
    const column = nodeAs(element, 'ColumnDef');
    if (column) {
      if (column.colname && table.columns.has(column.colname)) {
        // A partition's column options (`id WITH OPTIONS NOT NULL`) refine the inherited column.
        for (const item of column.constraints ?? []) {
          const constraint = nodeAs(item, 'Constraint');
          if (constraint) applyConstraint(catalog, table, constraint, origin, column.colname);
        }
      } else addColumn(catalog, table, column, origin);
      continue;
    }
    const constraint = nodeAs(element, 'Constraint');
    if (constraint) {
      applyConstraint(catalog, table, constraint, originAt(origin, constraint.location));
      continue;
    }
    const like = nodeAs(element, 'TableLikeClause');
    if (like) copyColumns(catalog.tables.get(keyOfRangeVar(like.relation) ?? ''), table);
  }
};

function indexKeyParts(params: IndexStmt['indexParams']): IndexKeyPart[] {
  const parts: IndexKeyPart[] = [];
  for (const param of params ?? []) {
    const elem = nodeAs(param, 'IndexElem');
    if (!elem) continue;
    const options = [
      stringsOf(elem.opclass).join('.'),
      stringsOf(elem.collation).join('.'),
      elem.ordering && elem.ordering !== 'SORTBY_DEFAULT' ? elem.ordering : '',
      elem.nulls_ordering && elem.nulls_ordering !== 'SORTBY_NULLS_DEFAULT' ? elem.nulls_ordering : '',
    ]
      .filter(Boolean)
      .join(' ');
    if (elem.name) parts.push({ column: elem.name, options });
    else if (elem.expr) parts.push({ expression: printNode(elem.expr), options });
  }
  return parts;
}

const createIndex: Handler<'IndexStmt'> = (catalog, node, origin) => {
  const table = keyOfRangeVar(node.relation);
  if (!table) return;
  const keys = indexKeyParts(node.indexParams);
  const schema = node.relation?.schemaname ?? table.slice(0, table.indexOf('.'));
  const tableName = node.relation?.relname ?? '';
  const name =
    node.idxname ??
    defaultConstraintName(
      tableName,
      keys.map((key) => key.column ?? 'expr'),
      'idx',
    );
  const key = relationKey(schema, name);
  if (node.if_not_exists && catalog.indexes.has(key)) return;
  catalog.indexes.set(key, {
    key,
    name,
    table,
    method: node.accessMethod ?? 'btree',
    keys,
    include: (node.indexIncludingParams ?? [])
      .map((param) => nodeAs(param, 'IndexElem')?.name)
      .filter((value): value is string => value !== undefined),
    unique: node.unique === true,
    nullsNotDistinct: node.nulls_not_distinct === true,
    ...(node.whereClause ? { predicate: printNode(node.whereClause) } : {}),
    predicateColumns: referencedColumns(node.whereClause),
    origin,
  });
};

/** One ALTER TABLE subcommand; unknown subcommands change nothing the rules read. */
function alterTableCommand(catalog: Catalog, table: TableModel, cmd: AlterTableCmd, origin: Origin): void {
  const column = cmd.name ? table.columns.get(cmd.name) : undefined;
  switch (cmd.subtype) {
    case 'AT_AddColumn': {
      const def = nodeAs(cmd.def, 'ColumnDef');
      if (def && !(cmd.missing_ok && def.colname && table.columns.has(def.colname)))
        addColumn(catalog, table, def, origin);
      return;
    }
    case 'AT_DropColumn':
      if (cmd.name) dropColumn(catalog, table, cmd.name);
      return;
    case 'AT_AlterColumnType': {
      const def = nodeAs(cmd.def, 'ColumnDef');
      if (column && def?.typeName) column.type = columnTypeOf(def.typeName);
      return;
    }
    case 'AT_SetNotNull':
      if (column) column.notNull = true;
      return;
    case 'AT_DropNotNull':
      if (column) column.notNull = false;
      return;
    case 'AT_ColumnDefault':
      if (column) {
        if (cmd.def) column.defaultExpression = cmd.def;
        else delete column.defaultExpression;
      }
      return;
    case 'AT_AddIdentity': {
      const constraint = nodeAs(cmd.def, 'Constraint');
      if (constraint && cmd.name) applyConstraint(catalog, table, constraint, origin, cmd.name);
      return;
    }
    case 'AT_DropIdentity':
      if (column) delete column.identity;
      return;
    case 'AT_AddConstraint': {
      const constraint = nodeAs(cmd.def, 'Constraint');
      if (constraint) applyConstraint(catalog, table, constraint, originAt(origin, constraint.location));
      return;
    }
    case 'AT_ValidateConstraint':
      for (const item of [...table.foreignKeys, ...table.checks])
        if (item.name === cmd.name) item.notValid = false;
      return;
    case 'AT_DropConstraint':
      if (cmd.name) dropConstraint(catalog, table, cmd.name);
      return;
    case 'AT_EnableRowSecurity':
    case 'AT_ForceRowSecurity':
      table.rowLevelSecurity = true;
      return;
    case 'AT_DisableRowSecurity':
      table.rowLevelSecurity = false;
      return;
    case 'AT_AttachPartition': {
      const child = catalog.tables.get(keyOfRangeVar(nodeAs(cmd.def, 'PartitionCmd')?.name) ?? '');
      if (child) child.partitionOf = table.key;
      return;
    }
    case 'AT_DetachPartition': {
      const child = catalog.tables.get(keyOfRangeVar(nodeAs(cmd.def, 'PartitionCmd')?.name) ?? '');
      if (child) delete child.partitionOf;
      return;
    }
    default:
      return;
  }
}

function dropColumn(catalog: Catalog, table: TableModel, name: string): void {
  table.columns.delete(name);
  table.foreignKeys = table.foreignKeys.filter((fk) => !fk.columns.includes(name));
  if (table.primaryKey?.columns.includes(name)) delete table.primaryKey;
  for (const [key, index] of catalog.indexes) {
    if (index.table === table.key && index.keys.some((part) => part.column === name))
      catalog.indexes.delete(key);
  }
}

function dropConstraint(catalog: Catalog, table: TableModel, name: string): void {
  table.foreignKeys = table.foreignKeys.filter((fk) => fk.name !== name);
  table.checks = table.checks.filter((check) => check.name !== name);
  const index = catalog.indexes.get(relationKey(table.schema, name));
  if (index?.constraint) {
    catalog.indexes.delete(index.key);
    if (index.constraint === 'primary key') delete table.primaryKey;
  }
  if (table.primaryKey?.name === name) delete table.primaryKey;
}

const alterTable: Handler<'AlterTableStmt'> = (catalog, node, origin) => {
  const key = keyOfRangeVar(node.relation);
  if (!key || (node.objtype && node.objtype !== 'OBJECT_TABLE')) return;
  let table = catalog.tables.get(key);
  if (!table) {
    // A table made before these files (a migration folder starting mid-history): remember what
    // the ALTERs say about it, as a placeholder that schema rules do not judge.
    table = newTable(key, 'table', { ...origin, fileIndex: -1 });
    table.placeholder = true;
    catalog.tables.set(key, table);
  }
  for (const item of node.cmds ?? []) {
    const cmd = nodeAs(item, 'AlterTableCmd');
    if (cmd) alterTableCommand(catalog, table, cmd, origin);
  }
};

function renameTableKey(catalog: Catalog, table: TableModel, newName: string): void {
  const oldKey = table.key;
  const newKey = relationKey(table.schema, newName);
  catalog.tables.delete(oldKey);
  table.key = newKey;
  table.name = newName;
  catalog.tables.set(newKey, table);
  for (const index of catalog.indexes.values()) if (index.table === oldKey) index.table = newKey;
  for (const other of catalog.tables.values()) {
    for (const fk of other.foreignKeys) {
      if (fk.table === oldKey) fk.table = newKey;
      if (fk.referencedTable === oldKey) fk.referencedTable = newKey;
    }
    if (other.partitionOf === oldKey) other.partitionOf = newKey;
  }
}

function renameColumn(catalog: Catalog, table: TableModel, from: string, to: string): void {
  const column = table.columns.get(from);
  if (!column) return;
  table.columns.delete(from);
  column.name = to;
  table.columns.set(to, column);
  const swap = (names: string[]) => names.map((name) => (name === from ? to : name));
  if (table.primaryKey) table.primaryKey.columns = swap(table.primaryKey.columns);
  for (const fk of table.foreignKeys) fk.columns = swap(fk.columns);
  for (const other of catalog.tables.values())
    for (const fk of other.foreignKeys)
      if (fk.referencedTable === table.key) fk.referencedColumns = swap(fk.referencedColumns);
  for (const index of catalog.indexes.values()) {
    if (index.table !== table.key) continue;
    index.keys = index.keys.map((part) => (part.column === from ? { ...part, column: to } : part));
  }
}

const rename: Handler<'RenameStmt'> = (catalog, node) => {
  const newName = node.newname;
  if (!newName) return;
  const relation = keyOfRangeVar(node.relation) ?? '';
  switch (node.renameType) {
    case 'OBJECT_TABLE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW': {
      const table = catalog.tables.get(relation);
      if (table) renameTableKey(catalog, table, newName);
      return;
    }
    case 'OBJECT_COLUMN': {
      const table = catalog.tables.get(relation);
      if (table && node.subname) renameColumn(catalog, table, node.subname, newName);
      return;
    }
    case 'OBJECT_INDEX': {
      const index = catalog.indexes.get(relation);
      if (!index) return;
      catalog.indexes.delete(relation);
      index.name = newName;
      index.key = relationKey(relation.slice(0, relation.indexOf('.')), newName);
      catalog.indexes.set(index.key, index);
      return;
    }
    case 'OBJECT_TABCONSTRAINT': {
      const table = catalog.tables.get(relation);
      if (!table || !node.subname) return;
      for (const item of [...table.foreignKeys, ...table.checks])
        if (item.name === node.subname) item.name = newName;
      return;
    }
    default:
      return;
  }
};

const drop: Handler<'DropStmt'> = (catalog, node) => {
  for (const object of node.objects ?? []) {
    const key = keyOfNames(nameListOf(object));
    if (!key) continue;
    switch (node.removeType) {
      case 'OBJECT_TABLE':
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW':
      case 'OBJECT_FOREIGN_TABLE':
        catalog.tables.delete(key);
        for (const [indexKey, index] of catalog.indexes)
          if (index.table === key) catalog.indexes.delete(indexKey);
        break;
      case 'OBJECT_INDEX':
        catalog.indexes.delete(key);
        break;
      case 'OBJECT_TYPE':
      case 'OBJECT_DOMAIN':
        catalog.types.delete(key);
        break;
      case 'OBJECT_SEQUENCE':
        catalog.sequences.delete(key);
        break;
      default:
        break;
    }
  }
};

const createView = (kind: RelationKind) => (catalog: Catalog, key: string | undefined, origin: Origin) => {
  if (key) catalog.tables.set(key, newTable(key, kind, origin));
};

const HANDLERS: Handlers = {
  CreateStmt: createTable,
  IndexStmt: createIndex,
  AlterTableStmt: alterTable,
  RenameStmt: rename,
  DropStmt: drop,
  ViewStmt: (catalog, node, origin) => createView('view')(catalog, keyOfRangeVar(node.view), origin),
  CreateTableAsStmt: (catalog, node, origin) =>
    createView(node.objtype === 'OBJECT_MATVIEW' ? 'materialized view' : 'table')(
      catalog,
      keyOfRangeVar(node.into?.rel),
      origin,
    ),
  CreateForeignTableStmt: (catalog, node, origin) =>
    createView('foreign table')(catalog, keyOfRangeVar(node.base?.relation), origin),
  CreateEnumStmt: (catalog, node, origin) => {
    const key = keyOfNames(stringsOf(node.typeName));
    if (key)
      catalog.types.set(key, { key, kind: 'enum', hasCheck: false, values: stringsOf(node.vals), origin });
  },
  AlterEnumStmt: (catalog, node) => {
    const type = catalog.types.get(keyOfNames(stringsOf(node.typeName)) ?? '');
    if (!type) return;
    if (node.oldVal && node.newVal)
      type.values = type.values.map((v) => (v === node.oldVal ? node.newVal! : v));
    else if (node.newVal && !type.values.includes(node.newVal)) type.values.push(node.newVal);
  },
  CreateDomainStmt: (catalog, node, origin) => {
    const key = keyOfNames(stringsOf(node.domainname));
    if (!key) return;
    const hasCheck = (node.constraints ?? []).some(
      (c) => nodeAs(c, 'Constraint')?.contype === 'CONSTR_CHECK',
    );
    catalog.types.set(key, {
      key,
      kind: 'domain',
      baseType: columnTypeOf(node.typeName),
      hasCheck,
      values: [],
      origin,
    });
  },
  CompositeTypeStmt: (catalog, node, origin) => {
    const key = keyOfRangeVar(node.typevar);
    if (key) catalog.types.set(key, { key, kind: 'composite', hasCheck: false, values: [], origin });
  },
  CreateRangeStmt: (catalog, node, origin) => {
    const key = keyOfNames(stringsOf(node.typeName));
    if (key) catalog.types.set(key, { key, kind: 'range', hasCheck: false, values: [], origin });
  },
  CreateFunctionStmt: (catalog, node, origin) => {
    const key = keyOfNames(stringsOf(node.funcname));
    if (!key) return;
    let securityDefiner = false;
    let setsSearchPath = false;
    let language: string | undefined;
    for (const option of node.options ?? []) {
      const def = nodeAs(option, 'DefElem');
      if (def?.defname === 'security') securityDefiner = nodeAs(def.arg, 'Boolean')?.boolval === true;
      if (def?.defname === 'set')
        setsSearchPath ||= nodeAs(def.arg, 'VariableSetStmt')?.name === 'search_path';
      if (def?.defname === 'language') language = nodeAs(def.arg, 'String')?.sval;
    }
    catalog.functions.set(key, {
      key,
      securityDefiner,
      setsSearchPath,
      ...(language ? { language } : {}),
      origin,
    });
  },
  AlterFunctionStmt: (catalog, node) => {
    const fn = catalog.functions.get(keyOfNames(stringsOf(node.func?.objname)) ?? '');
    if (!fn) return;
    for (const action of node.actions ?? []) {
      const def = nodeAs(action, 'DefElem');
      if (def?.defname === 'set' && nodeAs(def.arg, 'VariableSetStmt')?.name === 'search_path')
        fn.setsSearchPath = true;
      if (def?.defname === 'security') fn.securityDefiner = nodeAs(def.arg, 'Boolean')?.boolval === true;
    }
  },
  CreateSeqStmt: (catalog, node, origin) => {
    const key = keyOfRangeVar(node.sequence);
    if (!key) return;
    let dataType: ReturnType<typeof columnTypeOf> | undefined;
    for (const option of node.options ?? []) {
      const def = nodeAs(option, 'DefElem');
      if (def?.defname === 'as') dataType = columnTypeOf(nodeAs(def.arg, 'TypeName'));
    }
    catalog.sequences.set(key, { key, ...(dataType ? { dataType } : {}), origin });
  },
  AlterSeqStmt: (catalog, node) => {
    const sequence = catalog.sequences.get(keyOfRangeVar(node.sequence) ?? '');
    if (!sequence) return;
    for (const option of node.options ?? []) {
      const def = nodeAs(option, 'DefElem');
      if (def?.defname === 'owned_by') {
        const names = nameListOf(def.arg);
        if (names.length >= 2)
          sequence.ownedBy = `${keyOfNames(names.slice(0, -1))}.${names[names.length - 1]}`;
      }
    }
  },
  CreatePolicyStmt: (catalog, node, origin) => {
    const table = catalog.tables.get(keyOfRangeVar(node.table) ?? '');
    if (table && node.policy_name) table.policies.push({ name: node.policy_name, origin });
  },
  RuleStmt: (catalog, node, origin) => {
    const table = keyOfRangeVar(node.relation);
    if (table && node.rulename && node.rulename !== '_RETURN')
      catalog.rules.push({ name: node.rulename, table, origin });
  },
};
