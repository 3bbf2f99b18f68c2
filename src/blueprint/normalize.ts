/**
 * From a validated blueprint to the frozen model: every default applied, every name resolved.
 * Runs only after structural, semantic and SQL checks found no error, so it may trust the input.
 */
import { constraintName, quoteLiteral } from '../sql/identifiers.js';
import type {
  Access,
  AccessRule,
  CheckDef,
  Entity,
  EntityKey,
  Field,
  FieldKind,
  IndexDef,
  Lifecycle,
  Model,
  OnDelete,
  PathParam,
  ReferenceInfo,
  Relation,
  SourceLocation,
  UniqueGroup,
} from './model.js';
import { camelCase, kebabCase, pascalCase, pluralize } from './naming.js';
import { expandField, type RawAccessRule, type RawBlueprint, type RawEntity, type RawField } from './raw.js';
import { authOf, tenancyOf, withRowRules, withTenantReferences } from './security-model.js';
import type { BlueprintSource } from './source.js';
import type { ExpressionColumns } from './sql-checks.js';

export const DEFAULTS = {
  apiVersion: 'v1',
  jsonCase: 'camel',
  defaultLimit: 50,
  maxLimit: 500,
  bulkMaxItems: 5000,
  idempotencyTtlSeconds: 86_400,
  decimalPrecision: 18,
  decimalScale: 4,
  emailMaxLength: 254,
  urlMaxLength: 2048,
  requirements: {
    peakRps: 100,
    readShare: 0.8,
    p99Ms: { read: 200, write: 500, bulk1000: 1000 },
    availability: 99.9,
    consistency: 'strong',
  },
} as const;

/** SQL function the schema defines for UUID v7 keys (PostgreSQL 15 has no built-in one). */
export const UUID_V7_FUNCTION = 'architect_uuid_v7';

