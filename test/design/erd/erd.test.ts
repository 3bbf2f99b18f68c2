/**
 * erd.mmd is checked by mermaid's own parser. mermaid 12's `parse()` runs in Node without a DOM
 * for erDiagram (only rendering needs one), so the test uses the real package rather than a copy
 * of its grammar; `@mermaid-js/parser` covers only the Langium-based diagrams (pie, gitGraph,
 * ...), not erDiagram. After parsing, the diagram's database (`getDiagramFromText(...).db`) is read
 * back to assert what mermaid understood: every table, every column, every relationship.
 */
import mermaid from 'mermaid';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkBlueprintText, loadBlueprint, type Model } from '../../../src/blueprint/index.js';
import { emitErd } from '../../../src/design/erd/index.js';
import { entityColumns } from '../../../src/design/sql/index.js';

interface ErDb {
  getEntities(): Map<string, { label: string; attributes: { name: string; type: string; keys: string[] }[] }>;
  getRelationships(): { entityA: string; entityB: string; roleA: string; relSpec: Record<string, string> }[];
}

/** Parse with mermaid and return what it understood. */
async function parseErd(text: string): Promise<ErDb> {
  await mermaid.parse(text); // throws on any syntax error
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  return diagram.db as unknown as ErDb;
}

describe.each(['inventory', 'saas', 'chat'])('erd.mmd of examples/%s', (example) => {
  let model: Model;
  let text: string;
  let db: ErDb;
  beforeAll(async () => {
    model = await loadBlueprint(`examples/${example}`);
    text = emitErd(model);
    db = await parseErd(text);
  });

  it('is accepted by mermaid and names every table with every column', () => {
    const entities = [...db.getEntities().values()];
    expect(entities.map((entity) => entity.label).sort()).toEqual(
      model.entities.map((entity) => entity.table).sort(),
    );
    for (const entity of model.entities) {
      const parsed = entities.find((candidate) => candidate.label === entity.table)!;
      expect(parsed.attributes.map((attribute) => attribute.name)).toEqual(
        entityColumns(entity).map((column) => column.name),
      );
    }
  });

  it('has one relationship per reference field', () => {
    const references = model.entities.flatMap((entity) => entity.fields.filter((field) => field.reference));
    expect(db.getRelationships()).toHaveLength(references.length);
  });

  it('is deterministic', () => {
    expect(emitErd(model)).toBe(text);
  });
});

describe('erd details', () => {
  it('marks keys and reads cardinality from nullability, uniqueness and identification', async () => {
    const blueprint = [
      'blueprint: 1',
      'name: shop',
      'entities:',
      '  customer:',
      '    fields:',
      '      email: { type: email, unique: true }',
      '      referrer: { type: customer, optional: true }',
      '  profile:',
      '    fields:',
      '      customer: { type: customer, unique: true, on_delete: cascade }',
      '      bio: { type: text, optional: true }',
      '  tag:',
      '    key: [customer, label]',
      '    fields:',
      '      customer: { type: customer, on_delete: cascade }',
      '      label: { type: string, max: 20 }',
    ].join('\n');
    const { model } = await checkBlueprintText(blueprint, 'shop.yaml');
    const text = emitErd(model!);
    expect(text).toContain('  customers |o..o{ customers : "referrer"\n');
    expect(text).toContain('  customers ||..o| profiles : "customer"\n');
    expect(text).toContain('  customers ||--o{ tags : "customer"\n');
    expect(text).toContain('    text email UK\n');
    expect(text).toContain('    uuid customer_id PK, FK "references customers"\n');

    const db = await parseErd(text);
    const specs = db.getRelationships().map((relationship) => relationship.relSpec);
    expect(specs).toEqual([
      { cardA: 'ZERO_OR_MORE', relType: 'NON_IDENTIFYING', cardB: 'ZERO_OR_ONE' },
      { cardA: 'ZERO_OR_ONE', relType: 'NON_IDENTIFYING', cardB: 'ONLY_ONE' },
      { cardA: 'ZERO_OR_MORE', relType: 'IDENTIFYING', cardB: 'ONLY_ONE' },
    ]);
    const tags = [...db.getEntities().values()].find((entity) => entity.label === 'tags')!;
    expect(tags.attributes[0]).toMatchObject({ name: 'customer_id', keys: ['PK', 'FK'] });
  });
});
