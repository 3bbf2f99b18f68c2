import { isObject, type Json, type MediaView } from '../api-view.js';
import { isJsonMedia, label } from '../helpers.js';
import { defineRule } from '../rule.js';
import { toPointer } from '../source.js';

function hasExample(schema: Json | undefined, deref: (value: unknown) => unknown): boolean {
  if (!schema) return false;
  if (schema.example !== undefined || schema.examples !== undefined) return true;
  const items = isObject(schema.items) ? deref(schema.items) : undefined;
  if (isObject(items) && hasExample(items, deref)) return true;
  const properties = isObject(schema.properties) ? Object.values(schema.properties) : [];
  return properties.some((property) => {
    const resolved = deref(property);
    return isObject(resolved) && (resolved.example !== undefined || resolved.examples !== undefined);
  });
}

export default defineRule({
  id: 'architect/examples-present',
  severity: 'info',
  group: 'schemas',
  summary: 'JSON request and success bodies come with an example',
  meaning:
    'Examples are what people read first and what mock servers, documentation and contract tests use. A body with no example, neither on the media type nor on its schema or properties, leaves every consumer to invent one. Informational: it is documentation quality, not a defect.',
  help: 'Add `example` on the media type or on the schema (or its properties).',
  check({ api, report }) {
    const deref = (value: unknown) => api.deref(value, []).value;
    const seen = new Set<string>();
    const check = (media: MediaView, what: string) => {
      if (!isJsonMedia(media.type) || !media.schema) return;
      const pointer = toPointer(media.path);
      if (seen.has(pointer)) return;
      seen.add(pointer);
      if (media.value.example !== undefined || media.value.examples !== undefined) return;
      if (hasExample(media.schema.value, deref)) return;
      report({ path: media.path, message: `${what} has no example` });
    };
    for (const operation of api.operations) {
      for (const media of operation.requestBody?.content ?? [])
        check(media, `Request body of ${label(operation)}`);
      for (const response of operation.responses) {
        if (!/^2/.test(response.status)) continue;
        for (const media of response.content)
          check(media, `${response.status} response of ${label(operation)}`);
      }
    }
  },
});