export function normalizeBlueprint(source: BlueprintSource, expressionColumns: ExpressionColumns): Model {
  const raw = source.value as RawBlueprint;
  const jsonCase = raw.api?.json_case ?? DEFAULTS.jsonCase;
  const property = (column: string) => (jsonCase === 'camel' ? camelCase(column) : column);
  const enums = new Map(Object.entries(raw.enums ?? {}));
  const rawEntities = new Map(Object.entries(raw.entities));
  const locate = (path: (string | number)[], key = true): SourceLocation => source.locate(path, { key });

  const tableOf = (name: string) => rawEntities.get(name)?.plural ?? pluralize(name);
  const keyKindOf = (name: string): EntityKey['kind'] => {
    const entity = rawEntities.get(name)!;
    return entity.key ? 'composite' : (entity.id ?? 'uuid');
  };

  const creation = creationOrder(rawEntities);
  const tenancy = tenancyOf(raw, tableOf);

  const entities: Entity[] = [];
  for (const [name, rawEntity] of rawEntities) {
    entities.push(withRowRules(buildEntity(name, rawEntity), rawEntity, tenancy));
  }
  const byName = new Map(entities.map((entity) => [entity.name, entity]));

  // Nested paths and reverse relations need the other entities, so they are resolved last.
  const resolved = withTenantReferences(entities)
    .map((entity) => (entity.parent ? nestUnder(entity, byName.get(entity.parent.entity)!) : entity))
    .map((entity) => ({ ...entity, relations: relationsOf(entity, entities, jsonCase) }));

  const model: Model = {
    blueprint: 1,
    name: raw.name,
    title: raw.title ?? pascalCase(raw.name).replace(/([a-z])([A-Z])/g, '$1 $2'),
    description: raw.description?.trim(),
    api: {
      version: raw.api?.version ?? DEFAULTS.apiVersion,
      basePath: raw.api?.base_path ?? `/api/${raw.api?.version ?? DEFAULTS.apiVersion}`,
      jsonCase,
      pagination: {
        defaultLimit: raw.api?.pagination?.default_limit ?? DEFAULTS.defaultLimit,
        maxLimit: raw.api?.pagination?.max_limit ?? DEFAULTS.maxLimit,
      },
      bulk: { maxItems: raw.api?.bulk?.max_items ?? DEFAULTS.bulkMaxItems },
      idempotencyTtlSeconds: raw.api?.idempotency?.ttl_s ?? DEFAULTS.idempotencyTtlSeconds,
    },
    requirements: {
      peakRps: raw.requirements?.peak_rps ?? DEFAULTS.requirements.peakRps,
      readShare: raw.requirements?.read_share ?? DEFAULTS.requirements.readShare,
      p99Ms: {
        read: raw.requirements?.p99_ms?.read ?? DEFAULTS.requirements.p99Ms.read,
        write: raw.requirements?.p99_ms?.write ?? DEFAULTS.requirements.p99Ms.write,
        bulk1000: raw.requirements?.p99_ms?.bulk_1000 ?? DEFAULTS.requirements.p99Ms.bulk1000,
      },
      availability: raw.requirements?.availability ?? DEFAULTS.requirements.availability,
      consistency: raw.requirements?.consistency ?? DEFAULTS.requirements.consistency,
      // Keyed by entity name; the blueprint may use the entity or the table name.
      data: Object.fromEntries(
        Object.entries(raw.requirements?.data ?? {}).map(([name, rows]) => [
          rawEntities.has(name)
            ? name
            : ([...rawEntities.keys()].find((entity) => tableOf(entity) === name) ?? name),
          rows,
        ]),
      ),
    },
    auth: authOf(raw),
    tenancy,
    enums: [...enums].map(([name, values]) => ({ name, values, location: locate(['enums', name]) })),
    entities: resolved,
    creationOrder: creation.order,
    hasAudit: resolved.some((entity) => entity.audit),
    source: source.file,
  };
  return deepFreeze(model);

  // ── builders ────────────────────────────────────────────────────────────────────────────
  function buildEntity(name: string, rawEntity: RawEntity): Entity {
    const table = tableOf(name);
    const base = ['entities', name];
    const fields: Field[] = [];
    const checks: CheckDef[] = [];
    const indexes: IndexDef[] = [];
    const uniques: UniqueGroup[] = [];
    const isSoftDelete = rawEntity.soft_delete === true;
    const compositeKey = rawEntity.key ?? [];
    const parentName = rawEntity.parent;
    const columnOf = (fieldName: string) => {
      const definition = rawEntity.fields[fieldName];
      if (definition && rawEntities.has(expandField(definition).type)) return `${fieldName}_id`;
      if (fieldName === 'id' && compositeKey.length === 0) return 'id';
      return fieldName;
    };

    // key
    const key: EntityKey =
      compositeKey.length > 0
        ? {
            kind: 'composite',
            fields: compositeKey,
            columns: compositeKey.map(columnOf),
            constraint: `${table}_pkey`,
          }
        : { kind: rawEntity.id ?? 'uuid', fields: ['id'], columns: ['id'], constraint: `${table}_pkey` };
    if (key.kind !== 'composite') {
      fields.push(
        systemField({
          name: 'id',
          kind: key.kind === 'bigint' ? 'bigint' : 'uuid',
          sqlType: key.kind === 'bigint' ? 'bigint' : 'uuid',
          origin: 'key',
          sqlDefault: key.kind === 'bigint' ? 'GENERATED ALWAYS AS IDENTITY' : `${UUID_V7_FUNCTION}()`,
          description:
            key.kind === 'bigint'
              ? 'Identity key, increasing in insertion order.'
              : 'UUID v7 key (time-ordered).',
          sortable: true,
        }),
      );
    }

    // declared fields
    for (const [fieldName, definition] of Object.entries(rawEntity.fields)) {
      const field = buildField(name, table, fieldName, expandField(definition), {
        isKey: compositeKey.includes(fieldName),
        isParent: parentName !== undefined && expandField(definition).type === parentName,
        location: locate([...base, 'fields', fieldName]),
      });
      fields.push(field);
      checks.push(...generatedChecks(table, field));
    }

    // lifecycle
    let lifecycle: Lifecycle | undefined;
    if (rawEntity.lifecycle) {
      const raw = rawEntity.lifecycle;
      const column = raw.field ?? 'status';
      const update = accessOf(rawEntity, 'update');
      lifecycle = {
        field: column,
        column,
        property: property(column),
        initial: raw.initial,
        states: raw.states,
        transitions: Object.entries(raw.transitions ?? {}).map(([transitionName, transition]) => ({
          name: transitionName,
          from: typeof transition.from === 'string' ? [transition.from] : transition.from,
          to: transition.to,
          access: transition.roles === undefined ? update : accessRule(transition.roles),
          reason:
            transition.reason === true
              ? 'required'
              : transition.reason === false
                ? 'none'
                : (transition.reason ?? 'optional'),
          pathSegment: kebabCase(transitionName),
        })),
        historyTable: raw.history ? `${name}_${column}_history` : undefined,
      };
      const stateField: Field = {
        name: column,
        column,
        property: property(column),
        kind: 'enum',
        sqlType: 'text',
        origin: 'lifecycle',
        description: `Lifecycle state: ${raw.states.join(', ')}. Changed only by transitions.`,
        nullable: false,
        default: raw.initial,
        sqlDefault: quoteLiteral(raw.initial),
        unique: false,
        enum: { name: `${name}_${column}`, values: raw.states },
        readonly: true,
        creatable: false,
        updatable: false,
        requiredOnCreate: false,
        sortable: false,
        example: raw.initial,
        location: locate([...base, 'lifecycle']),
      };
      fields.push(stateField);
      checks.push(...generatedChecks(table, stateField));
      indexes.push({
        name: constraintName(table, column, 'idx'),
        columns: [column],
        unique: false,
        method: 'btree',
        reason: 'lifecycle',
        where: isSoftDelete ? 'deleted_at IS NULL' : undefined,
      });
    }

    // computed columns
    for (const [computedName, definition] of Object.entries(rawEntity.computed ?? {})) {
      const sql = typeof definition === 'string' ? definition : definition.sql;
      const declaredType = typeof definition === 'string' ? undefined : definition.type;
      const reads = expressionColumns.get(`${name}/computed/${computedName}`) ?? [];
      const sources = fields.filter((field) => reads.includes(field.column));
      const inferred = inferComputedType(declaredType as FieldKind | undefined, sources);
      fields.push({
        name: computedName,
        column: computedName,
        property: property(computedName),
        kind: inferred.kind,
        sqlType: inferred.sqlType,
        precision: inferred.precision,
        scale: inferred.scale,
        origin: 'computed',
        description:
          (typeof definition === 'string' ? undefined : definition.description) ?? `Computed: ${sql}`,
        // NULL in, NULL out; and NULLIF, CASE (without ELSE) or a NULL literal can give NULL from
        // non-null columns, so those expressions are nullable too.
        nullable: sources.some((field) => field.nullable) || /\b(nullif|case|null)\b/i.test(sql),
        unique: false,
        readonly: true,
        creatable: false,
        updatable: false,
        requiredOnCreate: false,
        computed: sql,
        sortable: false,
        location: locate([...base, 'computed', computedName]),
      });
    }

    // system columns
    fields.push(
      systemField({
        name: 'created_at',
        property: property('created_at'),
        kind: 'datetime',
        sqlType: 'timestamptz',
        origin: 'system',
        sqlDefault: 'now()',
        description: 'When the row was created.',
        sortable: false,
      }),
      systemField({
        name: 'updated_at',
        property: property('updated_at'),
        kind: 'datetime',
        sqlType: 'timestamptz',
        origin: 'system',
        sqlDefault: 'now()',
        description: 'When the row last changed.',
        sortable: false,
      }),
      systemField({
        name: 'version',
        kind: 'integer',
        sqlType: 'integer',
        origin: 'system',
        sqlDefault: '1',
        description: 'Increases on every change; the ETag of the resource.',
        sortable: false,
      }),
    );

    // named checks
    for (const [checkName, check] of Object.entries(rawEntity.checks ?? {})) {
      checks.push({
        name: checkName,
        constraint: constraintName(table, checkName),
        sql: check.sql.trim(),
        message: check.message,
        columns: expressionColumns.get(`${name}/checks/${checkName}`) ?? [],
        generated: false,
      });
    }

    // unique fields and groups: unique indexes (partial for soft-deleted entities)
    const partial = isSoftDelete ? 'deleted_at IS NULL' : undefined;
    for (const field of fields) {
      if (!field.unique) continue;
      const group: UniqueGroup = {
        name: constraintName(table, field.column, 'key'),
        fields: [field.name],
        columns: [field.column],
      };
      uniques.push(group);
      indexes.push({
        name: group.name,
        columns: group.columns,
        unique: true,
        method: 'btree',
        reason: 'unique',
        where: partial,
      });
    }
    for (const groupFields of rawEntity.unique ?? []) {
      const columns = groupFields.map(columnOf);
      const group: UniqueGroup = {
        name: constraintName(table, ...columns, 'key'),
        fields: groupFields,
        columns,
      };
      uniques.push(group);
      indexes.push({
        name: group.name,
        columns,
        unique: true,
        method: 'btree',
        reason: 'unique',
        where: partial,
      });
    }

    // declared indexes
    (rawEntity.indexes ?? []).forEach((index, position) => {
      const spec = Array.isArray(index) ? { fields: index } : index;
      const columns = spec.fields.map(columnOf);
      const isUnique = spec.unique === true;
      const declaredWhere = spec.where?.trim();
      const where =
        isSoftDelete && isUnique
          ? [declaredWhere, 'deleted_at IS NULL'].filter(Boolean).join(' AND ')
          : declaredWhere;
      indexes.push({
        name: spec.name ?? constraintName(table, ...columns, isUnique ? 'key' : 'idx'),
        columns,
        unique: isUnique,
        method: 'btree',
        reason: 'declared',
        where: where || undefined,
      });
      if (isUnique)
        uniques.push({
          name: spec.name ?? constraintName(table, ...columns, 'key'),
          fields: spec.fields,
          columns,
        });
      void position;
    });

    // single-field indexes asked for with `index: true`
    for (const [fieldName, definition] of Object.entries(rawEntity.fields)) {
      if (expandField(definition).index !== true) continue;
      const column = columnOf(fieldName);
      if (indexes.some((index) => index.columns[0] === column)) continue;
      indexes.push({
        name: constraintName(table, column, 'idx'),
        columns: [column],
        unique: false,
        method: 'btree',
        reason: 'declared',
        where: partial,
      });
    }

    // every foreign key gets an index, unless another index (or the key) already leads with it
    const finalFields = fields.map((field) => {
      if (!field.reference) return field;
      const covering =
        (key.columns[0] === field.column ? key.constraint : undefined) ??
        indexes.find((index) => index.columns[0] === field.column && index.where === undefined)?.name;
      if (covering) return { ...field, reference: { ...field.reference, index: covering } };
      const index: IndexDef = {
        name: field.reference.index,
        columns: [field.column],
        unique: false,
        method: 'btree',
        reason: 'foreign_key',
      };
      indexes.push(index);
      return field;
    });

    // full-text search
    let search: Entity['search'];
    if (rawEntity.search && rawEntity.search.length > 0) {
      search = { fields: rawEntity.search, columns: rawEntity.search.map(columnOf), column: 'search_vector' };
      indexes.push({
        name: constraintName(table, 'search_vector', 'idx'),
        columns: ['search_vector'],
        unique: false,
        method: 'gin',
        reason: 'search',
      });
    }

    // sortable: the key, and fields that lead an index
    const sortableColumns = new Set([
      key.columns[0]!,
      ...indexes.filter((index) => index.method === 'btree').map((index) => index.columns[0]!),
    ]);
    const withSort = finalFields.map((field) =>
      field.sortable || !sortableColumns.has(field.column) ? field : { ...field, sortable: true },
    );

    const access: Access = {
      read: accessOf(rawEntity, 'read'),
      create: accessOf(rawEntity, 'create'),
      update: accessOf(rawEntity, 'update'),
      delete: accessOf(rawEntity, 'delete'),
    };

    const pascalName = pascalCase(name);
    const resourceSegment =
      rawEntity.path ?? kebabCase(pluralize(parentName ? stripPrefix(name, parentName) : name));
    const keyParams: PathParam[] =
      key.kind === 'composite'
        ? key.fields.map((fieldName) => {
            const field = withSort.find((candidate) => candidate.name === fieldName)!;
            return {
              name: field.property === field.column ? camelCase(field.column) : field.property,
              column: field.column,
              field,
            };
          })
        : [{ name: 'id', column: 'id', field: withSort[0]! }];
    const collectionPath = `/${resourceSegment}`;
    const parentField = parentName
      ? withSort.find((field) => field.reference?.entity === parentName && !field.nullable)
      : undefined;

    return {
      name,
      table,
      pascalName,
      camelName: camelCase(name),
      pascalPlural: pascalCase(tableOf(name)),
      description: rawEntity.description?.trim(),
      key,
      fields: withSort,
      indexes,
      uniques,
      checks,
      search,
      softDelete: isSoftDelete,
      ifMatch: rawEntity.if_match ?? raw.api?.if_match ?? 'optional',
      appendOnly: rawEntity.append_only === true,
      writable: rawEntity.writable !== false,
      audit: rawEntity.audit === true,
      cache: rawEntity.cache ? { ttlSeconds: rawEntity.cache.ttl_s } : undefined,
      realtime: rawEntity.realtime === true,
      lifecycle,
      access,
      parent:
        parentName && parentField
          ? {
              entity: parentName,
              field: parentField.name,
              column: parentField.column,
              property: parentField.property,
            }
          : undefined,
      collectionPath,
      itemPath: `${collectionPath}/${keyParams.map((param) => `{${param.name}}`).join('/')}`,
      collectionParams: [],
      itemParams: keyParams,
      resourceSegment,
      relations: [],
      tag: sentenceCase(tableOf(name)),
      location: locate(base),
    };
  }

  function buildField(
    entityName: string,
    table: string,
    name: string,
    raw: RawField,
    context: { isKey: boolean; isParent: boolean; location: SourceLocation },
  ): Field {
    const target = rawEntities.get(raw.type);
    const enumValues = enums.get(raw.type);
    const kind: FieldKind = target ? 'reference' : enumValues ? 'enum' : (raw.type as FieldKind);
    const column = target ? `${name}_id` : name;
    let sqlType = sqlTypeOf(kind, raw);
    let reference: ReferenceInfo | undefined;
    if (target) {
      const targetKind = keyKindOf(raw.type);
      sqlType = targetKind === 'bigint' ? 'bigint' : 'uuid';
      const targetTable = tableOf(raw.type);
      reference = {
        entity: raw.type,
        table: targetTable,
        column: 'id',
        onDelete: (raw.on_delete ?? 'restrict') as OnDelete,
        constraint: constraintName(table, column, 'fkey'),
        index: constraintName(table, column, 'idx'),
        deferred: creation.deferred.has(`${entityName}.${name}`),
      };
    }
    const isReadonly = raw.readonly === true;
    const hasDefault = raw.default !== undefined;
    const precision = kind === 'decimal' ? (raw.precision ?? DEFAULTS.decimalPrecision) : undefined;
    const scale = kind === 'decimal' ? (raw.scale ?? DEFAULTS.decimalScale) : undefined;
    const max =
      raw.max ??
      (kind === 'email' ? DEFAULTS.emailMaxLength : kind === 'url' ? DEFAULTS.urlMaxLength : undefined);
    return {
      name,
      column,
      property: property(column),
      kind,
      sqlType,
      origin: 'declared',
      description: raw.description?.trim(),
      nullable: raw.optional === true,
      default:
        kind === 'decimal' && typeof raw.default === 'number'
          ? String(raw.default)
          : (raw.default as Field['default']),
      sqlDefault: hasDefault ? sqlLiteral(kind, raw.default) : undefined,
      unique: raw.unique === true,
      min: raw.min,
      max,
      minText: kind === 'decimal' && raw.min !== undefined ? String(raw.min) : undefined,
      maxText: kind === 'decimal' && raw.max !== undefined ? String(raw.max) : undefined,
      length: raw.length,
      pattern: raw.pattern,
      not: raw.not,
      example: raw.example,
      precision,
      scale,
      enum: enumValues ? { name: raw.type, values: enumValues } : undefined,
      reference,
      readonly: isReadonly,
      creatable: !isReadonly,
      updatable: !isReadonly && !context.isKey && !context.isParent,
      requiredOnCreate: !isReadonly && raw.optional !== true && !hasDefault,
      sortable: false,
      ...(raw.visible_to ? { visibleTo: raw.visible_to } : {}),
      ...(raw.writable_by ? { writableBy: raw.writable_by } : {}),
      location: context.location,
    };
  }

  function accessOf(rawEntity: RawEntity, operation: keyof Access): AccessRule {
    const rules = rawEntity.access ?? {};
    const rule = rules[operation] ?? (operation === 'read' ? undefined : rules.write);
    return rule === undefined ? { kind: 'authenticated' } : accessRule(rule);
  }

  function nestUnder(child: Entity, parent: Entity): Entity {
    const parentKey = parent.itemParams.at(-1)!;
    const parentParamName = camelCase(`${child.parent!.field}_id`);
    const ownParams = child.itemParams.filter((param) => param.column !== child.parent!.column);
    const collectionPath = `${parent.collectionPath}/{${parentParamName}}/${child.resourceSegment}`;
    const parentField = child.fields.find((field) => field.column === child.parent!.column)!;
    const collectionParams: PathParam[] = [
      { name: parentParamName, column: child.parent!.column, field: parentField },
    ];
    void parentKey;
    return {
      ...child,
      collectionPath,
      collectionParams,
      itemPath: `${collectionPath}/${ownParams.map((param) => `{${param.name}}`).join('/')}`,
      itemParams: [...collectionParams, ...ownParams],
    };
  }
}

