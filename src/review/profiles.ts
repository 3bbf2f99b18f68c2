/**
 * Profiles: opt-in sets of opinions. REST style guides disagree (URL versus media-type
 * versioning, problem+json versus an own error envelope), so those rules are selected, not
 * imposed. A rule with a `profile` runs only when its profile is selected; a profile may also
 * raise the severity of rules that run anyway.
 */
import type { Severity } from './finding.js';

export interface Profile {
  readonly description: string;
  /** Profiles that contradict this one; selecting both is an error. */
  readonly conflicts?: readonly string[];
  /** Severity changes the profile makes to rules that run without it. */
  readonly severities?: Readonly<Record<string, Severity>>;
}

export const PROFILES: Readonly<Record<string, Profile>> = {
  'rest-strict': {
    description:
      'Stricter REST hygiene: bounded request strings, and cursor pagination, examples and 409 declarations become warnings.',
    severities: {
      'architect/cursor-pagination': 'warn',
      'architect/examples-present': 'warn',
      'architect/write-conflict-409': 'warn',
      'architect/string-bounded': 'warn',
    },
  },
  'url-versioning': {
    description: 'The major version is part of every URL (`/v1/...`).',
    conflicts: ['media-type-versioning'],
  },
  'media-type-versioning': {
    description: 'URLs carry no version; media types do (`application/vnd.acme.v2+json`).',
    conflicts: ['url-versioning'],
  },
  'problem-details': {
    description: 'Errors are RFC 9457 `application/problem+json`.',
  },
};
