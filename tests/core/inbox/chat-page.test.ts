/**
 * The chat view's pages (PRODUCT §2): oldest first, newest page by default, older and newer pages around
 * their edges (ties in time broken by arrival), a page around a message (jump from search), and what each
 * bubble carries — the quoted message, reactions, labels, media, errors in words, edits and revokes.
 */
import { describe, expect, it } from 'vitest';
import type { ChatPage } from '../../../shared/ipc';
import { call, openDemoInbox, seedConversation } from './inbox-support';
import type { DemoInbox } from './inbox-support';

/** Ten inbound texts, "m0" … "m9", the last two at the same time; plus an outbound reaction (never a bubble). */
function seedHistory(inbox: DemoInbox) {
  const archive = inbox.archive();
  const now = inbox.clock.now();
  const conversationId = seedConversation(archive, now, { inboundMinutesAgo: null });
  const ids: number[] = [];
  for (let i = 0; i < 10; i++) {
    const timestamp = now - (10 - Math.min(i, 8)) * 60_000;
    ids.push(archive.messages.insert({ conversationId, wamid: `wamid.h.${conversationId}.${i}`, direction: 'in', type: 'text', text: `m${i}`, timestamp }).id);
  }
  archive.messages.insert({ conversationId, clientId: `reaction-${conversationId}`, direction: 'out', type: 'reaction', payload: { type: 'reaction', reaction: { message_id: `wamid.h.${conversationId}.3`, emoji: '❤️' } }, status: 'sent', timestamp: now });
  return { conversationId, ids };
}

async function page(inbox: DemoInbox, request: Record<string, unknown>) {
  const result = await call<ChatPage>(inbox.core, 'messages:page', request);
  return { texts: result.messages.map((m) => m.text), hasOlder: result.hasOlder, hasNewer: result.hasNewer, messages: result.messages };
}