/**
 * Many-to-one relations are named after the reference field (`supplier`); one-to-many after the
 * other entity's route segment for children (`lines`) or its plural (`stockMovements`), with the
 * field appended when one entity references this one twice (`purchaseOrdersBySupplier`).
 */
function relationsOf(entity: Entity, all: readonly Entity[], jsonCase: 'camel' | 'snake'): Relation[] {
  const property = (name: string) => (jsonCase === 'camel' ? camelCase(name) : name);
  const one: Relation[] = entity.fields
    .filter((field) => field.reference)
    .map((field) => ({
      name: property(field.name),
      kind: 'one',
      entity: field.reference!.entity,
      field: field.name,
      column: field.column,
    }));
  const many: Relation[] = [];
  for (const other of all) {
    const pointing = other.fields.filter((field) => field.reference?.entity === entity.name);
    for (const field of pointing) {
      const isChild = other.parent?.entity === entity.name && other.parent.field === field.name;
      const base = isChild ? other.resourceSegment.replace(/-/g, '_') : other.table;
      const name = pointing.length > 1 && !isChild ? `${base}_by_${field.name}` : base;
      many.push({
        name: property(name),
        kind: 'many',
        entity: other.name,
        field: field.name,
        column: field.column,
      });
    }
  }
  return [...one, ...many];
}

