import type { SchemaRule } from '../context.js';
import { inflectionOf } from '../naming.js';

export const rule: SchemaRule = {
  id: 'sql/inconsistent-table-inflection',
  severity: 'info',
  group: 'naming',
  summary: 'Table names are consistently plural (or consistently singular)',
  meaning:
    "Mixing `orders` with `customer` makes every query a guess. Either convention works; this project's own convention is plural. The rule finds the convention most tables of the file follow and reports the tables that break it (names whose number cannot be told, like `status` or `inventory`, are left alone).",
  *check(context) {
    const judged = [...context.tables()]
      .map((table) => ({ table, inflection: inflectionOf(table.name) }))
      .filter((entry) => entry.inflection !== undefined);
    const plural = judged.filter((entry) => entry.inflection === 'plural').length;
    const singular = judged.length - plural;
    if (plural === 0 || singular === 0) return;
    const majority = plural >= singular ? 'plural' : 'singular';
    for (const { table, inflection } of judged) {
      if (inflection === majority) continue;
      yield {
        message: `Table ${table.name} is ${inflection} while ${majority === 'plural' ? plural : singular} of ${judged.length} tables are ${majority}`,
        span: table.origin.span,
        pointer: table.key,
        help: `Name tables consistently; most tables here are ${majority}.`,
      };
    }
  },
};
