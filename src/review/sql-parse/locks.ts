/**
 * The table-level lock each statement takes, from PostgreSQL's "Explicit Locking" chapter and
 * the ALTER TABLE reference ("Notes": which subcommands take which lock).
 */
import type { AlterTableCmd } from 'libpg-query';
import { keyOfNames, keyOfRangeVar, type NodeKind, type NodeOf, nameListOf, nodeAs } from './ast.js';

/** Ordered weakest to strongest, as in the lock conflict table. */
export const LOCK_MODES = [
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
] as const;
export type LockMode = (typeof LOCK_MODES)[number];

/** What a lock blocks, in words for help texts. */
export const LOCK_BLOCKS: Readonly<Record<LockMode, string>> = {
  'ACCESS SHARE': 'only ACCESS EXCLUSIVE (schema changes)',
  'ROW SHARE': 'EXCLUSIVE and ACCESS EXCLUSIVE',
  'ROW EXCLUSIVE': 'SHARE and stronger locks (index builds, schema changes)',
  'SHARE UPDATE EXCLUSIVE':
    'other schema changes, VACUUM and concurrent index builds, but not reads or writes',
  SHARE: 'every write (INSERT, UPDATE, DELETE) but not reads',
  'SHARE ROW EXCLUSIVE': 'every write (INSERT, UPDATE, DELETE) but not reads',
  EXCLUSIVE: 'every write, and reads other than plain SELECT',
  'ACCESS EXCLUSIVE': 'every read and every write',
};

export function isStronger(a: LockMode, b: LockMode): boolean {
  return LOCK_MODES.indexOf(a) > LOCK_MODES.indexOf(b);
}

/** Locks that block application writes: the ones migrations must keep short. */
export function blocksWrites(mode: LockMode): boolean {
  return LOCK_MODES.indexOf(mode) >= LOCK_MODES.indexOf('SHARE');
}

export interface TableLock {
  readonly table: string;
  readonly mode: LockMode;
}

/** ALTER TABLE subcommands that take less than ACCESS EXCLUSIVE (everything else takes it). */
function alterTableLock(cmd: AlterTableCmd): LockMode {
  switch (cmd.subtype) {
    case 'AT_ValidateConstraint':
    case 'AT_SetStatistics':
    case 'AT_ClusterOn':
    case 'AT_DropCluster':
    case 'AT_AttachPartition':
    case 'AT_SetOptions':
    case 'AT_ResetOptions':
      return 'SHARE UPDATE EXCLUSIVE';
    case 'AT_DetachPartition':
      return nodeAs(cmd.def, 'PartitionCmd')?.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
    case 'AT_AddConstraint':
      return nodeAs(cmd.def, 'Constraint')?.contype === 'CONSTR_FOREIGN'
        ? 'SHARE ROW EXCLUSIVE'
        : 'ACCESS EXCLUSIVE';
    case 'AT_EnableTrig':
    case 'AT_DisableTrig':
    case 'AT_EnableAlwaysTrig':
    case 'AT_EnableReplicaTrig':
    case 'AT_EnableTrigAll':
    case 'AT_DisableTrigAll':
    case 'AT_EnableTrigUser':
    case 'AT_DisableTrigUser':
      return 'SHARE ROW EXCLUSIVE';
    default:
      return 'ACCESS EXCLUSIVE';
  }
}

type LockOf<K extends NodeKind> = (node: NodeOf<K>) => TableLock[];
const one = (table: string | undefined, mode: LockMode): TableLock[] => (table ? [{ table, mode }] : []);