function systemField(spec: {
  name: string;
  kind: FieldKind;
  sqlType: string;
  origin: Field['origin'];
  sqlDefault: string;
  description: string;
  sortable: boolean;
  /** JSON property when it differs from the name (`createdAt` with `json_case: camel`). */
  property?: string;
}): Field {
  return {
    name: spec.name,
    column: spec.name,
    property: spec.property ?? spec.name,
    kind: spec.kind,
    sqlType: spec.sqlType,
    origin: spec.origin,
    description: spec.description,
    nullable: false,
    sqlDefault: spec.sqlDefault,
    unique: false,
    readonly: true,
    creatable: false,
    updatable: false,
    requiredOnCreate: false,
    sortable: spec.sortable,
  };
}

function accessRule(rule: RawAccessRule): AccessRule {
  if (rule === 'any') return { kind: 'any' };
  if (rule === 'authenticated') return { kind: 'authenticated' };
  if (rule === 'none') return { kind: 'none' };
  return { kind: 'roles', roles: rule };
}

function sqlTypeOf(kind: FieldKind, raw: RawField): string {
  const types: Record<FieldKind, string> = {
    string: 'text',
    text: 'text',
    integer: 'integer',
    bigint: 'bigint',
    decimal: `numeric(${raw.precision ?? DEFAULTS.decimalPrecision},${raw.scale ?? DEFAULTS.decimalScale})`,
    boolean: 'boolean',
    date: 'date',
    datetime: 'timestamptz',
    uuid: 'uuid',
    email: 'text',
    url: 'text',
    json: 'jsonb',
    enum: 'text',
    reference: 'uuid',
  };
  return types[kind];
}

