/**
 * Quick replies (PRODUCT §7) against a real archive and the sandbox: managing them (create, edit, delete,
 * reorder, uniqueness in any case), import with a report of refused rows, export as JSON, and sending one
 * into a chat — its attachment reaches the sandbox as media with the text as caption — counting each use.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { QuickReplyImportReport, QuickReplyView } from '../../../shared/ipc';
import { samplePng } from '../../../electron/core/sandbox/webhooks/media-samples';
import { tempDir } from '../helpers';
import { call, customerWrites, openDemoInbox, waitFor } from '../inbox/inbox-support';
import type { DemoInbox } from '../inbox/inbox-support';

const save = (inbox: DemoInbox, request: Record<string, unknown>) => call<QuickReplyView>(inbox.core, 'quick-replies:save', request);
const list = (inbox: DemoInbox) => call<QuickReplyView[]>(inbox.core, 'quick-replies:list');

describe('managing quick replies', () => {
  it('creates, edits, reorders and deletes, announcing each change', async () => {
    const inbox = await openDemoInbox();
    expect(await list(inbox)).toEqual([]);
    const thanks = await save(inbox, { shortcut: 'thanks', text: 'Thank you {{name}}!', keywords: [' gracias ', 'Gracias', '谢谢'] });
    expect(thanks).toMatchObject({ shortcut: 'thanks', text: 'Thank you {{name}}!', keywords: ['gracias', '谢谢'], attachment: null, usageCount: 0, lastUsedAt: null });
    const hours = await save(inbox, { shortcut: 'hours', text: 'We open {{next_open}} at {{business}}' });
    const bye = await save(inbox, { shortcut: 'bye_now-2', text: '再见' });
    expect((await list(inbox)).map((r) => r.shortcut)).toEqual(['thanks', 'hours', 'bye_now-2']);

    const edited = await save(inbox, { id: thanks.id, shortcut: 'Thanks', text: 'Many thanks, {{name}}.', keywords: [] });
    expect(edited).toMatchObject({ id: thanks.id, shortcut: 'Thanks', text: 'Many thanks, {{name}}.', keywords: [] });

    const reordered = await call<QuickReplyView[]>(inbox.core, 'quick-replies:reorder', { ids: [bye.id, thanks.id, hours.id] });
    expect(reordered.map((r) => r.shortcut)).toEqual(['bye_now-2', 'Thanks', 'hours']);
    expect(await inbox.core.invoke('quick-replies:reorder', { ids: [bye.id, thanks.id] })).toMatchObject({ ok: false, error: { code: 'invalid_request', fields: [{ path: 'ids' }] } });

    await call(inbox.core, 'quick-replies:delete', { id: hours.id });
    expect((await list(inbox)).map((r) => r.shortcut)).toEqual(['bye_now-2', 'Thanks']);
    expect(await inbox.core.invoke('quick-replies:delete', { id: hours.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(inbox.of('quick-replies:changed').length).toBeGreaterThanOrEqual(6);
  });

  it('refuses a shortcut already used (any case), bad characters, and unknown variables, naming the field', async () => {
    const inbox = await openDemoInbox();
    const first = await save(inbox, { shortcut: 'thanks', text: 'Thank you' });
    expect(await inbox.core.invoke('quick-replies:save', { shortcut: 'THANKS', text: 'Again' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', fields: [{ path: 'shortcut', message: 'already used' }] },
    });
    // Its own shortcut is not "used" by itself.
    await save(inbox, { id: first.id, shortcut: 'THANKS', text: 'Thank you' });
    expect(await inbox.core.invoke('quick-replies:save', { shortcut: 'no spaces', text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', fields: [{ path: 'shortcut', message: 'letters, digits, - and _ only' }] },
    });
    expect(await inbox.core.invoke('quick-replies:save', { shortcut: 'a'.repeat(26), text: 'x' })).toMatchObject({ ok: false, error: { fields: [{ path: 'shortcut' }] } });
    expect(await inbox.core.invoke('quick-replies:save', { shortcut: 'hi', text: 'Hi {{nmae}}' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', fields: [{ path: 'text', message: 'unknown variable {{nmae}}' }] },
    });
    expect(await inbox.core.invoke('quick-replies:save', { shortcut: 'hi', text: 'x'.repeat(1025) })).toMatchObject({ ok: false, error: { fields: [{ path: 'text' }] } });
    expect(await inbox.core.invoke('quick-replies:save', { shortcut: 'hi', text: 'x', attachment: { fileName: 'a.exe', mime: 'application/x-msdownload', bytes: new Uint8Array([1]) } })).toMatchObject({
      ok: false,
      error: { code: 'attachment_refused', fields: [{ path: 'attachment' }] },
    });
    expect((await list(inbox)).map((r) => r.shortcut)).toEqual(['THANKS']);
  });

  it('imports JSON: adds, updates by shortcut, and reports refused rows with reasons', async () => {
    const inbox = await openDemoInbox();
    await save(inbox, { shortcut: 'hours', text: 'Old hours' });
    const file = {
      format: 'frontdesk-quick-replies',
      version: 1,
      quickReplies: [
        { shortcut: 'thanks', text: 'Thank you {{name}}!', keywords: ['ty'] },
        { shortcut: 'HOURS', text: 'We open {{next_open}}' },
        { shortcut: 'bad shortcut', text: 'x' },
        { shortcut: 'vars', text: 'Hi {{unknown}}' },
        { text: 'no shortcut' },
        { shortcut: 'pic', text: 'Our map', attachment: { fileName: 'map.png', mime: 'image/png', base64: Buffer.from(samplePng([1, 2, 3])).toString('base64') } },
      ],
    };
    const report = await call<QuickReplyImportReport>(inbox.core, 'quick-replies:import', { bytes: new TextEncoder().encode(JSON.stringify(file)) });
    expect(report.added).toBe(2);
    expect(report.updated).toBe(1);
    expect(report.refused).toEqual([
      expect.objectContaining({ row: 3, shortcut: 'bad shortcut', fields: [{ path: 'shortcut', message: 'letters, digits, - and _ only' }] }),
      expect.objectContaining({ row: 4, shortcut: 'vars', fields: [{ path: 'text', message: 'unknown variable {{unknown}}' }] }),
      expect.objectContaining({ row: 5, shortcut: '', fields: [expect.objectContaining({ path: 'shortcut' })] }),
    ]);
    const replies = await list(inbox);
    expect(replies.map((r) => [r.shortcut, r.text])).toEqual([
      ['HOURS', 'We open {{next_open}}'],
      ['thanks', 'Thank you {{name}}!'],
      ['pic', 'Our map'],
    ]);
    expect(replies[2]!.attachment).toMatchObject({ fileName: 'map.png', mime: 'image/png' });

    expect(await inbox.core.invoke('quick-replies:import', { bytes: new TextEncoder().encode('not json') })).toMatchObject({ ok: false, error: { code: 'invalid_request', fields: [{ path: 'bytes' }] } });
  });

  it('exports JSON (attachments included) that imports back into another workspace', async () => {
    const inbox = await openDemoInbox();
    const png = samplePng([9, 8, 7]);
    await save(inbox, { shortcut: 'map', text: 'Here we are, {{name}}', keywords: ['where', '地址'], attachment: { fileName: 'map.png', mime: 'image/png', bytes: png } });
    await save(inbox, { shortcut: 'thanks', text: '谢谢！' });
    const path = join(tempDir(), 'quick-replies.json');
    inbox.ports.dialogs.preset('chooseSaveFile', path);
    expect(await call(inbox.core, 'quick-replies:export')).toEqual({ saved: true, count: 2 });
    const written = JSON.parse(readFileSync(path, 'utf8')) as { format: string; quickReplies: Array<Record<string, unknown>> };
    expect(written.format).toBe('frontdesk-quick-replies');
    expect(written.quickReplies).toEqual([
      { shortcut: 'map', text: 'Here we are, {{name}}', keywords: ['where', '地址'], attachment: { fileName: 'map.png', mime: 'image/png', base64: Buffer.from(png).toString('base64') } },
      { shortcut: 'thanks', text: '谢谢！', keywords: [] },
    ]);

    const other = await openDemoInbox();
    const report = await call<QuickReplyImportReport>(other.core, 'quick-replies:import', { bytes: readFileSync(path) });
    expect(report).toEqual({ added: 2, updated: 0, refused: [] });
    expect((await list(other)).map((r) => [r.shortcut, r.attachment?.size ?? null])).toEqual([
      ['map', png.byteLength],
      ['thanks', null],
    ]);
  });
});

describe('sending a quick reply', () => {
  it('sends the attachment as media with the filled text as caption, and counts the use', async () => {
    const inbox = await openDemoInbox();
    const png = samplePng([1, 2, 3]);
    const reply = await save(inbox, { shortcut: 'map', text: 'Here we are, {{name}}', attachment: { fileName: 'map.png', mime: 'image/png', bytes: png } });
    const { conversationId } = await customerWrites(inbox, 0);
    inbox.clock.advance(60_000);

    const { messageId } = await call<{ messageId: number }>(inbox.core, 'quick-replies:send', { conversationId, quickReplyId: reply.id, text: 'Here we are, Sheena Nelson' });
    const stored = inbox.archive().messages.get(messageId)!;
    expect(stored).toMatchObject({ direction: 'out', type: 'image', caption: 'Here we are, Sheena Nelson' });
    expect(stored.mediaId).not.toBe(reply.attachment!.mediaId);
    await waitFor(() => inbox.demo().graph.sent.length === 1);
    const sent = inbox.demo().graph.sent[0]!.request as { type: string; image: { id: string; caption: string } };
    expect(sent.type).toBe('image');
    expect(sent.image.caption).toBe('Here we are, Sheena Nelson');
    expect(Buffer.from(inbox.demo().graph.media.get(sent.image.id)!.bytes)).toEqual(Buffer.from(png));

    const after = (await list(inbox))[0]!;
    expect(after).toMatchObject({ usageCount: 1, lastUsedAt: inbox.clock.now() });
    expect(inbox.of('quick-replies:changed').at(-1)).toEqual({ ids: [reply.id] });
  });

  it('sends a text-only quick reply as text; counts an insertion with quick-replies:used; refuses a closed window', async () => {
    const inbox = await openDemoInbox();
    const reply = await save(inbox, { shortcut: 'thanks', text: 'Thank you {{name}}!' });
    const { conversationId } = await customerWrites(inbox, 1);
    await call(inbox.core, 'quick-replies:send', { conversationId, quickReplyId: reply.id, text: 'Thank you Bob!' });
    await waitFor(() => inbox.demo().graph.sent.length === 1);
    expect(inbox.demo().graph.sent[0]!.request).toMatchObject({ type: 'text', text: { body: 'Thank you Bob!' } });

    await call(inbox.core, 'quick-replies:used', { quickReplyId: reply.id });
    expect((await list(inbox))[0]!.usageCount).toBe(2);

    inbox.clock.advance(25 * 60 * 60_000);
    expect(await inbox.core.invoke('quick-replies:send', { conversationId, quickReplyId: reply.id, text: 'Thank you Bob!' })).toMatchObject({ ok: false, error: { code: 'window_closed' } });
    expect((await list(inbox))[0]!.usageCount).toBe(2);
  });
});
