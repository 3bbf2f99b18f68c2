import { isJsonMedia, label } from '../helpers.js';
import { defineRule } from '../rule.js';
import { toPointer } from '../source.js';

/** Key-order independent serialisation, so equal inline schemas compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !['description', 'example', 'examples', 'title'].includes(key))
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export default defineRule({
  id: 'architect/error-schema-consistent',
  severity: 'warn',
  group: 'errors',
  summary: 'Every error response uses the same schema',
  meaning:
    'Clients write one error handler. When 4xx and 5xx bodies differ between operations (`{error: {...}}` here, `{message}` there) every call site needs its own parsing and some errors surface as "unknown error". The most common error schema in the document is taken as the standard; responses that differ are reported. Descriptions, titles and examples do not count as differences. A status resource that answers an error status with the same representation as its success (a readiness probe\'s 503 with its health report) is not an error body and is skipped.',
  help: 'Reference one error schema (for example `#/components/schemas/Error`) from every 4xx and 5xx response.',
  check({ api, report }) {
    const uses: { signature: string; path: readonly (string | number)[]; where: string }[] = [];
    const seen = new Set<string>();
    for (const operation of api.operations) {
      // HEAD responses carry no body, whatever they declare.
      if (operation.method === 'head') continue;
      const successSchemas = new Set(
        operation.responses
          .filter((response) => /^2/.test(response.status))
          .flatMap((response) =>
            response.content.flatMap((media) => (media.schema ? [canonical(media.schema.value)] : [])),
          ),
      );
      for (const response of operation.responses) {
        if (!/^[45]/.test(response.status)) continue;
        for (const media of response.content) {
          if (!media.schema || !isJsonMedia(media.type)) continue;
          // A status resource (`/ready`) answers 503 with the same report it gives on 200.
          if (successSchemas.has(canonical(media.schema.value))) continue;
          const pointer = toPointer(media.path);
          if (seen.has(pointer)) continue;
          seen.add(pointer);
          uses.push({
            signature: canonical(media.schema.value),
            path: media.path,
            where: `${response.status} of ${label(operation)}`,
          });
        }
      }
    }
    const counts = new Map<string, number>();
    for (const use of uses) counts.set(use.signature, (counts.get(use.signature) ?? 0) + 1);
    if (counts.size < 2) return;
    const [standard] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] as [string, number];
    for (const use of uses) {
      if (use.signature === standard) continue;
      report({
        path: use.path,
        message: `Error response ${use.where} uses a different schema from the other error responses`,
      });
    }
  },
});