function sqlLiteral(kind: FieldKind, value: unknown): string {
  if (value === null) return 'NULL';
  switch (kind) {
    case 'integer':
    case 'bigint':
    case 'decimal':
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'json':
      return `${quoteLiteral(JSON.stringify(value))}::jsonb`;
    default:
      return quoteLiteral(String(value));
  }
}

/**
 * Checks implied by field options. Each is its own named constraint so a violation can be
 * reported with the field and the exact rule.
 */
function generatedChecks(table: string, field: Field): CheckDef[] {
  const checks: CheckDef[] = [];
  const column = field.column;
  const add = (rule: string, sql: string, message: string) =>
    checks.push({
      name: `${field.name}_${rule}`,
      constraint: constraintName(table, column, rule),
      sql,
      message,
      columns: [column],
      generated: true,
      field: field.name,
    });
  const label = field.property;
  const isText = ['string', 'text', 'email', 'url'].includes(field.kind);
  if (field.kind === 'enum' && field.enum) {
    add(
      'enum',
      `${column} IN (${field.enum.values.map(quoteLiteral).join(', ')})`,
      `${label} must be one of ${field.enum.values.join(', ')}`,
    );
  }
  if (isText) {
    if (field.length !== undefined) {
      add(
        'length',
        `char_length(${column}) = ${field.length}`,
        `${label} must be exactly ${field.length} characters`,
      );
    }
    if (field.min !== undefined) {
      add(
        'min_length',
        `char_length(${column}) >= ${field.min}`,
        `${label} must be at least ${field.min} characters`,
      );
    }
    if (field.max !== undefined) {
      add(
        'max_length',
        `char_length(${column}) <= ${field.max}`,
        `${label} must be at most ${field.max} characters`,
      );
    }
    if (field.pattern !== undefined) {
      add('pattern', `${column} ~ ${quoteLiteral(field.pattern)}`, `${label} must match ${field.pattern}`);
    }
    if (field.kind === 'email') {
      add('email', `${column} ~ '^[^@[:space:]]+@[^@[:space:]]+$'`, `${label} must be an email address`);
    }
    if (field.kind === 'url') {
      add('url', `${column} ~ '^https?://[^[:space:]]+$'`, `${label} must be an http or https URL`);
    }
  } else if (['integer', 'bigint', 'decimal'].includes(field.kind)) {
    if (field.min !== undefined)
      add('min', `${column} >= ${field.min}`, `${label} must be at least ${field.min}`);
    if (field.max !== undefined)
      add('max', `${column} <= ${field.max}`, `${label} must be at most ${field.max}`);
  }
  if (field.not !== undefined) {
    const literal =
      typeof field.not === 'string' && !['integer', 'bigint', 'decimal'].includes(field.kind)
        ? quoteLiteral(field.not)
        : String(field.not);
    add('not', `${column} <> ${literal}`, `${label} must not be ${field.not}`);
  }
  return checks;
}

