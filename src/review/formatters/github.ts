import type { Severity } from '../finding.js';
import type { Formatter } from './context.js';

const COMMAND: Record<Severity, string> = { error: 'error', warn: 'warning', info: 'notice' };

/** GitHub Actions workflow commands escape `%`, CR and LF in data, plus `:` and `,` in properties. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error file=api.yaml,line=3,col=5,title=rule-id::message` annotations for GitHub Actions. */
export const formatGithub: Formatter = (findings) =>
  findings
    .map((finding) => {
      const { location } = finding;
      const properties = [`file=${escapeProperty(location.file)}`];
      if (location.line > 0) properties.push(`line=${location.line}`, `col=${location.column}`);
      if (location.endLine && location.endLine > 0) properties.push(`endLine=${location.endLine}`);
      properties.push(`title=${escapeProperty(finding.ruleId)}`);
      return `::${COMMAND[finding.severity]} ${properties.join(',')}::${escapeData(finding.message)}\n`;
    })
    .join('');
