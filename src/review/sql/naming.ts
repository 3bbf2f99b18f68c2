/**
 * Name heuristics shared by schema rules: words of a snake_case name, plural forms.
 */

export function words(name: string): string[] {
  return name.toLowerCase().split('_').filter(Boolean);
}

const UNCOUNTABLE = new Set([
  'data',
  'metadata',
  'media',
  'news',
  'series',
  'species',
  'information',
  'equipment',
  'feedback',
  'staff',
  'inventory',
  'settings',
  'analytics',
  'status',
  'software',
  'audio',
  'traffic',
  'history',
  'info',
]);

const IRREGULAR_PLURALS: Readonly<Record<string, string>> = {
  person: 'people',
  child: 'children',
  man: 'men',
  woman: 'women',
  mouse: 'mice',
  index: 'indices',
  matrix: 'matrices',
  criterion: 'criteria',
  analysis: 'analyses',
};
const IRREGULAR_SINGULARS = new Set(Object.values(IRREGULAR_PLURALS));

/** English plural of one word (good enough for table names). */
export function pluralize(word: string): string {
  if (UNCOUNTABLE.has(word) || IRREGULAR_SINGULARS.has(word)) return word;
  const irregular = IRREGULAR_PLURALS[word];
  if (irregular) return irregular;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

/**
 * 'plural', 'singular' or undefined (cannot tell: uncountable words, `status`, `address`...),
 * judged on the last word of a snake_case table name.
 */
export function inflectionOf(tableName: string): 'plural' | 'singular' | undefined {
  const all = words(tableName);
  // `build_id_to_task_queue` names a mapping, not a thing with a number.
  if (all.includes('to')) return undefined;
  const last = all.pop();
  if (!last || last.length < 3 || UNCOUNTABLE.has(last)) return undefined;
  // Abbreviations (`dlq`, `sku`-less `kv`) have no number to judge.
  if (!/[aeiouy]/.test(last)) return undefined;
  if (IRREGULAR_SINGULARS.has(last)) return 'plural';
  if (IRREGULAR_PLURALS[last]) return 'singular';
  if (/(ss|us|is|ics)$/.test(last)) return undefined;
  return last.endsWith('s') ? 'plural' : 'singular';
}

/** Tables a `<stem>_id` column most likely points at: `customer_id` -> customers, customer. */
export function candidateTablesFor(columnName: string): string[] {
  if (!columnName.endsWith('_id') || columnName.length <= 3) return [];
  const stem = columnName.slice(0, -3);
  const parts = stem.split('_');
  const last = parts.pop()!;
  const plural = [...parts, pluralize(last)].join('_');
  return plural === stem ? [stem] : [plural, stem];
}
