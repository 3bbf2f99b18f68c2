import { pathToFileURL } from 'node:url';
import type { Finding, Severity } from '../finding.js';
import { type Formatter, ruleDocsUrl } from './context.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warn: 'warning',
  info: 'note',
};

/**
 * SARIF 2.1.0 (what GitHub code scanning and most CI dashboards read): one run, the rules that
 * ran as `tool.driver.rules` with their docs pages, every finding with its region and a
 * `partialFingerprints` entry so dashboards track a finding across line shifts.
 */
export const formatSarif: Formatter = (findings, context) => {
  const rules = [...context.rules].sort((a, b) => a.id.localeCompare(b.id));
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const results = findings.map((finding) =>
    toResult(finding, ruleIndex.get(finding.ruleId), context.fingerprint),
  );
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: 'architect-review',
        informationUri: 'https://www.npmjs.com/package/backend-architect',
        ...(context.toolVersion
          ? { version: context.toolVersion, semanticVersion: context.toolVersion }
          : {}),
        rules: rules.map((rule) => {
          const helpUri = ruleDocsUrl(rule.id, context.docsBaseUrl);
          return {
            id: rule.id,
            shortDescription: { text: rule.summary },
            ...(helpUri ? { helpUri } : {}),
            defaultConfiguration: { level: LEVEL[rule.severity] },
            properties: { group: rule.group, ...(rule.profile ? { profile: rule.profile } : {}) },
          };
        }),
      },
    },
    results,
  };
  if (context.cwd)
    run.originalUriBaseIds = { SRCROOT: { uri: pathToFileURL(`${context.cwd.replace(/\/?$/, '/')}`).href } };
  return `${JSON.stringify({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] }, null, 2)}\n`;
};

function toResult(
  finding: Finding,
  index: number | undefined,
  fingerprint: ((finding: Finding) => string) | undefined,
) {
  const { location } = finding;
  const isFile = !/^[a-z][a-z0-9+.-]*:\/\//i.test(location.file);
  const physical = isFile
    ? {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(location.file.split('\\').join('/')), uriBaseId: 'SRCROOT' },
          ...(location.line > 0
            ? {
                region: {
                  startLine: location.line,
                  startColumn: Math.max(1, location.column),
                  ...(location.endLine && location.endLine >= location.line
                    ? { endLine: location.endLine }
                    : {}),
                  ...(location.endColumn && location.endLine
                    ? { endColumn: Math.max(1, location.endColumn) }
                    : {}),
                },
              }
            : {}),
        },
      }
    : {};
  const logical = location.pointer ? { logicalLocations: [{ fullyQualifiedName: location.pointer }] } : {};
  const hasLocation = isFile || location.pointer;
  return {
    ruleId: finding.ruleId,
    ...(index !== undefined ? { ruleIndex: index } : {}),
    level: LEVEL[finding.severity],
    message: { text: `${finding.message}${finding.help ? `\n${finding.help}` : ''}` },
    ...(hasLocation ? { locations: [{ ...physical, ...logical }] } : {}),
    ...(fingerprint ? { partialFingerprints: { 'architectFingerprint/v1': fingerprint(finding) } } : {}),
    ...(finding.fix ? { properties: { fix: finding.fix } } : {}),
  };
}
