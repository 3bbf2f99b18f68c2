/**
 * Running architect rules over one parsed document (shared by the review and its worker thread).
 */
import type { Finding } from '../finding.js';
import { buildApiView } from './api-view.js';
import type { OpenApiRule, RuleReport } from './rule.js';
import type { OpenApiSource } from './source.js';

/** Run architect rules on a parsed document; one finding per rule and location. */
export function runArchitectRules(source: OpenApiSource, rules: readonly OpenApiRule[]): Finding[] {
  const api = buildApiView(source.data);
  const findings: Finding[] = [];
  for (const rule of rules) {
    const seen = new Set<string>();
    const report = (item: RuleReport) => {
      const location = source.locate(item.path);
      const key = location.pointer ?? '';
      if (seen.has(key)) return;
      seen.add(key);
      findings.push({
        ruleId: rule.id,
        severity: rule.severity,
        message: item.message,
        location,
        help: item.help ?? rule.help,
        ...(item.fix ? { fix: item.fix } : {}),
      });
    };
    try {
      rule.check({ api, report });
    } catch (error) {
      throw new Error(
        `rule ${rule.id} failed on ${source.file}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
  return findings;
}
