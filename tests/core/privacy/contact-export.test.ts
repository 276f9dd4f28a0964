import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { automationStore } from '../../../electron/core/automation/repositories/automation-store';
import { contactExportSchema, createContactExport } from '../../../electron/core/privacy';
import { safeFileName } from '../../../electron/core/privacy/bundle-files';
import { tempDir } from '../helpers';
import { parseHtml } from './privacy-support';
import { erasedMarkers, groupId, newNumber, oldNumber, secretDocument, seedPerson, sharedImage, t0 } from './seed-person';
import { describeWithFixtures } from './webhook-bodies';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describeWithFixtures('contact export', () => {
  it('writes contact.json (validated shape), contact.html and the decrypted media, matching the archive', async () => {
    const { h, contactId, conversationId, audit } = await seedPerson();
    const { archive } = h;
    automationStore(archive.db).logReply({ kind: 'greeting', contactId, inboundWamid: 'wamid.ERASED.1', periodKey: null, at: (t0 + 5) * 1000 });
    archive.reactions.apply({ messageWamid: 'wamid.ERASED.1', reactorContactId: null, emoji: '🙏', timestamp: (t0 + 10) * 1000, senderStaffId: 'staff-1' });
    const out = tempDir('frontdesk-export-');
    const exporter = createContactExport({ archive, media: h.media, audit, clock: h.clock, logger: h.logger });

    const result = await exporter.run({ contactId, destinationDir: out, locale: 'en', businessName: 'Harbour Clinic' });
    expect(result).toMatchObject({ path: join(out, 'frontdesk-contact-' + contactId + '-2026-06-20'), messages: 9, mediaFiles: 2 });
    // Only the finished bundle is there: no partial folder.
    expect(readdirSync(out)).toEqual([`frontdesk-contact-${contactId}-2026-06-20`]);
    expect(readdirSync(result.path).sort()).toEqual(['contact.html', 'contact.json', 'media']);

    const doc = contactExportSchema.parse(JSON.parse(readFileSync(join(result.path, 'contact.json'), 'utf8')));
    const contact = archive.contacts.get(contactId)!;
    expect(doc).toMatchObject({ format: 'frontdesk.contact-export', version: 1, exportedAt: new Date(h.clock.now()).toISOString() });
    expect(doc.contact).toMatchObject({
      id: contactId,
      displayName: erasedMarkers.savedName,
      savedName: erasedMarkers.savedName,
      profileName: erasedMarkers.name,
      identities: { waId: newNumber, phone: newNumber, userId: null },
      notes: contact.notes,
      blocked: false,
    });
    expect(doc.contact.identityHistory).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'wa_id', oldValue: oldNumber, newValue: newNumber, reason: 'number_change' })]),
    );
    expect(doc.marketing).toEqual({
      optedOut: true,
      decidedAt: new Date((t0 + 410) * 1000).toISOString(),
      events: [{ category: 'marketing_messages', value: 'stop', at: new Date((t0 + 410) * 1000).toISOString(), detail: 'User requested to stop marketing messages', receivedAt: expect.any(String) }],
    });
    expect(doc.conversations).toEqual([expect.objectContaining({ id: conversationId, kind: 'direct', draft: `draft ${erasedMarkers.draft}`, labels: [expect.objectContaining({ name: 'VIP', colour: 3 })] })]);
    expect(doc.groupConversations).toEqual([expect.objectContaining({ kind: 'group', groupId })]);
    expect(doc.reactionsByContact).toEqual([{ messageWamid: 'wamid.OUT.1', emoji: '👍', at: new Date((t0 + 400) * 1000).toISOString() }]);
    expect(doc.automaticReplies).toEqual([{ kind: 'greeting', at: new Date((t0 + 5) * 1000).toISOString(), inboundWamid: 'wamid.ERASED.1', messageId: null }]);

    // Every message of theirs, in order, exactly as the archive holds it.
    const stored = archive.db
      .prepare<[number, number], { id: number; wamid: string; text: string | null; caption: string | null; timestamp: number }>(
        'SELECT id, wamid, text, caption, timestamp FROM messages WHERE conversation_id = ? OR author_contact_id = ? ORDER BY timestamp, id',
      )
      .all(conversationId, contactId);
    expect(doc.messages.map((m) => m.wamid)).toEqual(stored.map((m) => m.wamid));
    expect(doc.messages.map((m) => [m.text, m.caption, m.timestamp])).toEqual(stored.map((m) => [m.text, m.caption, new Date(m.timestamp).toISOString()]));
    const byWamid = new Map(doc.messages.map((m) => [m.wamid, m]));
    expect(byWamid.get('wamid.ERASED.1')).toMatchObject({
      direction: 'in',
      sender: { kind: 'customer' },
      labels: [expect.objectContaining({ name: 'VIP' })],
      reactions: [{ emoji: '🙏', by: 'business', staffId: 'staff-1' }],
      content: expect.objectContaining({ id: 'wamid.ERASED.1', from: oldNumber }),
    });
    expect(byWamid.get('wamid.OUT.1')).toMatchObject({
      direction: 'out',
      sender: { kind: 'staff', staffId: 'staff-1', staffName: 'Desk One' },
      status: 'delivered',
      reactions: [{ emoji: '👍', by: 'customer', staffId: null }],
      statusEvents: [{ status: 'delivered', at: new Date((t0 + 320) * 1000).toISOString(), errorCode: null, errorTitle: null }],
    });
    expect(byWamid.get('wamid.ERASED.G1')).toMatchObject({ conversationKind: 'group', text: `in the group ${erasedMarkers.group}` });

    // The files: decrypted, named safely, hashed, and tied to their messages.
    const image = byWamid.get('wamid.ERASED.3')!.media!;
    const document = byWamid.get('wamid.ERASED.4')!.media!;
    expect(document).toMatchObject({ state: 'stored', fileName: `${erasedMarkers.fileName}.pdf`, file: `media/${archive.messages.getByWamid('wamid.ERASED.4')!.id}-${erasedMarkers.fileName}.pdf` });
    expect(image.file).toMatch(/^media\/\d+-image-\d+\.png$/);
    expect(readFileSync(join(result.path, document.file!)).equals(secretDocument)).toBe(true);
    expect(readFileSync(join(result.path, image.file!)).equals(sharedImage)).toBe(true);
    expect(doc.files.map((f) => [f.path, f.sha256, f.size]).sort()).toEqual(
      [
        [document.file, sha256(secretDocument), secretDocument.length],
        [image.file, sha256(sharedImage), sharedImage.length],
      ].sort(),
    );
    expect(readdirSync(join(result.path, 'media')).sort()).toEqual(doc.files.map((f) => f.path.slice('media/'.length)).sort());

    // contact.html: the transcript of their chat (group posts stay in the JSON), the picture inline, the
    // document linked to its copy in media/, nothing that runs.
    const html = readFileSync(join(result.path, 'contact.html'), 'utf8');
    const page = parseHtml(html);
    expect(page.querySelectorAll('script')).toHaveLength(0);
    expect(page.querySelectorAll('article.msg')).toHaveLength(8);
    expect(page.querySelector('h1')!.textContent).toBe(`Conversation with ${erasedMarkers.savedName}`);
    expect(page.querySelector('img')!.getAttribute('src')!.startsWith('data:image/png;base64,')).toBe(true);
    expect(page.querySelector('article[data-type="document"] a')!.getAttribute('href')).toBe(document.file);

    // The audit log learns the id and the counts, nothing else.
    expect(archive.audit.page({ limit: 1 })[0]).toMatchObject({
      action: 'privacy.contact-exported',
      subject: `contact:${contactId}`,
      details: { messages: 9, mediaFiles: 2, bytes: result.bytes },
    });

    // A second export into the same folder gets its own name.
    const again = await exporter.run({ contactId, destinationDir: out, locale: 'zh-CN' });
    expect(again.path).toBe(join(out, `frontdesk-contact-${contactId}-2026-06-20-2`));
    expect(parseHtml(readFileSync(join(again.path, 'contact.html'), 'utf8')).querySelector('h1')!.textContent).toBe(`与 ${erasedMarkers.savedName} 的对话`);
  });

  it('refuses an unknown contact or folder and leaves nothing behind', async () => {
    const { h, audit } = await seedPerson();
    const out = tempDir('frontdesk-export-');
    const exporter = createContactExport({ archive: h.archive, media: h.media, audit, clock: h.clock, logger: h.logger });
    await expect(exporter.run({ contactId: 424242, destinationDir: out, locale: 'en' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(exporter.run({ contactId: 1, destinationDir: join(out, 'nope'), locale: 'en' })).rejects.toMatchObject({ code: 'invalid_request', fields: [{ path: 'destinationDir' }] });
    await expect(exporter.run({ contactId: 1, destinationDir: 'relative/dir', locale: 'en' })).rejects.toMatchObject({ code: 'invalid_request' });
    expect(readdirSync(out)).toEqual([]);
  });
});

it('names bundle files safely whatever the customer called them', () => {
  expect(safeFileName('../../etc/passwd', 'document-1', 'application/pdf')).toBe('_.._etc_passwd');
  expect(safeFileName('C:\\Windows\\win.ini', 'document-1', null)).toBe('C__Windows_win.ini');
  expect(safeFileName('...hidden', 'x', null)).toBe('hidden');
  expect(safeFileName('CON.txt', 'document-7', 'text/plain')).toBe('document-7.txt');
  expect(safeFileName(null, 'image-3', 'image/jpeg')).toBe('image-3.jpg');
  expect(safeFileName('report\u202Efdp.exe', 'd', null)).toBe('report_fdp.exe');
  expect(safeFileName('发票 2026.pdf', 'd', null)).toBe('发票 2026.pdf');
  const long = safeFileName(`${'a'.repeat(300)}.pdf`, 'd', null);
  expect(long).toHaveLength(120);
  expect(long.endsWith('.pdf')).toBe(true);
});
