/**
 * Baselines let a team adopt the review on an old codebase: record today's findings once
 * (`--write-baseline`), then fail only on new ones (`--baseline`). A fingerprint is the rule id,
 * the file (relative to the working directory) and an anchor that survives edits elsewhere in
 * the file: the JSON pointer for OpenAPI findings, the text of the flagged line otherwise. Line
 * numbers are deliberately not part of it.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ArchitectError } from '../errors.js';
import type { Finding } from './finding.js';

export interface BaselineFile {
  readonly version: 1;
  readonly findings: readonly {
    readonly fingerprint: string;
    readonly ruleId: string;
    readonly file: string;
    readonly count: number;
  }[];
}

/** Text of the lines of each reviewed file, to anchor findings that have no pointer. */
export type SourceLines = ReadonlyMap<string, readonly string[]>;

export function normalizeFile(file: string, cwd: string): string {
  if (/^[a-z]+:\/\//i.test(file)) return file.replace(/\/\/[^@/]*@/, '//');
  const absolute = isAbsolute(file) ? file : resolve(cwd, file);
  return relative(cwd, absolute).split(sep).join('/');
}

/** The stable identity of a finding. */
export function fingerprint(finding: Finding, cwd: string, lines?: SourceLines): string {
  const { location } = finding;
  const anchor =
    location.pointer ??
    (lines?.get(location.file)?.[location.line - 1] ?? `${location.line}`).replace(/\s+/g, ' ').trim();
  return createHash('sha256')
    .update(`${finding.ruleId}\0${normalizeFile(location.file, cwd)}\0${anchor}`)
    .digest('hex')
    .slice(0, 32);
}

export function createBaseline(findings: readonly Finding[], cwd: string, lines?: SourceLines): BaselineFile {
  const entries = new Map<string, { fingerprint: string; ruleId: string; file: string; count: number }>();
  for (const finding of findings) {
    const print = fingerprint(finding, cwd, lines);
    const entry = entries.get(print);
    if (entry) entry.count++;
    else
      entries.set(print, {
        fingerprint: print,
        ruleId: finding.ruleId,
        file: normalizeFile(finding.location.file, cwd),
        count: 1,
      });
  }
  const sorted = [...entries.values()].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.fingerprint.localeCompare(b.fingerprint),
  );
  return { version: 1, findings: sorted };
}

/** Findings not covered by the baseline; each baseline entry absorbs at most `count` findings. */
export function subtractBaseline(
  findings: readonly Finding[],
  baseline: BaselineFile,
  cwd: string,
  lines?: SourceLines,
): { findings: Finding[]; baselined: number } {
  const remaining = new Map(baseline.findings.map((entry) => [entry.fingerprint, entry.count]));
  let baselined = 0;
  const kept = findings.filter((finding) => {
    const print = fingerprint(finding, cwd, lines);
    const left = remaining.get(print) ?? 0;
    if (left <= 0) return true;
    remaining.set(print, left - 1);
    baselined++;
    return false;
  });
  return { findings: kept, baselined };
}

export async function readBaseline(file: string): Promise<BaselineFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ArchitectError('REVIEW_BASELINE', { file, detail: (error as Error).message });
  }
  const value = raw as Partial<BaselineFile>;
  if (value?.version !== 1 || !Array.isArray(value.findings)) {
    throw new ArchitectError('REVIEW_BASELINE', {
      file,
      detail: 'expected { "version": 1, "findings": [...] }',
    });
  }
  return value as BaselineFile;
}

export async function writeBaseline(file: string, baseline: BaselineFile): Promise<void> {
  try {
    await writeFile(file, `${JSON.stringify(baseline, null, 2)}\n`);
  } catch (error) {
    throw new ArchitectError('REVIEW_BASELINE', { file, detail: (error as Error).message });
  }
}
