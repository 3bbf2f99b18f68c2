import { casingOf, dominantCasing, label, words } from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/operation-id-casing',
  severity: 'warn',
  group: 'naming',
  summary: 'operationIds share one casing and stay unique when case and separators are ignored',
  meaning:
    "Code generators turn operationIds into method names. Mixed casing (`listUsers`, `get_user`) produces an inconsistent SDK, and ids that differ only in case or separators (`getUser`, `get_user`, `GetUser`) collide once a generator normalises them, which Spectral's exact-match uniqueness check (`operation-operationId-unique`) does not see.",
  help: 'Write every operationId in the same casing (camelCase is the common choice) and make them distinct as words.',
  check({ api, report }) {
    const withIds = api.operations.filter((operation) => operation.operationId !== undefined);
    const dominant = dominantCasing(withIds.map((operation) => operation.operationId as string));
    const byWords = new Map<string, string>();
    for (const operation of withIds) {
      const id = operation.operationId as string;
      const path = [...operation.path, 'operationId'];
      const casing = casingOf(id);
      if (dominant !== undefined && casing !== 'lower' && casing !== dominant) {
        report({
          path,
          message: `operationId "${id}" of ${label(operation)} is ${casing} case; the others are ${dominant} case`,
        });
      }
      const key = words(id).join('');
      const first = byWords.get(key);
      if (first !== undefined && first !== id) {
        report({
          path,
          message: `operationId "${id}" collides with "${first}" once case and separators are ignored`,
        });
      } else if (first === undefined) {
        byWords.set(key, id);
      }
    }
  },
});