function inferComputedType(
  declared: FieldKind | undefined,
  sources: readonly Field[],
): { kind: FieldKind; sqlType: string; precision?: number; scale?: number } {
  const kind: FieldKind =
    declared ??
    (sources.some((field) => field.kind === 'decimal')
      ? 'decimal'
      : sources.some((field) => field.kind === 'bigint')
        ? 'bigint'
        : sources.every((field) => field.kind === 'integer') && sources.length > 0
          ? 'integer'
          : sources.every((field) => ['string', 'text'].includes(field.kind)) && sources.length > 0
            ? 'text'
            : 'decimal');
  if (kind === 'decimal') {
    const precision = Math.max(DEFAULTS.decimalPrecision, ...sources.map((field) => field.precision ?? 0));
    const scale = Math.max(0, ...sources.map((field) => field.scale ?? 0)) || DEFAULTS.decimalScale;
    return { kind, sqlType: `numeric(${precision},${scale})`, precision, scale };
  }
  return { kind, sqlType: sqlTypeOf(kind, { type: kind }) };
}

/**
 * Entities in an order where every required reference points to an earlier table. References
 * that cannot be satisfied that way (self-references, cycles through optional fields) are
 * `deferred`: their constraint is added after both tables exist.
 */
function creationOrder(entities: Map<string, RawEntity>): { order: string[]; deferred: Set<string> } {
  const order: string[] = [];
  const placed = new Set<string>();
  const deferred = new Set<string>();
  const referencesOf = (name: string) =>
    Object.entries(entities.get(name)!.fields)
      .map(([fieldName, definition]) => ({ field: fieldName, ...expandField(definition) }))
      .filter((field) => entities.has(field.type));
  const names = [...entities.keys()];
  while (order.length < names.length) {
    // Prefer an entity whose references are all placed; otherwise break a cycle at the first
    // entity whose unplaced references are all optional.
    const ready =
      names.find(
        (name) =>
          !placed.has(name) && referencesOf(name).every((ref) => ref.type === name || placed.has(ref.type)),
      ) ??
      names.find(
        (name) =>
          !placed.has(name) &&
          referencesOf(name).every(
            (ref) => ref.type === name || placed.has(ref.type) || ref.optional === true,
          ),
      ) ??
      names.find((name) => !placed.has(name))!;
    for (const ref of referencesOf(ready)) {
      if (ref.type !== ready && !placed.has(ref.type)) deferred.add(`${ready}.${ref.field}`);
    }
    order.push(ready);
    placed.add(ready);
  }
  return { order, deferred };
}

function stripPrefix(name: string, parent: string): string {
  return name.startsWith(`${parent}_`) && name.length > parent.length + 1
    ? name.slice(parent.length + 1)
    : name;
}

function sentenceCase(snake: string): string {
  const words = snake.replace(/_/g, ' ');
  return words[0]!.toUpperCase() + words.slice(1);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
