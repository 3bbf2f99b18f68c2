/**
 * The per-project rules file (`.architect-review.yaml`, or `--rules <file>`):
 *
 * ```yaml
 * profiles: [rest-strict, url-versioning]   # `extends` is accepted as a synonym
 * rules:
 *   architect/examples-present: off
 *   sql/timestamp-without-time-zone: error
 * ignore: ['legacy/**', '**\/*.generated.yaml']
 * ```
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { ArchitectError } from '../errors.js';
import type { RuleMeta, Severity } from './finding.js';
import { PROFILES } from './profiles.js';

export type RuleSetting = Severity | 'off';

export interface ReviewConfig {
  /** Where it was read from; undefined for the built-in defaults. */
  readonly file?: string;
  readonly profiles: readonly string[];
  readonly rules: Readonly<Record<string, RuleSetting>>;
  /** Globs, relative to the working directory, of inputs not to review. */
  readonly ignore: readonly string[];
}

export const DEFAULT_CONFIG: ReviewConfig = { profiles: [], rules: {}, ignore: [] };
export const DEFAULT_RULES_FILE = '.architect-review.yaml';

const SETTINGS: readonly RuleSetting[] = ['off', 'info', 'warn', 'error'];
const KEYS = new Set(['profiles', 'extends', 'rules', 'ignore']);

/** Read the rules file named, or `.architect-review.yaml` in `cwd` when it exists, or defaults. */
export async function loadReviewConfig(file: string | undefined, cwd: string): Promise<ReviewConfig> {
  const path = file ? resolve(cwd, file) : resolve(cwd, DEFAULT_RULES_FILE);
  if (!file && !existsSync(path)) return DEFAULT_CONFIG;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new ArchitectError('REVIEW_RULES_FILE', { file: file ?? path, detail: 'cannot be read' });
  }
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (error) {
    throw new ArchitectError('REVIEW_RULES_FILE', {
      file: path,
      detail: `not valid YAML: ${(error as Error).message.split('\n')[0]}`,
    });
  }
  return parseReviewConfig(raw, file ?? DEFAULT_RULES_FILE);
}

/** Validate a rules-file value. Rule ids are checked later, against the rules that exist. */
export function parseReviewConfig(raw: unknown, file: string): ReviewConfig {
  const fail = (detail: string): never => {
    throw new ArchitectError('REVIEW_RULES_FILE', { file, detail });
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    fail('expected a mapping with profiles, rules and ignore');
  const value = raw as Record<string, unknown>;
  for (const key of Object.keys(value))
    if (!KEYS.has(key)) fail(`unknown key \`${key}\` (allowed: profiles, extends, rules, ignore)`);
  const list = (key: string): string[] => {
    const item = value[key];
    if (item === undefined || item === null) return [];
    const array = typeof item === 'string' ? [item] : item;
    if (!Array.isArray(array) || !array.every((entry) => typeof entry === 'string'))
      fail(`\`${key}\` must be a list of strings`);
    return array as string[];
  };
  const profiles = [...new Set([...list('profiles'), ...list('extends')])].filter(
    (name) => name !== 'recommended',
  );
  for (const name of profiles) {
    const profile = PROFILES[name];
    if (!profile)
      fail(`unknown profile \`${name}\` (known: recommended, ${Object.keys(PROFILES).join(', ')})`);
    for (const other of profile?.conflicts ?? []) {
      if (profiles.includes(other))
        fail(`profiles \`${name}\` and \`${other}\` contradict each other; select one`);
    }
  }
  const rules: Record<string, RuleSetting> = {};
  const rawRules = value.rules ?? {};
  if (typeof rawRules !== 'object' || rawRules === null || Array.isArray(rawRules))
    fail('`rules` must map rule ids to off, info, warn or error');
  for (const [id, setting] of Object.entries(rawRules as Record<string, unknown>)) {
    if (!SETTINGS.includes(setting as RuleSetting))
      fail(`rule \`${id}\`: \`${String(setting)}\` is not one of off, info, warn, error`);
    rules[id] = setting as RuleSetting;
  }
  return { file, profiles, rules, ignore: list('ignore') };
}

/** What the configuration makes of one rule: whether it runs, and at which severity. */
export function resolveRule(config: ReviewConfig, rule: RuleMeta): { enabled: boolean; severity: Severity } {
  const setting = config.rules[rule.id];
  let severity = rule.severity;
  for (const name of config.profiles) severity = PROFILES[name]?.severities?.[rule.id] ?? severity;
  if (setting === 'off') return { enabled: false, severity };
  if (setting !== undefined) return { enabled: true, severity: setting };
  const enabled = rule.profile === undefined || config.profiles.includes(rule.profile);
  return { enabled, severity };
}

/** Rule ids in the config that no loaded rule has; a misspelling would otherwise do nothing. */
export function unknownRuleIds(
  config: ReviewConfig,
  known: ReadonlySet<string>,
  loadedPrefixes: ReadonlySet<string>,
): string[] {
  return Object.keys(config.rules).filter((id) => !known.has(id) && loadedPrefixes.has(prefixOf(id)));
}

export function prefixOf(ruleId: string): string {
  const slash = ruleId.indexOf('/');
  return slash === -1 ? 'spectral' : ruleId.slice(0, slash);
}
