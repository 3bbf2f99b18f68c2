import { keyOfRangeVar, nodeAs } from '../../sql-parse/ast.js';
import type { MigrationRule } from '../context.js';
import { alterCommandsOnExisting } from '../helpers.js';

export const rule: MigrationRule = {
  id: 'migration/detach-partition-without-concurrently',
  severity: 'warn',
  group: 'locking',
  summary: 'Detach partitions with DETACH PARTITION CONCURRENTLY',
  lock: 'ACCESS EXCLUSIVE on the partitioned table: queries on every partition wait.',
  meaning:
    'DETACH PARTITION takes an ACCESS EXCLUSIVE lock on the parent, so queries on every partition wait, including while the DETACH waits for running queries. Since PostgreSQL 14, DETACH PARTITION ... CONCURRENTLY takes only SHARE UPDATE EXCLUSIVE (outside a transaction block).',
  *check(context) {
    if (context.postgresVersion < 14) return;
    for (const { table, cmd } of alterCommandsOnExisting(context)) {
      const partition = nodeAs(cmd.def, 'PartitionCmd');
      if (cmd.subtype !== 'AT_DetachPartition' || !partition || partition.concurrent) continue;
      const child = keyOfRangeVar(partition.name) ?? '?';
      yield {
        message: `DETACH PARTITION ${context.name(child)} locks ${context.name(table)} and all its partitions`,
        help: `Use ALTER TABLE ${context.name(table)} DETACH PARTITION ${context.name(child)} CONCURRENTLY (PostgreSQL 14+, outside a transaction block).`,
        fix: {
          description: 'Detach concurrently',
          replacement: `ALTER TABLE ${context.name(table)} DETACH PARTITION ${context.name(child)} CONCURRENTLY;`,
        },
      };
    }
  },
};
