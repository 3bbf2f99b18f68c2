/** Name conversions shared by the normalizer; everything downstream reads the resolved names. */

const IRREGULAR_PLURALS: Readonly<Record<string, string>> = {
  person: 'people',
  child: 'children',
  man: 'men',
  woman: 'women',
  mouse: 'mice',
  goose: 'geese',
  foot: 'feet',
  tooth: 'teeth',
  datum: 'data',
  criterion: 'criteria',
  index: 'indexes',
  status: 'statuses',
};

const UNCOUNTABLE = new Set([
  'equipment',
  'information',
  'news',
  'series',
  'species',
  'metadata',
  'inventory',
]);

/** English plural of the last word of a snake_case name: `purchase_order` -> `purchase_orders`. */
export function pluralize(name: string): string {
  const parts = name.split('_');
  const last = parts.pop() ?? '';
  return [...parts, pluralizeWord(last)].join('_');
}

function pluralizeWord(word: string): string {
  if (UNCOUNTABLE.has(word)) return word;
  const irregular = IRREGULAR_PLURALS[word];
  if (irregular) return irregular;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]fe?$/.test(word) && !/(ff|ief|oof)$/.test(word)) return word.replace(/fe?$/, 'ves');
  return `${word}s`;
}

/** `purchase_order` -> `PurchaseOrder` */
export function pascalCase(name: string): string {
  return name
    .split(/[_-]/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** `purchase_order` -> `purchaseOrder` */
export function camelCase(name: string): string {
  const pascal = pascalCase(name);
  return pascal.length === 0 ? pascal : pascal[0]!.toLowerCase() + pascal.slice(1);
}

/** `purchase_order` -> `purchase-order` */
export function kebabCase(name: string): string {
  return name.replace(/_/g, '-');
}
