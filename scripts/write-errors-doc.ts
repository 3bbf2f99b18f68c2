// Run with `npm run generate`: writes docs/errors.md from the error catalog (src/errors.ts).
// test/errors.test.ts fails when a code is added, removed or re-explained without it.
import { writeFileSync } from 'node:fs';
import { ERROR_CATALOG, type ErrorSpec } from '../src/errors.js';

interface Group {
  readonly title: string;
  readonly intro: string;
  readonly matches: (code: string, spec: ErrorSpec) => boolean;
}

const GROUPS: readonly Group[] = [
  {
    title: 'Blueprint',
    intro:
      'Reported by `architect check`, `architect design` and every command that loads a blueprint, each with `file:line:column`, a message and often a hint. All problems of a file are reported in one pass; the exit code is 1.',
    matches: (code) => code.startsWith('BLUEPRINT_'),
  },
  {
    title: 'Command line',
    intro: 'Usage errors exit with code 2; output errors with code 1. Messages go to stderr.',
    matches: (code) => code.startsWith('CLI_'),
  },
  {
    title: 'Review',
    intro:
      'Raised by `architect review` when an input cannot be read or understood (findings are not errors).',
    matches: (code) => code.startsWith('REVIEW_'),
  },
  {
    title: 'Runtime start-up',
    intro: '`architect serve` refuses to start with one of these rather than serve a broken API.',
    matches: (_code, spec) => spec.status === undefined,
  },
  {
    title: 'API',
    intro:
      'Returned by the served API as `{ "error": { "code", "message", "details", "requestId" } }` with the HTTP status shown (see docs/api.md).',
    matches: (_code, spec) => spec.status !== undefined,
  },
];

/** A code span that survives backticks inside the text. */
function inlineCode(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

export function renderErrorsDoc(): string {
  const lines = [
    '# Error codes',
    '',
    '<!-- Generated from src/errors.ts by `npm run generate`; edit the catalog, not this file. -->',
    '',
    'Every error the toolkit raises has a stable code. A code never changes meaning; new problems',
    'get new codes. Messages are templates: `{name}` stands for a value filled in at the time.',
    '',
  ];
  const placed = new Set<string>();
  for (const group of GROUPS) {
    const codes = Object.entries(ERROR_CATALOG as Record<string, ErrorSpec>).filter(
      ([code, spec]) => !placed.has(code) && group.matches(code, spec),
    );
    if (codes.length === 0) continue;
    lines.push(`## ${group.title}`, '', group.intro, '');
    for (const [code, spec] of codes) {
      placed.add(code);
      lines.push(`### \`${code}\``, '');
      if (spec.status !== undefined) lines.push(`HTTP status: **${spec.status}**`, '');
      lines.push(`Message: ${inlineCode(spec.message)}`, '', spec.meaning, '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorsDoc());
}
