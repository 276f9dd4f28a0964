/**
 * Labels (PRODUCT §8) through core's channels on a real archive: names unique in any case, rename and recolour
 * keep assignments, delete names and removes its assignments, message labels and their list, bulk assignment,
 * the events, and any-of / all-of filtering of the inbox.
 */
import { describe, expect, it } from 'vitest';
import type { InboxPage, IpcError } from '../../../shared/ipc';
import type { LabelInfo, LabelMessagesPage, LabelUsage } from '../../../shared/ipc/labels';
import { call, openDemoInbox, seedConversation } from '../inbox/inbox-support';
import type { DemoInbox } from '../inbox/inbox-support';

const minute = 60_000;

async function fails(inbox: DemoInbox, channel: string, payload: unknown): Promise<IpcError> {
  const result = (await inbox.core.invoke(channel as never, payload as never)) as { ok: boolean; error?: IpcError };
  expect(result.ok).toBe(false);
  return result.error!;
}

const create = (inbox: DemoInbox, name: string, colour = 0) => call<LabelInfo>(inbox.core, 'labels:create', { name, colour });
const labels = (inbox: DemoInbox) => call<LabelInfo[]>(inbox.core, 'labels:list');
const byName = async (inbox: DemoInbox, name: string) => (await labels(inbox)).find((l) => l.name === name)!;

