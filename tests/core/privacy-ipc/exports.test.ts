/**
 * Transcript export, print and the per-contact export through core's channels (PRODUCT §11, §13), on a real
 * archive with a message a simulated customer sent through a signed webhook: requests refused by the contract
 * with their codes, files written where the preset dialog answered (and nothing when it is cancelled), the
 * printed copy handed to the print port and removed afterwards, and each export in the audit log by opaque id.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContactExportResult, TranscriptExportResult, TranscriptPrintResult } from '../../../shared/ipc/privacy';
import { tempDir } from '../helpers';
import { auditActions, call, customerText, fails, openDemoInbox } from './privacy-ipc-support';

describe('transcript:export', () => {
  it('refuses bad requests with invalid_request naming the field, before any dialog opens', async () => {
    const inbox = await openDemoInbox();
    const { conversationId } = await customerText(inbox, 0);
    const bad: Array<[unknown, string]> = [
      [{ conversationId, locale: 'en', from: '2026-02-30' }, 'from'],
      [{ conversationId, locale: 'en', from: '2026-03-02', to: '2026-03-01' }, 'to'],
      [{ conversationId, locale: 'fr' }, 'locale'],
      [{ conversationId: -1, locale: 'en' }, 'conversationId'],
      [{ conversationId, locale: 'en', path: '/etc/passwd' }, ''],
    ];
    for (const [payload, field] of bad) {
      const error = await fails(inbox, 'transcript:export', payload);
      expect(error.code, JSON.stringify(payload)).toBe('invalid_request');
      expect(error.fields?.map((f) => f.path), JSON.stringify(payload)).toContain(field);
    }
    // A conversation that does not exist: not_found, and the preset answer is still waiting (no dialog opened).
    const dir = tempDir();
    inbox.ports.dialogs.preset('chooseSaveFile', join(dir, 'never.html'));
    expect((await fails(inbox, 'transcript:export', { conversationId: 999_999, locale: 'en' })).code).toBe('not_found');
    expect(await inbox.ports.dialogs.chooseSaveFile({ title: 't', defaultName: 'x' })).toBe(join(dir, 'never.html'));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes the HTML file where the save dialog answered, and records the export by conversation id only', async () => {
    const inbox = await openDemoInbox();
    const { conversationId, text } = await customerText(inbox, 1);
    const dir = tempDir();
    const path = join(dir, 'chat.html');
    inbox.ports.dialogs.preset('chooseSaveFile', path);
    const result = await call<TranscriptExportResult>(inbox.core, 'transcript:export', { conversationId, locale: 'zh-CN' });
    expect(result).toMatchObject({ saved: true, fileName: 'chat.html', messages: 1 });
    const html = readFileSync(path, 'utf8');
    expect(result.bytes).toBe(Buffer.byteLength(html));
    expect(html).toContain('<html lang="zh-CN"');
    expect(html).toContain(text.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
    expect(html).not.toMatch(/<script/i);
    // No partial or temporary file is left beside it.
    expect(readdirSync(dir)).toEqual(['chat.html']);

    const [entry] = auditActions(inbox).filter((e) => e.action === 'privacy.transcript-exported');
    expect(entry).toMatchObject({ subject: `conversation:${conversationId}`, details: { messages: 1, from: null, to: null } });
    expect(JSON.stringify(entry)).not.toContain(text);
  });

  it('exports a date range of the business timezone, and writes nothing when the dialog is cancelled', async () => {
    const inbox = await openDemoInbox();
    const { conversationId } = await customerText(inbox, 2);
    const dir = tempDir();
    // Nothing on a day before the message.
    inbox.ports.dialogs.preset('chooseSaveFile', join(dir, 'before.html'));
    const before = await call<TranscriptExportResult>(inbox.core, 'transcript:export', { conversationId, locale: 'en', from: '2026-01-01', to: '2026-01-31' });
    expect(before).toMatchObject({ saved: true, messages: 0 });
    const entry = auditActions(inbox).find((e) => e.action === 'privacy.transcript-exported');
    expect(entry?.details).toMatchObject({ from: '2026-01-01', to: '2026-01-31', messages: 0 });
    // Cancelled: nothing written, nothing recorded.
    const recorded = auditActions(inbox).length;
    const cancelled = await call<TranscriptExportResult>(inbox.core, 'transcript:export', { conversationId, locale: 'en' });
    expect(cancelled).toEqual({ saved: false, fileName: null, messages: 0, mediaEmbedded: 0, bytes: 0 });
    expect(readdirSync(dir)).toEqual(['before.html']);
    expect(auditActions(inbox).length).toBe(recorded);
  });

  it('says export_failed when the chosen folder is gone, and is refused while locked', async () => {
    const inbox = await openDemoInbox();
    const { conversationId } = await customerText(inbox, 3);
    inbox.ports.dialogs.preset('chooseSaveFile', join(tempDir(), 'gone', 'chat.html'));
    expect((await fails(inbox, 'transcript:export', { conversationId, locale: 'en' })).code).toBe('export_failed');
    await call(inbox.core, 'vault:lock');
    expect((await fails(inbox, 'transcript:export', { conversationId, locale: 'en' })).code).toBe('locked');
  });
});

describe('transcript:print', () => {
  it('hands a complete copy to the print port and removes it afterwards; a cancelled dialog says so', async () => {
    const inbox = await openDemoInbox();
    const { conversationId, text } = await customerText(inbox, 4);
    const result = await call<TranscriptPrintResult>(inbox.core, 'transcript:print', { conversationId, locale: 'en' });
    expect(result).toEqual({ printed: true, messages: 1 });
    const [request] = inbox.ports.print.requests;
    expect(request!.html).toContain(text.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
    expect(request!.html).toContain('Content-Security-Policy');
    expect(request!.title).toMatch(/^Transcript - /);
    expect(request!.path.endsWith('.html')).toBe(true);
    // The temporary copy (and its private folder) is gone.
    expect(existsSync(request!.path)).toBe(false);
    expect(basename(dirname(request!.path))).toMatch(/^frontdesk-print-/);
    expect(existsSync(dirname(request!.path))).toBe(false);

    inbox.ports.print.answer(false);
    expect(await call<TranscriptPrintResult>(inbox.core, 'transcript:print', { conversationId, locale: 'en' })).toEqual({ printed: false, messages: 1 });
    expect((await fails(inbox, 'transcript:print', { conversationId: 999_999, locale: 'en' })).code).toBe('not_found');
  });
});

describe('privacy:export-contact', () => {
  it('writes contact.json, contact.html and media/ into a folder of its own in the chosen folder', async () => {
    const inbox = await openDemoInbox();
    const { contactId, text, messageId } = await customerText(inbox, 5);
    const folder = tempDir();
    inbox.ports.dialogs.preset('chooseFolder', folder);
    const result = await call<ContactExportResult>(inbox.core, 'privacy:export-contact', { contactId, locale: 'en' });
    expect(result).toMatchObject({ saved: true, messages: 1, mediaFiles: 0 });
    expect(result.folderName).toMatch(new RegExp(`^frontdesk-contact-${contactId}-\\d{4}-\\d{2}-\\d{2}$`));
    expect(readdirSync(folder)).toEqual([result.folderName]);
    const bundle = join(folder, result.folderName!);
    expect(readdirSync(bundle).sort()).toEqual(['contact.html', 'contact.json', 'media']);
    const json = JSON.parse(readFileSync(join(bundle, 'contact.json'), 'utf8')) as { contact: { id: number }; messages: Array<{ id: number; text: string }> };
    expect(json.contact.id).toBe(contactId);
    expect(json.messages).toEqual([expect.objectContaining({ id: messageId, text })]);
    expect(readFileSync(join(bundle, 'contact.html'), 'utf8')).toContain(text.replace(/&/g, '&amp;').replace(/</g, '&lt;'));

    const entry = auditActions(inbox).find((e) => e.action === 'privacy.contact-exported');
    expect(entry).toMatchObject({ subject: `contact:${contactId}`, details: { messages: 1, mediaFiles: 0 } });
  });

  it('writes nothing when the folder dialog is cancelled, fails for a folder that is gone, and checks the contact first', async () => {
    const inbox = await openDemoInbox();
    const { contactId } = await customerText(inbox, 6);
    expect(await call<ContactExportResult>(inbox.core, 'privacy:export-contact', { contactId, locale: 'en' })).toEqual({
      saved: false,
      folderName: null,
      messages: 0,
      mediaFiles: 0,
      bytes: 0,
    });
    const gone = join(tempDir(), 'gone');
    inbox.ports.dialogs.preset('chooseFolder', gone);
    expect((await fails(inbox, 'privacy:export-contact', { contactId, locale: 'en' })).code).toBe('export_failed');
    mkdirSync(gone);
    expect(readdirSync(gone)).toEqual([]);
    const error = await fails(inbox, 'privacy:export-contact', { contactId, locale: 'en', destinationDir: '/tmp' });
    expect(error.code).toBe('invalid_request');
    expect((await fails(inbox, 'privacy:export-contact', { contactId: 999_999, locale: 'en' })).code).toBe('not_found');
  });
});
