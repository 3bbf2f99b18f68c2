/**
 * Migration review: SQL files read as changes run, in order, against a live database. Each
 * statement is judged against the schema as the earlier statements left it, the transaction it
 * runs in, the timeouts in scope and the locks it takes; a table created earlier in the same
 * file is new and empty, so lock rules leave it alone.
 *
 * @example
 *   const findings = await reviewMigrations(
 *     [{ file: 'migrations/0002_add_index.sql', text }],
 *     { postgresVersion: 15 },
 *   );
 */
import type { Finding } from '../finding.js';
import { nodeAs } from '../sql-parse/ast.js';
import { createCatalog } from '../sql-parse/catalog.js';
import { locksOf } from '../sql-parse/locks.js';
import { parseSql } from '../sql-parse/parse.js';
import { applyStatement } from '../sql-parse/replay.js';
import { metaOf, type RuleMeta, toFinding } from '../sql-parse/rule.js';
import { advance, startSession } from '../sql-parse/session.js';
import { MigrationContext, type MigrationReviewOptions } from './context.js';
import { MIGRATION_RULES, syntaxErrorRule } from './rules/index.js';

export type { MigrationReviewOptions, MigrationRule } from './context.js';
export { isMigrationText } from './detect.js';
export { MIGRATION_RULES } from './rules/index.js';

/** Public metadata of every migration rule. */
export const RULES: RuleMeta[] = [syntaxErrorRule, ...MIGRATION_RULES].map(metaOf);

export async function reviewMigrations(
  inputs: readonly { file: string; text: string }[],
  options: MigrationReviewOptions = {},
): Promise<Finding[]> {
  const postgresVersion = options.postgresVersion ?? 15;
  const catalog = createCatalog();
  const findings: Finding[] = [];
  for (const [fileIndex, input] of inputs.entries()) {
    const parsed = await parseSql(input.text);
    for (const problem of parsed.problems) {
      findings.push(
        toFinding(syntaxErrorRule, input.file, {
          message: `Syntax error: ${problem.message}`,
          span: problem.span,
          help: syntaxErrorRule.meaning,
        }),
      );
    }
    const session = startSession(options);
    const fileState = new Map<string, unknown>();
    for (const [position, statement] of parsed.statements.entries()) {
      const locks = locksOf(statement.kind, nodeAs(statement.node, statement.kind));
      const context = new MigrationContext(
        statement,
        input.file,
        fileIndex,
        catalog,
        session,
        locks,
        postgresVersion,
        fileState,
        parsed.statements,
        position,
      );
      for (const rule of MIGRATION_RULES) {
        for (const hit of rule.check(context))
          findings.push(toFinding(rule, input.file, hit, statement.span));
      }
      applyStatement(catalog, statement, fileIndex, parsed.source);
      advance(session, statement, locks);
    }
    const fileContext = { file: input.file, statements: parsed.statements, session };
    for (const rule of MIGRATION_RULES) {
      if (!rule.finish) continue;
      for (const hit of rule.finish(fileContext)) findings.push(toFinding(rule, input.file, hit));
    }
  }
  return findings;
}