describe('labels', () => {
  it('shows the default set on a new workspace, in order, with counts', async () => {
    const inbox = await openDemoInbox();
    const list = await labels(inbox);
    expect(list.map((l) => l.name)).toEqual(['New customer', 'New order', 'Pending payment', 'Paid', 'Order complete', 'High-value customer']);
    expect(list.every((l) => l.conversations === 0 && l.messages === 0)).toBe(true);
    expect(list.map((l) => l.order)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('refuses a name already used in another case, a too-long name and a colour off the palette', async () => {
    const inbox = await openDemoInbox();
    const vip = await create(inbox, 'VIP', 4);
    expect(vip).toMatchObject({ name: 'VIP', colour: 4, conversations: 0, messages: 0 });
    for (const name of ['paid', 'PAID', '  Paid ', 'vip']) {
      const error = await fails(inbox, 'labels:create', { name, colour: 1 });
      expect(error.code).toBe('invalid_request');
      expect(error.fields?.[0]?.path).toBe('name');
    }
    expect((await fails(inbox, 'labels:create', { name: 'x'.repeat(101), colour: 1 })).fields?.[0]?.path).toBe('name');
    expect((await fails(inbox, 'labels:create', { name: '   ', colour: 1 })).fields?.[0]?.path).toBe('name');
    expect((await fails(inbox, 'labels:create', { name: 'Blue', colour: 20 })).fields?.[0]?.path).toBe('colour');
    // Renaming onto another's name is refused; onto its own name in a new case is not.
    const paid = await byName(inbox, 'Paid');
    expect((await fails(inbox, 'labels:update', { id: vip.id, name: 'PAID' })).fields?.[0]?.path).toBe('name');
    expect((await call<LabelInfo>(inbox.core, 'labels:update', { id: paid.id, name: 'PAID' })).name).toBe('PAID');
    // No limit of 20.
    for (let i = 0; i < 20; i++) await create(inbox, `Extra ${i}`, i);
    expect((await labels(inbox)).length).toBe(27);
  });

  it('renames and recolours without touching assignments, and announces it', async () => {
    const inbox = await openDemoInbox();
    const archive = inbox.archive();
    const now = inbox.clock.now();
    const a = seedConversation(archive, now);
    const label = await create(inbox, 'Follow up', 2);
    await call(inbox.core, 'labels:assign', { labelId: label.id, conversationIds: [a] });
    const before = inbox.of('labels:changed').length;
    const updated = await call<LabelInfo>(inbox.core, 'labels:update', { id: label.id, name: 'Call back', colour: 9 });
    expect(updated).toMatchObject({ id: label.id, name: 'Call back', colour: 9, conversations: 1 });
    expect(archive.labels.ofConversation(a).map((l) => l.name)).toEqual(['Call back']);
    expect(inbox.of('labels:changed').length).toBe(before + 1);
    const recoloured = await call<LabelInfo>(inbox.core, 'labels:update', { id: label.id, colour: 0 });
    expect(recoloured).toMatchObject({ name: 'Call back', colour: 0, conversations: 1 });
  });

  it('reorders: the ids given first, the rest after in their order', async () => {
    const inbox = await openDemoInbox();
    const list = await labels(inbox);
    const [first, second, third] = list;
    const reordered = await call<LabelInfo[]>(inbox.core, 'labels:reorder', { ids: [third!.id, first!.id] });
    expect(reordered.map((l) => l.id).slice(0, 3)).toEqual([third!.id, first!.id, second!.id]);
    expect(reordered.map((l) => l.order)).toEqual(list.map((_, i) => i));
    expect((await fails(inbox, 'labels:reorder', { ids: [99999] })).code).toBe('not_found');
  });

  it('assigns in bulk to conversations and emits conversations:changed with the ids', async () => {
    const inbox = await openDemoInbox();
    const archive = inbox.archive();
    const now = inbox.clock.now();
    const ids = [seedConversation(archive, now), seedConversation(archive, now), seedConversation(archive, now)];
    const label = await create(inbox, 'Wholesale');
    expect(await call(inbox.core, 'labels:assign', { labelId: label.id, conversationIds: ids })).toEqual({ changed: 3 });
    // Again: nothing new.
    expect(await call(inbox.core, 'labels:assign', { labelId: label.id, conversationIds: ids })).toEqual({ changed: 0 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(inbox.of('conversations:changed').some((p) => JSON.stringify([...(p.ids as number[])].sort()) === JSON.stringify([...ids].sort()))).toBe(true);
    expect((await byName(inbox, 'Wholesale')).conversations).toBe(3);
    const page = await call<InboxPage>(inbox.core, 'inbox:list', { filter: {}, offset: 0, limit: 10 });
    expect(page.rows.filter((r) => r.labels.some((l) => l.id === label.id)).length).toBe(3);
    expect(await call(inbox.core, 'labels:unassign', { labelId: label.id, conversationIds: [ids[0]] })).toEqual({ changed: 1 });
    expect((await byName(inbox, 'Wholesale')).conversations).toBe(2);
    expect((await fails(inbox, 'labels:assign', { labelId: 99999, conversationIds: ids })).code).toBe('not_found');
    expect((await fails(inbox, 'labels:assign', { labelId: label.id, conversationIds: [99999] })).code).toBe('not_found');
  });

  it('labels single messages and lists them newest first, paged, with the conversation and contact', async () => {
    const inbox = await openDemoInbox();
    const archive = inbox.archive();
    const now = inbox.clock.now();
    const a = seedConversation(archive, now, { savedName: 'Mei', text: 'first' });
    const b = seedConversation(archive, now, { savedName: 'Oliver', text: 'second' });
    const more = [1, 2, 3].map((i) =>
      archive.messages.insert({ conversationId: b, wamid: `wamid.label.${i}`, direction: 'in', type: 'text', text: `later ${i}`, timestamp: now - (5 - i) * minute }, { countsAsUnread: false }),
    );
    const firstId = archive.conversations.get(a)!.lastMessageId!;
    const label = await create(inbox, 'Invoice');
    const messageIds = [firstId, ...more.map((m) => m.id)];
    expect(await call(inbox.core, 'labels:assign', { labelId: label.id, messageIds })).toEqual({ changed: 4 });
    const changed = inbox.of('labels:changed').at(-1)!;
    expect(changed.messageIds).toEqual(messageIds);
    expect([...(changed.conversationIds as number[])].sort()).toEqual([a, b].sort());
    expect(archive.labels.ofMessage(firstId).map((l) => l.name)).toEqual(['Invoice']);
    expect((await byName(inbox, 'Invoice')).messages).toBe(4);

    const page1 = await call<LabelMessagesPage>(inbox.core, 'labels:messages', { labelId: label.id, limit: 3 });
    expect(page1.entries.map((e) => e.text)).toEqual(['later 3', 'later 2', 'later 1']);
    expect(page1.entries[0]).toMatchObject({ conversationId: b, contactName: 'Oliver', direction: 'in', type: 'text' });
    expect(page1.nextBefore).toBe(page1.entries[2]!.messageId);
    const page2 = await call<LabelMessagesPage>(inbox.core, 'labels:messages', { labelId: label.id, limit: 3, before: page1.nextBefore });
    expect(page2.entries.map((e) => [e.text, e.contactName, e.conversationId])).toEqual([['first', 'Mei', a]]);
    expect(page2.nextBefore).toBeNull();

    expect(await call(inbox.core, 'labels:unassign', { labelId: label.id, messageIds: [firstId] })).toEqual({ changed: 1 });
    expect(archive.labels.ofMessage(firstId)).toEqual([]);
  });

  it('deletes after a confirmation naming the count, removing its assignments', async () => {
    const inbox = await openDemoInbox();
    const archive = inbox.archive();
    const now = inbox.clock.now();
    const a = seedConversation(archive, now);
    const b = seedConversation(archive, now);
    const label = await create(inbox, 'Old');
    const keep = await create(inbox, 'Keep');
    await call(inbox.core, 'labels:assign', { labelId: label.id, conversationIds: [a, b] });
    await call(inbox.core, 'labels:assign', { labelId: keep.id, conversationIds: [a] });
    await call(inbox.core, 'labels:assign', { labelId: label.id, messageIds: [archive.conversations.get(a)!.lastMessageId!] });
    expect(await call<LabelUsage>(inbox.core, 'labels:usage', { id: label.id })).toEqual({ conversations: 2, messages: 1, total: 3 });
    // A stale count (more were labelled since the confirmation) is refused and nothing goes.
    expect((await fails(inbox, 'labels:delete', { id: label.id, confirmCount: 2 })).fields?.[0]?.path).toBe('confirmCount');
    expect(archive.labels.get(label.id)).toBeDefined();
    expect(await call(inbox.core, 'labels:delete', { id: label.id, confirmCount: 3 })).toEqual({ removed: 3 });
    expect(archive.labels.get(label.id)).toBeUndefined();
    expect(archive.labels.ofConversation(a).map((l) => l.name)).toEqual(['Keep']);
    expect(archive.labels.ofConversation(b)).toEqual([]);
    expect(archive.labels.ofMessage(archive.conversations.get(a)!.lastMessageId!)).toEqual([]);
    expect((await fails(inbox, 'labels:delete', { id: label.id, confirmCount: 0 })).code).toBe('not_found');
  });

  describe('filters the inbox by labels, any of or all of', () => {
    // Conversations: p (Paid), q (Paid, VIP), r (VIP, Wholesale), s (Paid, VIP, Wholesale), t (none).
    const cases: { labels: string[]; mode?: 'any' | 'all'; expected: string[] }[] = [
      { labels: ['Paid'], expected: ['p', 'q', 's'] },
      { labels: ['Paid'], mode: 'all', expected: ['p', 'q', 's'] },
      { labels: ['Paid', 'VIP'], expected: ['p', 'q', 'r', 's'] },
      { labels: ['Paid', 'VIP'], mode: 'any', expected: ['p', 'q', 'r', 's'] },
      { labels: ['Paid', 'VIP'], mode: 'all', expected: ['q', 's'] },
      { labels: ['VIP', 'Wholesale'], mode: 'all', expected: ['r', 's'] },
      { labels: ['Paid', 'VIP', 'Wholesale'], mode: 'all', expected: ['s'] },
      { labels: ['Paid', 'Wholesale'], mode: 'any', expected: ['p', 'q', 'r', 's'] },
      { labels: ['Empty'], expected: [] },
      { labels: ['Empty', 'Paid'], mode: 'all', expected: [] },
      { labels: [], expected: ['p', 'q', 'r', 's', 't'] },
    ];

    it.each(cases)('$labels ($mode) → $expected', async ({ labels: names, mode, expected }) => {
      const inbox = await openDemoInbox();
      const archive = inbox.archive();
      const now = inbox.clock.now();
      const conversations = Object.fromEntries(['p', 'q', 'r', 's', 't'].map((key, i) => [key, seedConversation(archive, now, { inboundMinutesAgo: 10 + i })]));
      const vip = await create(inbox, 'VIP');
      const wholesale = await create(inbox, 'Wholesale');
      await create(inbox, 'Empty');
      const paid = await byName(inbox, 'Paid');
      const assign = (labelId: number, keys: string[]) => call(inbox.core, 'labels:assign', { labelId, conversationIds: keys.map((k) => conversations[k]!) });
      await assign(paid.id, ['p', 'q', 's']);
      await assign(vip.id, ['q', 'r', 's']);
      await assign(wholesale.id, ['r', 's']);
      const all = await labels(inbox);
      const labelIds = names.map((n) => all.find((l) => l.name === n)!.id);
      const filter = { ...(labelIds.length > 0 ? { labelIds } : {}), ...(mode ? { labelMode: mode } : {}) };
      const page = await call<InboxPage>(inbox.core, 'inbox:list', { filter, offset: 0, limit: 50 });
      const keyOf = new Map(Object.entries(conversations).map(([k, id]) => [id, k]));
      expect(page.rows.map((r) => keyOf.get(r.id)).filter((k) => k !== undefined).sort()).toEqual(expected);
    });
  });
});
