/**
 * The composer against the sandbox (PRODUCT §2, §14): text, replies, reactions and media go through the
 * outbox (stored first, the id returned at once) to the sandbox Graph API, each naming who on the staff
 * sent it; refusals (closed window, groups, attachments over Meta's limits) come back as errors before
 * any network call; resend, cancel, stars and "save as…".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatPage, StaffState } from '../../../shared/ipc';
import { samplePdf, samplePng } from '../../../electron/core/sandbox/webhooks/media-samples';
import { tempDir } from '../helpers';
import { advanceUntil, call, customerWrites, openDemoInbox, seedConversation, waitFor } from './inbox-support';
import type { DemoInbox } from './inbox-support';

async function page(inbox: DemoInbox, conversationId: number): Promise<ChatMessage[]> {
  return (await call<ChatPage>(inbox.core, 'messages:page', { conversationId, limit: 200 })).messages;
}

async function send(inbox: DemoInbox, request: Record<string, unknown>) {
  return (await call<{ messageId: number }>(inbox.core, 'messages:send', request)).messageId;
}

const outboxStates = (inbox: DemoInbox, messageId: number) => inbox.of('outbox:state').filter((e) => e.messageId === messageId).map((e) => e.state);

describe('sending', () => {
  it('stores a text at once with its sender, sends it once, and shows the ticks as statuses come', async () => {
    const inbox = await openDemoInbox();
    const { conversationId } = await customerWrites(inbox, 0);
    const staff = await call<StaffState>(inbox.core, 'staff:state');

    const messageId = await send(inbox, { kind: 'text', conversationId, text: 'Yes, we open at 9 — 周六九点开门' });
    const stored = inbox.archive().messages.get(messageId)!;
    expect(stored).toMatchObject({ direction: 'out', type: 'text', text: 'Yes, we open at 9 — 周六九点开门', senderStaffId: staff.currentId });
    await waitFor(() => outboxStates(inbox, messageId).includes('sent'));
    expect(inbox.demo().graph.sent).toHaveLength(1);
    expect(inbox.demo().graph.sent[0]!.request).toMatchObject({ type: 'text', text: { body: 'Yes, we open at 9 — 周六九点开门' } });

    await advanceUntil(inbox, () => ['delivered', 'read'].includes(inbox.archive().messages.get(messageId)!.status!));
    const bubble = (await page(inbox, conversationId)).find((m) => m.id === messageId)!;
    expect(bubble).toMatchObject({ direction: 'out', sender: { id: staff.currentId, name: 'Front desk' }, outboxState: null, error: null, retryable: false });
    expect(['delivered', 'read']).toContain(bubble.status);
    // The list's row shows it as the last message, answered.
    const row = (await call<{ row: { preview: unknown; needsReply: boolean } }>(inbox.core, 'conversations:get', { conversationId })).row;
    expect(row).toMatchObject({ needsReply: false, preview: { direction: 'out', text: 'Yes, we open at 9 — 周六九点开门' } });
  });

  it('replies quoting a message, and reacts to one (an empty emoji removes the reaction)', async () => {
    const inbox = await openDemoInbox();
    const inbound = await customerWrites(inbox, 1);
    const reply = await send(inbox, { kind: 'text', conversationId: inbound.conversationId, text: '好的', replyToMessageId: inbound.messageId });
    await waitFor(() => inbox.demo().graph.sent.length === 1);
    expect(inbox.demo().graph.sent[0]!.request).toMatchObject({ context: { message_id: inbound.wamid } });
    const quoted = (await page(inbox, inbound.conversationId)).find((m) => m.id === reply)!;
    expect(quoted.replyTo).toMatchObject({ id: inbound.messageId, direction: 'in', type: 'text' });

    await send(inbox, { kind: 'reaction', conversationId: inbound.conversationId, messageId: inbound.messageId, emoji: '👍' });
    await waitFor(() => inbox.demo().graph.sent.length === 2);
    expect(inbox.demo().graph.sent[1]!.request).toMatchObject({ type: 'reaction', reaction: { message_id: inbound.wamid, emoji: '👍' } });
    let messages = await page(inbox, inbound.conversationId);
    // The reaction shows on its message, not as a bubble of its own.
    expect(messages.map((m) => m.type)).toEqual(['text', 'text']);
    expect(messages.find((m) => m.id === inbound.messageId)!.reactions).toEqual([{ emoji: '👍', fromBusiness: true }]);
    expect(inbox.of('messages:reaction').at(-1)).toMatchObject({ messageId: inbound.messageId, emoji: '👍', reactorContactId: null });

    inbox.clock.advance(10_000);
    await send(inbox, { kind: 'reaction', conversationId: inbound.conversationId, messageId: inbound.messageId, emoji: '' });
    messages = await page(inbox, inbound.conversationId);
    expect(messages.find((m) => m.id === inbound.messageId)!.reactions).toEqual([]);

    expect(await inbox.core.invoke('messages:send', { kind: 'reaction', conversationId: inbound.conversationId, messageId: inbound.messageId, emoji: 'ok' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  });

  it('sends an attachment: stored encrypted first, uploaded by the sender, sent with Meta’s media id', async () => {
    const inbox = await openDemoInbox();
    const { conversationId } = await customerWrites(inbox, 2);
    const png = samplePng([10, 200, 30]);
    const messageId = await send(inbox, { kind: 'media', conversationId, attachment: { fileName: 'map.png', mime: 'image/png', bytes: png }, caption: 'Here we are' });
    const stored = inbox.archive().messages.get(messageId)!;
    expect(stored).toMatchObject({ type: 'image', caption: 'Here we are' });
    expect(stored.mediaId).not.toBeNull();
    await waitFor(() => outboxStates(inbox, messageId).includes('sent'));
    const sent = inbox.demo().graph.sent[0]!.request as { image: { id: string; caption: string } };
    expect(sent.image.caption).toBe('Here we are');
    expect(Buffer.from(inbox.demo().graph.media.get(sent.image.id)!.bytes)).toEqual(Buffer.from(png));

    const bubble = (await page(inbox, conversationId)).find((m) => m.id === messageId)!;
    expect(bubble.media).toMatchObject({ id: stored.mediaId, state: 'stored', mime: 'image/png', size: png.byteLength, fileName: 'map.png' });
    // The display route's service: decrypted, for the unlocked workspace only.
    const file = await inbox.core.services.readMedia(stored.mediaId!);
    expect(Buffer.from(file.bytes)).toEqual(Buffer.from(png));
    expect(file).toMatchObject({ mime: 'image/png', fileName: 'map.png' });
    await call(inbox.core, 'vault:lock');
    await expect(inbox.core.services.readMedia(stored.mediaId!)).rejects.toMatchObject({ code: 'locked' });

    const pdf = samplePdf('Order 2291');
    await call(inbox.core, 'vault:unlock', { workspaceId: inbox.core.services.workspaces.current()!.vault.id, method: 'keychain' });
    const doc = await send(inbox, { kind: 'media', conversationId, attachment: { fileName: 'order.pdf', mime: 'application/pdf', bytes: pdf } });
    await waitFor(() => outboxStates(inbox, doc).includes('sent'));
    expect(inbox.demo().graph.sent[1]!.request).toMatchObject({ type: 'document', document: { filename: 'order.pdf' } });
  });

  it('refuses attachments of a type or size Meta does not take, naming why, before storing anything', async () => {
    const inbox = await openDemoInbox();
    const { conversationId } = await customerWrites(inbox, 2);
    const mediaRows = () => inbox.archive().db.prepare('SELECT count(*) FROM media').pluck().get() as number;
    const before = mediaRows();
    const jpegHeader = [0xff, 0xd8, 0xff, 0xe0];
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(jpegHeader);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ fileName: 'big.jpg', mime: 'image/jpeg', bytes: big }, /at most 5 MB/],
      [{ fileName: 'x.zip', mime: 'application/zip', bytes: new Uint8Array([1, 2, 3]) }, /does not take application\/zip/],
      [{ fileName: 'fake.png', mime: 'image/png', bytes: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]) }, /not a image\/png file/],
      [{ fileName: 'empty.pdf', mime: 'application/pdf', bytes: new Uint8Array() }, /empty/],
      [{ fileName: 'sticker.webp', mime: 'image/webp', bytes: Object.assign(new Uint8Array(150 * 1024), { 0: 0x52, 1: 0x49, 2: 0x46, 3: 0x46, 8: 0x57, 9: 0x45, 10: 0x42, 11: 0x50 }) }, /at most 100 KB/],
    ];
    for (const [attachment, reason] of cases) {
      const result = await inbox.core.invoke('messages:send', { kind: 'media', conversationId, attachment });
      expect(result).toMatchObject({ ok: false, error: { code: 'attachment_refused', message: expect.stringMatching(reason) } });
    }
    const voice = await inbox.core.invoke('messages:send', { kind: 'media', conversationId, attachment: { fileName: 'a.ogg', mime: 'audio/ogg', bytes: new Uint8Array([1]) }, caption: 'hi' });
    expect(voice).toMatchObject({ ok: false, error: { code: 'attachment_refused', message: expect.stringMatching(/caption/) } });
    expect(mediaRows()).toBe(before);
    expect(inbox.demo().graph.sent).toHaveLength(0);
  });
});

describe('refusals before any network call', () => {
  it('refuses free text, media and reactions when the window is closed (131047), and group chats as read-only', async () => {
    const inbox = await openDemoInbox();
    const archive = inbox.archive();
    const now = inbox.clock.now();
    const closed = seedConversation(archive, now, { inboundMinutesAgo: 25 * 60 });
    const messages = () => archive.db.prepare('SELECT count(*) FROM messages').pluck().get() as number;
    const before = messages();
    const text = await inbox.core.invoke('messages:send', { kind: 'text', conversationId: closed, text: 'Hello again' });
    expect(text).toMatchObject({ ok: false, error: { code: 'window_closed', metaCode: 131047, message: '131047: the 24-hour window has closed — send a template' } });
    const target = archive.db.prepare('SELECT id FROM messages WHERE conversation_id = ?').pluck().get(closed) as number;
    expect(await inbox.core.invoke('messages:send', { kind: 'reaction', conversationId: closed, messageId: target, emoji: '👍' })).toMatchObject({ ok: false, error: { code: 'window_closed' } });
    expect(
      await inbox.core.invoke('messages:send', { kind: 'media', conversationId: closed, attachment: { fileName: 'a.png', mime: 'image/png', bytes: samplePng([1, 2, 3]) } }),
    ).toMatchObject({ ok: false, error: { code: 'window_closed' } });

    const group = archive.conversations.getOrCreateForGroup('120363000000000009').conversation.id;
    archive.messages.insert({ conversationId: group, wamid: 'wamid.g.9', direction: 'in', type: 'text', text: 'hi all', timestamp: now, groupId: '120363000000000009' });
    expect(await inbox.core.invoke('messages:send', { kind: 'text', conversationId: group, text: 'hi' })).toMatchObject({ ok: false, error: { code: 'read_only' } });

    expect(await inbox.core.invoke('messages:send', { kind: 'text', conversationId: 987654, text: 'hi' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(messages()).toBe(before + 1);
    expect(inbox.demo().graph.sent).toHaveLength(0);
  });
});

describe('resend, cancel, star, save as', () => {
  it('cancels a message still queued, and refuses to cancel one already sent', async () => {
    const inbox = await openDemoInbox();
    const { conversationId } = await customerWrites(inbox, 3);
    // Meta answers 500: the message waits (queued) for its retry on the virtual clock.
    inbox.demo().graph.faults.inject('500', 1);
    const waiting = await send(inbox, { kind: 'text', conversationId, text: 'first' });
    await waitFor(() => outboxStates(inbox, waiting).filter((s) => s === 'queued').length === 2);
    await call(inbox.core, 'messages:cancel', { messageId: waiting });
    expect(outboxStates(inbox, waiting).at(-1)).toBe('cancelled');
    const cancelled = (await page(inbox, conversationId)).find((m) => m.id === waiting)!;
    expect(cancelled).toMatchObject({ status: 'failed', outboxState: 'cancelled', error: { code: null, message: 'Cancelled before sending' }, retryable: true });

    const sent = await send(inbox, { kind: 'text', conversationId, text: 'second' });
    await waitFor(() => outboxStates(inbox, sent).includes('sent'));
    expect(await inbox.core.invoke('messages:cancel', { messageId: sent })).toMatchObject({ ok: false, error: { code: 'not_resendable' } });
    expect(await inbox.core.invoke('messages:resend', { messageId: sent })).toMatchObject({ ok: false, error: { code: 'not_resendable' } });
    expect(await inbox.core.invoke('messages:cancel', { messageId: 99_999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    // A cancelled message may be sent again: a new message, sent once.
    const again = (await call<{ messageId: number }>(inbox.core, 'messages:resend', { messageId: waiting })).messageId;
    expect(again).not.toBe(waiting);
    await waitFor(() => outboxStates(inbox, again).includes('sent'));
    expect(inbox.demo().graph.sent.map((m) => (m.request as { text: { body: string } }).text.body)).toEqual(['second', 'first']);
  });

  it('resends a message whose outcome was never confirmed, as a new message, by the staff member at the desk now', async () => {
    const inbox = await openDemoInbox({ graphTimeoutMs: 150 });
    const { conversationId } = await customerWrites(inbox, 4);
    inbox.demo().graph.faults.inject('timeout-before-accept', 1);
    const lost = await send(inbox, { kind: 'text', conversationId, text: 'did this arrive?' });
    await waitFor(() => outboxStates(inbox, lost).includes('unknown'));
    inbox.clock.advance(11 * 60_000);
    await waitFor(() => outboxStates(inbox, lost).includes('not_confirmed'));
    expect((await page(inbox, conversationId)).find((m) => m.id === lost)).toMatchObject({ status: 'not_confirmed', outboxState: 'not_confirmed', retryable: true });

    const alice = (await call<StaffState>(inbox.core, 'staff:create', { name: 'Alice' })).members.find((m) => m.name === 'Alice')!;
    await call(inbox.core, 'staff:switch', { staffId: alice.id });
    const again = (await call<{ messageId: number }>(inbox.core, 'messages:resend', { messageId: lost })).messageId;
    await waitFor(() => outboxStates(inbox, again).includes('sent'));
    expect(inbox.archive().messages.get(again)).toMatchObject({ text: 'did this arrive?', senderStaffId: alice.id });
    expect(inbox.demo().graph.sent).toHaveLength(1);
  });

  it('stars and unstars a message, and saves a file where the user chooses', async () => {
    const inbox = await openDemoInbox();
    const image = await customerWrites(inbox, 5, 'image');
    await call(inbox.core, 'messages:star', { messageId: image.messageId, starred: true });
    expect((await page(inbox, image.conversationId))[0]!.starred).toBe(true);
    await call(inbox.core, 'messages:star', { messageId: image.messageId, starred: false });
    expect((await page(inbox, image.conversationId))[0]!.starred).toBe(false);
    expect(await inbox.core.invoke('messages:star', { messageId: 424242, starred: true })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    await waitFor(() => inbox.archive().media.get(inbox.archive().messages.get(image.messageId)!.mediaId!)?.state === 'stored');
    const target = join(tempDir(), 'saved.png');
    inbox.ports.dialogs.preset('chooseSaveFile', target);
    expect(await call(inbox.core, 'messages:save-media', { messageId: image.messageId })).toEqual({ saved: true });
    expect(readFileSync(target).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // No answer queued: the dialog is cancelled.
    expect(await call(inbox.core, 'messages:save-media', { messageId: image.messageId })).toEqual({ saved: false });
    const text = await customerWrites(inbox, 5);
    expect(await inbox.core.invoke('messages:save-media', { messageId: text.messageId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
