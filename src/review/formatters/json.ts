import { countBySeverity, type Formatter } from './context.js';

/** Machine output: every finding as data, with its fingerprint, and a summary. */
export const formatJson: Formatter = (findings, context) => {
  const counts = countBySeverity(findings);
  const body = {
    findings: findings.map((finding) => ({
      ...finding,
      ...(context.fingerprint ? { fingerprint: context.fingerprint(finding) } : {}),
    })),
    summary: {
      total: findings.length,
      errors: counts.error,
      warnings: counts.warn,
      infos: counts.info,
      suppressed: context.suppressed ?? 0,
      baselined: context.baselined ?? 0,
    },
  };
  return `${JSON.stringify(body, null, 2)}\n`;
};
