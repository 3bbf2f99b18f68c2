import { isJsonMedia, label, schemaType } from '../helpers.js';
import { defineRule } from '../rule.js';

export default defineRule({
  id: 'architect/response-top-level-array',
  severity: 'warn',
  group: 'pagination',
  summary: 'Success responses are JSON objects, not bare arrays',
  meaning:
    'A bare array cannot grow: there is no place for the next cursor, a total count or a warning without breaking every client. An object (`{ "data": [...], "page": {...} }`) can gain members compatibly (Zalando 110). Top-level JSON arrays were also an old JSON-hijacking vector.',
  help: 'Wrap the list: `{ "data": [ ... ], "page": { "nextCursor": ... } }`.',
  check({ api, report }) {
    for (const operation of api.operations) {
      for (const response of operation.responses) {
        if (!/^2/.test(response.status)) continue;
        const media = response.content.find((item) => isJsonMedia(item.type) && item.schema);
        if (!media?.schema || schemaType(media.schema.value) !== 'array') continue;
        report({
          path: media.schema.path,
          message: `${response.status} response of ${label(operation)} is a bare array`,
        });
        break;
      }
    }
  },
});
