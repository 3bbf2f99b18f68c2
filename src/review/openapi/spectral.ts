/**
 * Spectral's engine with its `spectral:oas` ruleset: we do not re-implement what it checks. Its
 * results become findings with Spectral's own rule ids. References are resolved from local files
 * only: a review never reaches the network.
 */
import { readFile } from 'node:fs/promises';
import { type ISpectralDiagnostic, Spectral } from '@stoplight/spectral-core';
import { Resolver } from '@stoplight/spectral-ref-resolver';
import { oas } from '@stoplight/spectral-rulesets';
import type { Finding, RuleMeta, Severity } from '../finding.js';
import type { OpenApiSource } from './source.js';
import { toPointer } from './source.js';

const SEVERITIES: readonly Severity[] = ['error', 'warn', 'info', 'info'];

let shared: Spectral | undefined;

function spectral(): Spectral {
  if (!shared) {
    const resolveFile = { resolve: (ref: { href(): string }) => readFile(ref.href(), 'utf8') };
    shared = new Spectral({ resolver: new Resolver({ resolvers: { file: resolveFile } }) });
    shared.setRuleset(oas as never);
  }
  return shared;
}

/** The rules of `spectral:oas` that are on by default (its "recommended" set). */
export function spectralRules(): RuleMeta[] {
  const rules = spectral().ruleset?.rules ?? {};
  return Object.values(rules)
    .filter((rule) => rule.enabled)
    .map((rule) => ({
      id: rule.name,
      severity: SEVERITIES[Number(rule.severity)] ?? 'warn',
      group: 'spectral:oas',
      summary: rule.description ?? rule.name,
    }));
}

export function spectralDocsUrl(ruleId: string): string {
  return `https://meta.stoplight.io/docs/spectral/docs/reference/openapi-rules.md#${ruleId}`;
}

/** Run `spectral:oas` on the parsed document; `isEnabled` skips rules the user turned off. */
export async function runSpectral(
  source: OpenApiSource,
  isEnabled: (ruleId: string) => boolean,
): Promise<Finding[]> {
  const results = await spectral().run(source.document);
  return results
    .filter((result) => isEnabled(String(result.code)))
    .map((result) => toFinding(source, result));
}

function toFinding(source: OpenApiSource, result: ISpectralDiagnostic): Finding {
  const ruleId = String(result.code);
  // Spectral reports references into other files with that file as `source`.
  const file = result.source && result.source !== source.file ? result.source : source.file;
  return {
    ruleId,
    severity: SEVERITIES[result.severity] ?? 'warn',
    message: result.message,
    location: {
      file,
      line: result.range.start.line + 1,
      column: result.range.start.character + 1,
      endLine: result.range.end.line + 1,
      endColumn: result.range.end.character + 1,
      pointer: toPointer(result.path),
    },
    help: `Spectral rule ${ruleId}: ${spectralDocsUrl(ruleId)}`,
  };
}