describe('pages of a conversation', () => {
  it('pages back from the newest and forward again, with exact edges', async () => {
    const inbox = await openDemoInbox();
    const { conversationId, ids } = seedHistory(inbox);

    expect(await page(inbox, { conversationId, limit: 4 })).toMatchObject({ texts: ['m6', 'm7', 'm8', 'm9'], hasOlder: true, hasNewer: false });
    expect(await page(inbox, { conversationId, before: ids[6], limit: 4 })).toMatchObject({ texts: ['m2', 'm3', 'm4', 'm5'], hasOlder: true, hasNewer: true });
    expect(await page(inbox, { conversationId, before: ids[2], limit: 4 })).toMatchObject({ texts: ['m0', 'm1'], hasOlder: false, hasNewer: true });
    expect(await page(inbox, { conversationId, before: ids[0], limit: 4 })).toMatchObject({ texts: [], hasOlder: false, hasNewer: true });
    expect(await page(inbox, { conversationId, after: ids[1], limit: 4 })).toMatchObject({ texts: ['m2', 'm3', 'm4', 'm5'], hasOlder: true, hasNewer: true });
    // m8 and m9 share a timestamp: arrival order decides, and neither is lost at the edge.
    expect(await page(inbox, { conversationId, after: ids[7], limit: 1 })).toMatchObject({ texts: ['m8'], hasOlder: true, hasNewer: true });
    expect(await page(inbox, { conversationId, after: ids[8], limit: 4 })).toMatchObject({ texts: ['m9'], hasOlder: true, hasNewer: false });
    expect(await page(inbox, { conversationId, after: ids[9], limit: 4 })).toMatchObject({ texts: [], hasOlder: true, hasNewer: false });
    expect(await page(inbox, { conversationId, limit: 200 })).toMatchObject({ hasOlder: false, hasNewer: false });
    expect((await page(inbox, { conversationId, limit: 200 })).texts).toHaveLength(10);
  });

  it('opens around a message (jump to it), near the middle and at either end', async () => {
    const inbox = await openDemoInbox();
    const { conversationId, ids } = seedHistory(inbox);
    expect(await page(inbox, { conversationId, around: ids[5], limit: 4 })).toMatchObject({ texts: ['m4', 'm5', 'm6', 'm7'], hasOlder: true, hasNewer: true });
    expect(await page(inbox, { conversationId, around: ids[0], limit: 4 })).toMatchObject({ texts: ['m0', 'm1', 'm2', 'm3'], hasOlder: false, hasNewer: true });
    expect(await page(inbox, { conversationId, around: ids[9], limit: 4 })).toMatchObject({ texts: ['m8', 'm9'], hasOlder: true, hasNewer: false });
    expect(await page(inbox, { conversationId, around: ids[9], limit: 1 })).toMatchObject({ texts: ['m9'], hasOlder: true, hasNewer: false });
  });

  it('refuses a cursor from another conversation, and several cursors at once', async () => {
    const inbox = await openDemoInbox();
    const one = seedHistory(inbox);
    const other = seedHistory(inbox);
    expect(await inbox.core.invoke('messages:page', { conversationId: one.conversationId, before: other.ids[3] })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await inbox.core.invoke('messages:page', { conversationId: one.conversationId, before: one.ids[3], after: one.ids[1] })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await inbox.core.invoke('messages:page', { conversationId: 5555 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('gives each bubble its quote, reactions, labels, media, error in words, edit and revoke', async () => {
    const inbox = await openDemoInbox();
    const archive = inbox.archive();
    const { conversationId, ids } = seedHistory(inbox);
    const now = inbox.clock.now();
    const reply = archive.messages.insert({ conversationId, wamid: 'wamid.reply', direction: 'in', type: 'text', text: 'about that', replyToWamid: `wamid.h.${conversationId}.3`, timestamp: now + 1 }).id;
    const lost = archive.messages.insert({ conversationId, wamid: 'wamid.reply2', direction: 'in', type: 'text', text: 'and this', replyToWamid: 'wamid.never.seen', timestamp: now + 2 }).id;
    archive.reactions.apply({ messageWamid: `wamid.h.${conversationId}.3`, reactorContactId: archive.conversations.get(conversationId)!.contactId, emoji: '😂', timestamp: now });
    archive.reactions.apply({ messageWamid: `wamid.h.${conversationId}.3`, reactorContactId: null, emoji: '❤️', timestamp: now, senderStaffId: 'x' });
    const label = archive.labels.create({ name: 'Invoice', colour: 9 });
    archive.labels.assignToMessage(label.id, ids[3]!);
    archive.messages.applyEdit(ids[4]!, { text: 'm4 (edited)', caption: null, editedAt: now });
    archive.statusEvents.applyRevoke(ids[5]!, now);
    const failed = archive.messages.insert({ conversationId, clientId: 'failed-1', direction: 'out', type: 'text', text: 'late', status: 'failed', errorCode: 131047, errorTitle: 'Re-engagement message', timestamp: now + 3 }).id;
    const media = archive.media.create({ state: 'pending', mime: 'application/pdf', fileName: 'receipt.pdf' });
    const doc = archive.messages.insert({ conversationId, wamid: 'wamid.doc', direction: 'in', type: 'document', caption: 'my receipt', payload: { type: 'document', document: { id: 'm1', filename: 'receipt.pdf' } }, mediaId: media.id, timestamp: now + 4 }).id;

    const { messages } = await page(inbox, { conversationId, limit: 200 });
    const byId = new Map(messages.map((m) => [m.id, m]));
    expect(byId.get(reply)!.replyTo).toEqual({ id: ids[3], direction: 'in', type: 'text', text: 'm3' });
    expect(byId.get(lost)!.replyTo).toEqual({ id: null, direction: null, type: null, text: null });
    expect(byId.get(ids[3]!)!.reactions).toEqual([
      { emoji: '😂', fromBusiness: false },
      { emoji: '❤️', fromBusiness: true },
    ]);
    expect(byId.get(ids[3]!)!.labels).toEqual([{ id: label.id, name: 'Invoice', colour: 9 }]);
    expect(byId.get(ids[4]!)).toMatchObject({ text: 'm4 (edited)', editedAt: now });
    expect(byId.get(ids[5]!)).toMatchObject({ text: null, revokedAt: now });
    // The window of this conversation is open (m9 a minute ago): retrying a 131047 makes sense now.
    expect(byId.get(failed)).toMatchObject({ status: 'failed', error: { code: 131047, message: '131047: the 24-hour window has closed — send a template' }, retryable: true });
    expect(byId.get(doc)).toMatchObject({ caption: 'my receipt', payload: { id: 'm1', filename: 'receipt.pdf' }, media: { id: media.id, state: 'pending', mime: 'application/pdf', fileName: 'receipt.pdf' } });
    expect(messages.some((m) => m.type === 'reaction')).toBe(false);
  });
});
