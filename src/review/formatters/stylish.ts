import type { Finding, Severity } from '../finding.js';
import { countBySeverity, type Formatter } from './context.js';

const COLORS: Record<Severity | 'dim' | 'bold', [string, string]> = {
  error: ['\u001b[31m', '\u001b[39m'],
  warn: ['\u001b[33m', '\u001b[39m'],
  info: ['\u001b[36m', '\u001b[39m'],
  dim: ['\u001b[2m', '\u001b[22m'],
  bold: ['\u001b[1m', '\u001b[22m'],
};

/** Human output grouped by file: `line:column  severity  message  rule-id`. */
export const formatStylish: Formatter = (findings, context) => {
  const paint = (style: keyof typeof COLORS, text: string) =>
    context.color ? `${COLORS[style][0]}${text}${COLORS[style][1]}` : text;
  const byFile = new Map<string, Finding[]>();
  for (const finding of findings) {
    const list = byFile.get(finding.location.file) ?? [];
    list.push(finding);
    byFile.set(finding.location.file, list);
  }
  const lines: string[] = [];
  for (const [file, list] of byFile) {
    lines.push(paint('bold', file));
    const positions = list.map((finding) => `${finding.location.line}:${finding.location.column}`);
    const width = Math.max(...positions.map((position) => position.length));
    list.forEach((finding, index) => {
      const position = (positions[index] as string).padEnd(width);
      const severity = paint(finding.severity, finding.severity.padEnd(5));
      lines.push(
        `  ${paint('dim', position)}  ${severity}  ${finding.message}  ${paint('dim', finding.ruleId)}`,
      );
    });
    lines.push('');
  }
  const counts = countBySeverity(findings);
  const extra = [
    context.suppressed ? `${context.suppressed} suppressed` : '',
    context.baselined ? `${context.baselined} in baseline` : '',
  ].filter(Boolean);
  const summary =
    findings.length === 0
      ? 'No findings'
      : `${findings.length} finding${findings.length === 1 ? '' : 's'} (${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warn} warning${counts.warn === 1 ? '' : 's'}, ${counts.info} info)`;
  lines.push(`${summary}${extra.length > 0 ? `; ${extra.join(', ')}` : ''}`);
  return `${lines.join('\n')}\n`;
};
