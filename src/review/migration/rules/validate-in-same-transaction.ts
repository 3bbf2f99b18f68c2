import { nodeAs } from '../../sql-parse/ast.js';
import type { MigrationRule } from '../context.js';
import { alterCommandsOnExisting } from '../helpers.js';

export const rule: MigrationRule = {
  id: 'migration/validate-in-same-transaction',
  severity: 'warn',
  group: 'transactions',
  summary: 'VALIDATE CONSTRAINT runs in a later transaction than the NOT VALID constraint it validates',
  lock: 'The ADD CONSTRAINT lock (ACCESS EXCLUSIVE or SHARE ROW EXCLUSIVE) stays held through the validation scan.',
  meaning:
    'NOT VALID + VALIDATE exists so that the scan runs under a weak lock. In the same transaction the strong lock taken by ADD CONSTRAINT is still held during the VALIDATE scan, which gives back exactly the outage the pattern avoids. Commit between the two.',
  *check(context) {
    if (!context.session.inTransaction) return;
    for (const { table, cmd } of alterCommandsOnExisting(context)) {
      if (cmd.subtype !== 'AT_ValidateConstraint' || !cmd.name) continue;
      const added = context.session.heldLocks.find((held) => {
        const alter = nodeAs(held.statement.node, 'AlterTableStmt');
        return (alter?.cmds ?? []).some((item) => {
          const constraint = nodeAs(nodeAs(item, 'AlterTableCmd')?.def, 'Constraint');
          return constraint?.conname === cmd.name && constraint?.skip_validation === true;
        });
      });
      if (!added) continue;
      yield {
        message: `VALIDATE CONSTRAINT ${cmd.name} on ${context.name(table)} runs in the transaction that added it (line ${added.statement.span.line})`,
        help: `COMMIT after ADD CONSTRAINT ${cmd.name} ... NOT VALID, and run VALIDATE CONSTRAINT in a new transaction: it then takes only SHARE UPDATE EXCLUSIVE, so reads and writes continue during the scan.`,
      };
    }
  },
};
