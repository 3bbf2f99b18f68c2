import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkBlueprint, getEntity, getField } from '../../src/blueprint/index.js';

// The examples are test inputs for every emitter; each must load without a single diagnostic.
const examples = readdirSync(new URL('../../examples/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe('examples', () => {
  it('include the flagship and the SaaS and chat templates', () => {
    expect(examples).toEqual(expect.arrayContaining(['inventory', 'saas', 'chat']));
  });

  it.each(examples)('%s validates cleanly', async (name) => {
    const result = await checkBlueprint(`examples/${name}`);
    expect(result.diagnostics).toEqual([]);
    expect(result.model?.entities.length).toBeGreaterThan(3);
  });

  it('saas records tenancy and nests tenant-owned resources under the organization', async () => {
    const { model } = await checkBlueprint('examples/saas');
    expect(model!.tenancy).toMatchObject({ kind: 'organization', column: 'organization_id' });
    expect(getEntity(model!, 'membership').itemPath).toBe(
      '/organizations/{organizationId}/memberships/{userId}',
    );
    expect(getEntity(model!, 'api_key').itemPath).toBe('/organizations/{organizationId}/api-keys/{id}');
    const invitation = getEntity(model!, 'invitation');
    expect(invitation.lifecycle?.states).toEqual(['pending', 'accepted', 'revoked', 'expired']);
    expect(invitation.indexes.find((index) => index.name === 'invitations_one_pending_key')).toMatchObject({
      unique: true,
      where: "status = 'pending'",
    });
  });

  it('chat speaks snake_case JSON and references bigint message ids', async () => {
    const { model } = await checkBlueprint('examples/chat');
    expect(model!.api).toMatchObject({ jsonCase: 'snake', basePath: '/api/v2' });
    const receipt = getEntity(model!, 'read_receipt');
    expect(receipt.key.columns).toEqual(['message_id', 'user_id']);
    expect(getField(receipt, 'message')).toMatchObject({ property: 'message_id', sqlType: 'bigint' });
    const message = getEntity(model!, 'message');
    expect(message).toMatchObject({
      softDelete: true,
      collectionPath: '/conversations/{conversationId}/messages',
    });
    expect(getField(message, 'parent_message').reference).toMatchObject({
      entity: 'message',
      onDelete: 'set_null',
    });
    expect(model!.requirements.data).toMatchObject({ message: 500000000, read_receipt: 2000000000 });
  });
});
