/**
 * Text layout helpers: aligned column lists and section banners, so the emitted schema reads
 * like a hand-written one.
 */

/**
 * Align rows of cells into columns separated by one space; the last cell of a row is never
 * padded, so no line ends with spaces. Empty cells collapse.
 *
 * @example
 * alignRows([['id', 'uuid', 'NOT NULL'], ['parent_id', 'uuid']]);
 * // ['id        uuid NOT NULL', 'parent_id uuid']
 */
export function alignRows(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, position) => {
      if (position < row.length - 1) widths[position] = Math.max(widths[position] ?? 0, cell.length);
    });
  }
  return rows.map((row) => {
    const cells = trimEmptyTail(row);
    return cells
      .map((cell, position) => (position < cells.length - 1 ? cell.padEnd(widths[position] ?? 0) : cell))
      .join(' ');
  });
}

function trimEmptyTail(row: readonly string[]): readonly string[] {
  let end = row.length;
  while (end > 1 && row[end - 1] === '') end -= 1;
  return row.slice(0, end);
}

const BANNER_WIDTH = 100;

/** A section banner: a rule, the title, optional notes, a rule. */
export function banner(title: string, notes: readonly string[]): string {
  const rule = `-- ${'─'.repeat(BANNER_WIDTH - 3)}`;
  return [rule, `-- ${title}`, ...notes.flatMap((note) => wrapComment(note)), rule].join('\n');
}

/** Wrap prose into `-- ` comment lines of at most the banner width. */
export function wrapComment(text: string): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '--';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line.length + 1 + word.length > BANNER_WIDTH && line !== '--') {
        lines.push(line);
        line = '--';
      }
      line += ` ${word}`;
    }
    lines.push(line);
  }
  return lines;
}

/** Indent every line of a block. */
export function indent(text: string, spaces = 2): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}
