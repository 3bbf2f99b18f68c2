/**
 * Schema review: a SQL file read as the description of a schema (a dump, a `schema.sql`), not as
 * a change to run against a live database. Every statement is replayed into a catalog, then each
 * rule judges the final state, so nothing fires because a table "is locked" while being created.
 *
 * @example
 *   const findings = await reviewSqlSchema({ file: 'schema.sql', text }, { postgresVersion: 15 });
 */
import type { Finding } from '../finding.js';
import { createCatalog } from '../sql-parse/catalog.js';
import { parseSql } from '../sql-parse/parse.js';
import { applyStatement } from '../sql-parse/replay.js';
import { metaOf, type RuleMeta, toFinding } from '../sql-parse/rule.js';
import { SchemaContext, type SqlReviewOptions } from './context.js';
import { SCHEMA_RULES, syntaxErrorRule } from './rules/index.js';

export type { SchemaRule, SqlReviewOptions } from './context.js';
export { SCHEMA_RULES } from './rules/index.js';

/** Public metadata of every schema rule. */
export const RULES: RuleMeta[] = [syntaxErrorRule, ...SCHEMA_RULES].map(metaOf);

export async function reviewSqlSchema(
  input: { file: string; text: string },
  options: SqlReviewOptions = {},
): Promise<Finding[]> {
  const parsed = await parseSql(input.text);
  const catalog = createCatalog();
  for (const statement of parsed.statements) applyStatement(catalog, statement, 0, parsed.source);
  const context = new SchemaContext(catalog, parsed, options);
  const findings: Finding[] = parsed.problems.map((problem) =>
    toFinding(syntaxErrorRule, input.file, {
      message: `Syntax error: ${problem.message}`,
      span: problem.span,
      help: syntaxErrorRule.meaning,
    }),
  );
  for (const rule of SCHEMA_RULES) {
    for (const hit of rule.check(context)) findings.push(toFinding(rule, input.file, hit));
  }
  return findings;
}