const LOCKS: { [K in NodeKind]?: LockOf<K> } = {
  AlterTableStmt: (node) => {
    const table = keyOfRangeVar(node.relation);
    if (!table || (node.objtype && node.objtype !== 'OBJECT_TABLE')) return [];
    const locks: TableLock[] = [];
    let strongest: LockMode = 'ACCESS SHARE';
    for (const item of node.cmds ?? []) {
      const cmd = nodeAs(item, 'AlterTableCmd');
      if (!cmd) continue;
      const mode = alterTableLock(cmd);
      if (isStronger(mode, strongest)) strongest = mode;
      const constraint = nodeAs(cmd.def, 'Constraint');
      const referenced =
        constraint?.contype === 'CONSTR_FOREIGN' ? keyOfRangeVar(constraint.pktable) : undefined;
      if (referenced && referenced !== table) locks.push({ table: referenced, mode: 'SHARE ROW EXCLUSIVE' });
    }
    return [{ table, mode: strongest }, ...locks];
  },
  IndexStmt: (node) =>
    one(keyOfRangeVar(node.relation), node.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE'),
  ReindexStmt: (node) => {
    const concurrent = (node.params ?? []).some((p) => nodeAs(p, 'DefElem')?.defname === 'concurrently');
    return one(keyOfRangeVar(node.relation), concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE');
  },
  DropStmt: (node) => {
    if (!['OBJECT_TABLE', 'OBJECT_MATVIEW'].includes(node.removeType ?? '')) return [];
    return (node.objects ?? []).flatMap((object) => one(keyOfNames(nameListOf(object)), 'ACCESS EXCLUSIVE'));
  },
  RenameStmt: (node) =>
    ['OBJECT_TABLE', 'OBJECT_COLUMN', 'OBJECT_TABCONSTRAINT'].includes(node.renameType ?? '')
      ? one(keyOfRangeVar(node.relation), 'ACCESS EXCLUSIVE')
      : [],
  TruncateStmt: (node) =>
    (node.relations ?? []).flatMap((item) =>
      one(keyOfRangeVar(nodeAs(item, 'RangeVar')), 'ACCESS EXCLUSIVE'),
    ),
  VacuumStmt: (node) => {
    const full = (node.options ?? []).some((option) => nodeAs(option, 'DefElem')?.defname === 'full');
    return (node.rels ?? []).flatMap((item) =>
      one(
        keyOfRangeVar(nodeAs(item, 'VacuumRelation')?.relation),
        full ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE',
      ),
    );
  },
  ClusterStmt: (node) => one(keyOfRangeVar(node.relation), 'ACCESS EXCLUSIVE'),
  CreateTrigStmt: (node) => one(keyOfRangeVar(node.relation), 'SHARE ROW EXCLUSIVE'),
  CreatePolicyStmt: (node) => one(keyOfRangeVar(node.table), 'ACCESS EXCLUSIVE'),
  AlterPolicyStmt: (node) => one(keyOfRangeVar(node.table), 'ACCESS EXCLUSIVE'),
  RefreshMatViewStmt: (node) =>
    one(keyOfRangeVar(node.relation), node.concurrent ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE'),
  LockStmt: (node) => {
    const modes: LockMode[] = [...LOCK_MODES];
    const mode = modes[(node.mode ?? 8) - 1] ?? 'ACCESS EXCLUSIVE';
    return (node.relations ?? []).flatMap((item) => one(keyOfRangeVar(nodeAs(item, 'RangeVar')), mode));
  },
  UpdateStmt: (node) => one(keyOfRangeVar(node.relation), 'ROW EXCLUSIVE'),
  DeleteStmt: (node) => one(keyOfRangeVar(node.relation), 'ROW EXCLUSIVE'),
  InsertStmt: (node) => one(keyOfRangeVar(node.relation), 'ROW EXCLUSIVE'),
  CommentStmt: (node) =>
    node.objtype === 'OBJECT_TABLE' || node.objtype === 'OBJECT_COLUMN'
      ? one(
          keyOfNames(nameListOf(node.object).slice(0, node.objtype === 'OBJECT_COLUMN' ? -1 : undefined)),
          'SHARE UPDATE EXCLUSIVE',
        )
      : [],
};

/** The table locks a statement takes (empty for statements that lock no table). */
export function locksOf(kind: NodeKind, payload: unknown): TableLock[] {
  const lockOf = LOCKS[kind] as LockOf<NodeKind> | undefined;
  return lockOf ? lockOf(payload as NodeOf<NodeKind>) : [];
}

const LABELS: Readonly<Record<string, string>> = {
  AlterTableStmt: 'ALTER TABLE',
  IndexStmt: 'CREATE INDEX',
  ReindexStmt: 'REINDEX',
  DropStmt: 'DROP',
  RenameStmt: 'RENAME',
  TruncateStmt: 'TRUNCATE',
  VacuumStmt: 'VACUUM',
  ClusterStmt: 'CLUSTER',
  CreateTrigStmt: 'CREATE TRIGGER',
  CreatePolicyStmt: 'CREATE POLICY',
  AlterPolicyStmt: 'ALTER POLICY',
  RefreshMatViewStmt: 'REFRESH MATERIALIZED VIEW',
  LockStmt: 'LOCK TABLE',
  CommentStmt: 'COMMENT',
  UpdateStmt: 'UPDATE',
  DeleteStmt: 'DELETE',
  InsertStmt: 'INSERT',
};

/** How to name a statement in a message: `ALTER TABLE`, `CREATE INDEX`. */
export function statementLabel(kind: NodeKind): string {
  return LABELS[kind] ?? kind;
}
