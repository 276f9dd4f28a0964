import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Archive } from '../../../electron/core/archive';
import { automationStore } from '../../../electron/core/automation/repositories/automation-store';
import { createAuditService } from '../../../electron/core/privacy';
import { exportTranscript, renderTranscriptToString } from '../../../electron/core/transcript';
import { createConfSettings } from '../../../electron/core/node-ports';
import { tempDir } from '../helpers';
import type { PrivacyHarness } from '../privacy/privacy-support';
import { createHarness, insert, parseHtml, pngBytes, storeMedia } from '../privacy/privacy-support';

const zone = 'Asia/Shanghai';
/** Local wall time in Shanghai (UTC+8, no DST) as an instant. */
const sh = (date: string, time: string) => Date.parse(`${date}T${time}:00+08:00`);
const pdfBytes = Buffer.from('%PDF-1.4\n% a tiny invoice\n');

/** One conversation with every kind of bubble a transcript has to show, over three days. */
async function seedConversation(h: PrivacyHarness) {
  const { archive } = h;
  archive.staff.create({ id: 'staff-ana', name: 'Ana 安娜', pinHash: null });
  const { id: contactId } = archive.contacts.upsertByIdentity({ waId: '8613800138000', phone: '8613800138000', profileName: 'li wei' });
  archive.contacts.update(contactId, { savedName: 'Li Wei 李伟' });
  const conversationId = archive.conversations.getOrCreateForContact(contactId).conversation.id;
  const base = { conversationId };
  const image = await storeMedia(h, pngBytes, { mime: 'image/png', fileName: null });
  const pdf = await storeMedia(h, pdfBytes, { mime: 'application/pdf', fileName: 'invoice.pdf' });

  const hello = insert(archive, { ...base, wamid: 'w.hello', direction: 'in', type: 'text', text: 'Hello\nsecond line', timestamp: sh('2026-03-01', '09:00') });
  insert(archive, { ...base, wamid: 'w.reply', direction: 'out', type: 'text', text: 'Hi Li, how can we help?', replyToWamid: 'w.hello', senderStaffId: 'staff-ana', status: 'read', statusAt: sh('2026-03-01', '09:07'), timestamp: sh('2026-03-01', '09:05') });
  insert(archive, { ...base, wamid: 'w.script', direction: 'in', type: 'text', text: '<script>alert(1)</script>', timestamp: sh('2026-03-01', '09:06') });
  insert(archive, { ...base, wamid: 'w.image', direction: 'in', type: 'image', caption: 'Receipt photo', mediaId: image.id, payload: { type: 'image', image: { caption: 'Receipt photo' } }, timestamp: sh('2026-03-02', '10:00') });
  archive.reactions.apply({ messageWamid: 'w.image', reactorContactId: null, emoji: '👍', timestamp: sh('2026-03-02', '10:02'), senderStaffId: 'staff-ana' });
  archive.reactions.apply({ messageWamid: 'w.image', reactorContactId: contactId, emoji: '❤️', timestamp: sh('2026-03-02', '10:03') });
  insert(archive, { ...base, wamid: 'w.greeting', direction: 'out', type: 'text', text: 'Thanks for writing!', automatic: 'greeting', status: 'delivered', timestamp: sh('2026-03-02', '10:01') });
  insert(archive, {
    ...base,
    wamid: 'w.location',
    direction: 'in',
    type: 'location',
    payload: { type: 'location', location: { latitude: 37.44221496582, longitude: -122.16165924072, name: 'Philz <Coffee>', address: '101 Forest Ave, Palo Alto' } },
    timestamp: sh('2026-03-02', '11:00'),
  });
  const edited = insert(archive, { ...base, wamid: 'w.edited', direction: 'in', type: 'text', text: 'first version', timestamp: sh('2026-03-02', '12:00') });
  archive.messages.applyEdit(edited.id, { text: 'second version', caption: null, editedAt: sh('2026-03-02', '12:01') });
  const revoked = insert(archive, { ...base, wamid: 'w.revoked', direction: 'in', type: 'text', text: 'oops wrong chat', timestamp: sh('2026-03-02', '12:30') });
  archive.statusEvents.applyRevoke(revoked.id, sh('2026-03-02', '12:31'));
  insert(archive, {
    ...base,
    wamid: 'w.template',
    direction: 'out',
    type: 'template',
    text: 'Your order 123 has shipped',
    payload: { type: 'template', template: { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: '123' }] }] } },
    senderStaffId: 'staff-ana',
    status: 'failed',
    errorCode: 131047,
    errorTitle: 'Re-engagement message',
    timestamp: sh('2026-03-03', '08:00'),
  });
  insert(archive, { ...base, wamid: 'w.pdf', direction: 'in', type: 'document', caption: 'my invoice', mediaId: pdf.id, payload: { type: 'document', document: { filename: 'invoice.pdf' } }, timestamp: sh('2026-03-03', '08:30') });
  // A reaction the business sent is stored as a message too; the transcript shows it on its target only.
  insert(archive, { ...base, clientId: 'c.reaction', direction: 'out', type: 'reaction', text: '👍', status: 'sent', timestamp: sh('2026-03-02', '10:02') });
  return { contactId, conversationId, hello };
}

const deps = (h: PrivacyHarness) => ({ archive: h.archive, media: h.media, clock: h.clock });

function articles(doc: ReturnType<typeof parseHtml>) {
  return [...doc.querySelectorAll('article.msg')];
}
type Bubble = ReturnType<typeof articles>[number];

describe('transcript', () => {
  it('shows every message in order, escaped, with senders, quotes, reactions, edits, revokes, media and maps — and no script', async () => {
    const h = await createHarness();
    const { conversationId } = await seedConversation(h);
    const html = await renderTranscriptToString(deps(h), { conversationId, locale: 'en', timezone: zone, businessName: 'Harbour Clinic' });
    const doc = parseHtml(html);

    // Nothing runs: no script element anywhere, and a CSP that allows only data: images and inline styles.
    expect(doc.querySelectorAll('script')).toHaveLength(0);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    const csp = doc.querySelector('meta[http-equiv="Content-Security-Policy"]')!.getAttribute('content');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('img-src data:');
    expect(csp).not.toContain('script-src');

    const list = articles(doc);
    expect(list.map((a) => a.getAttribute('data-type'))).toEqual(['text', 'text', 'text', 'image', 'text', 'location', 'text', 'text', 'template', 'document']);
    // Times in order, in the requested zone, and three day separators.
    const times = list.map((a) => Date.parse(a.querySelector('time')!.getAttribute('datetime')!));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(list.map((a) => a.querySelector('time')!.textContent)).toEqual(['09:00', '09:05', '09:06', '10:00', '10:01', '11:00', '12:00', '12:30', '08:00', '08:30']);
    expect([...doc.querySelectorAll('section.day')].map((s) => s.getAttribute('data-date'))).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);

    const [hello, reply, script, image, greeting, location, edited, revoked, template, pdf] = list as [Bubble, Bubble, Bubble, Bubble, Bubble, Bubble, Bubble, Bubble, Bubble, Bubble];
    // Text with its line break, kept as text.
    expect(hello.querySelector('.text')!.textContent).toBe('Hello\nsecond line');
    expect(hello.querySelector('.sender')!.textContent).toBe('Li Wei 李伟');
    // The script is text, not an element.
    expect(script.querySelector('.text')!.textContent).toBe('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // Staff, automatic, and the quoted message.
    expect(reply.querySelector('.sender')!.textContent).toBe('Ana 安娜');
    expect(reply.querySelector('blockquote')!.textContent).toContain('Replying to Li Wei 李伟');
    expect(reply.querySelector('blockquote .text')!.textContent).toBe('Hello\nsecond line');
    expect(reply.querySelector('.status')!.textContent).toMatch(/^Read · /);
    expect(greeting.querySelector('.sender')!.textContent).toBe('Automatic reply (greeting)');
    // The picture itself, inline, with its reactions.
    const img = image.querySelector('img')!;
    const src = img.getAttribute('src')!;
    expect(src.startsWith('data:image/png;base64,')).toBe(true);
    expect(Buffer.from(src.slice('data:image/png;base64,'.length), 'base64').equals(pngBytes)).toBe(true);
    expect(img.getAttribute('alt')).toBe('Receipt photo');
    expect(image.querySelector('.reactions')!.textContent).toBe('👍 Ana 安娜 · ❤️ Li Wei 李伟');
    // A map link built from the coordinates, https, and the place name escaped.
    const map = location.querySelector('a')!.getAttribute('href')!;
    expect(new URL(map).protocol).toBe('https:');
    expect(map).toBe('https://www.openstreetmap.org/?mlat=37.442215&mlon=-122.161659#map=16/37.442215/-122.161659');
    expect(location.textContent).toContain('Philz <Coffee>');
    // Edits and revokes as the chat shows them.
    expect(edited.querySelector('.text')!.textContent).toBe('second version');
    expect(edited.textContent).toContain('Edited');
    expect(revoked.textContent).toContain('This message was deleted.');
    expect(html).not.toContain('oops wrong chat');
    // The template as sent, and its failure in words.
    expect(template.textContent).toContain('Template “order_update”');
    expect(template.querySelector('.text')!.textContent).toBe('Your order 123 has shipped');
    expect(template.querySelector('.status')!.textContent).toContain('131047 Re-engagement message');
    // A small document travels inside the file as a download link.
    const link = pdf.querySelector('a')!;
    expect(link.getAttribute('download')).toBe('invoice.pdf');
    expect(Buffer.from(link.getAttribute('href')!.replace(/^data:application\/pdf;base64,/, ''), 'base64').equals(pdfBytes)).toBe(true);

    // Header: who, how many, which zone. Print styles: bubbles never split.
    expect(doc.querySelector('h1')!.textContent).toBe('Conversation with Li Wei 李伟');
    expect(doc.querySelector('header')!.textContent).toContain('+8613800138000');
    expect(doc.querySelector('header')!.textContent).toContain('10 messages');
    expect(doc.querySelector('header')!.textContent).toContain('Times in Asia/Shanghai');
    const style = doc.querySelector('style')!.textContent;
    expect(style).toMatch(/@media print[\s\S]*article\.msg[^{]*\{[^}]*break-inside: avoid/);
    expect(style).not.toMatch(/(^|[^-])height:\s*\d/);
  });

  it('honours a date range in the business timezone', async () => {
    const h = await createHarness();
    const { conversationId } = await seedConversation(h);
    const html = await renderTranscriptToString(deps(h), { conversationId, locale: 'en', timezone: zone, from: '2026-03-02', to: '2026-03-02' });
    const doc = parseHtml(html);
    expect([...doc.querySelectorAll('section.day')].map((s) => s.getAttribute('data-date'))).toEqual(['2026-03-02']);
    expect(articles(doc).map((a) => a.getAttribute('data-type'))).toEqual(['image', 'text', 'location', 'text', 'text']);
    // A quote outside the range is still shown (it is looked up wherever it is).
    expect(doc.querySelector('header')!.textContent).toContain('5 messages');

    // Open-ended ranges.
    const fromOnly = parseHtml(await renderTranscriptToString(deps(h), { conversationId, locale: 'en', timezone: zone, from: '2026-03-03' }));
    expect(articles(fromOnly)).toHaveLength(2);
    const toOnly = parseHtml(await renderTranscriptToString(deps(h), { conversationId, locale: 'en', timezone: zone, to: '2026-03-01' }));
    expect(articles(toOnly)).toHaveLength(3);
    const none = parseHtml(await renderTranscriptToString(deps(h), { conversationId, locale: 'en', timezone: zone, from: '2026-04-01', to: '2026-04-30' }));
    expect(articles(none)).toHaveLength(0);
    expect(none.querySelector('.empty')!.textContent).toBe('No messages in this range.');
  });

  it('uses the business hours timezone by default, and writes Chinese headings when asked', async () => {
    const h = await createHarness();
    const { conversationId } = await seedConversation(h);
    const closed = { mode: 'closed' } as const;
    automationStore(h.archive.db).addHoursVersion(
      { timezone: 'America/New_York', week: { mon: closed, tue: closed, wed: closed, thu: closed, fri: closed, sat: closed, sun: closed }, exceptions: [] },
      Date.UTC(2026, 0, 1),
    );
    const html = await renderTranscriptToString(deps(h), { conversationId, locale: 'zh-CN' });
    const doc = parseHtml(html);
    expect(doc.documentElement.getAttribute('lang')).toBe('zh-CN');
    expect(doc.querySelector('h1')!.textContent).toBe('与 Li Wei 李伟 的对话');
    expect(doc.querySelector('header')!.textContent).toContain('时区：America/New_York');
    expect(doc.querySelector('header')!.textContent).toContain('共 10 条消息');
    // 09:00 in Shanghai on 1 March is 20:00 on 28 February in New York.
    expect(articles(doc)[0]!.querySelector('time')!.textContent).toBe('20:00');
    expect([...doc.querySelectorAll('section.day')].map((s) => s.getAttribute('data-date'))).toEqual(['2026-02-28', '2026-03-01', '2026-03-02']);
    expect(articles(doc)[4]!.querySelector('.sender')!.textContent).toBe('自动回复（问候语）');
    expect(doc.querySelector('footer')!.textContent).toContain('由 Frontdesk 导出');
  });

  it('refuses bad requests with stable codes', async () => {
    const h = await createHarness();
    const { conversationId } = await seedConversation(h);
    await expect(renderTranscriptToString(deps(h), { conversationId, locale: 'en', from: '2026-03-05', to: '2026-03-01' })).rejects.toMatchObject({
      code: 'invalid_request',
      fields: [{ path: 'to' }],
    });
    await expect(renderTranscriptToString(deps(h), { conversationId, locale: 'en', from: '2026-02-30' })).rejects.toMatchObject({ code: 'invalid_request', fields: [{ path: 'from' }] });
    await expect(renderTranscriptToString(deps(h), { conversationId, locale: 'fr' })).rejects.toMatchObject({ code: 'invalid_request', fields: [{ path: 'locale' }] });
    await expect(renderTranscriptToString(deps(h), { conversationId, locale: 'en', timezone: 'Mars/Olympus' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(renderTranscriptToString(deps(h), { conversationId: 9999, locale: 'en' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('writes the file under a temporary name, then renames it, and records the export in the audit log by id only', async () => {
    const h = await createHarness();
    const { conversationId } = await seedConversation(h);
    const out = tempDir('frontdesk-transcript-');
    const audit = createAuditService({ archive: h.archive, settings: createConfSettings(tempDir()) });
    const destination = join(out, 'Li Wei.html');
    const result = await exportTranscript({ ...deps(h), audit }, { conversationId, locale: 'en', from: '2026-03-01', to: '2026-03-02' }, destination);
    expect(result).toMatchObject({ path: destination, messages: 8, mediaEmbedded: 1 });
    expect(readdirSync(out)).toEqual(['Li Wei.html']);
    expect(readFileSync(destination).length).toBe(result.bytes);
    const [entry] = h.archive.audit.page({ limit: 1 });
    expect(entry).toMatchObject({ action: 'privacy.transcript-exported', subject: `conversation:${conversationId}`, details: { messages: 8, mediaEmbedded: 1, from: '2026-03-01', to: '2026-03-02' } });

    // A folder that does not exist is refused before anything is written.
    await expect(exportTranscript({ ...deps(h), audit }, { conversationId, locale: 'en' }, join(out, 'missing', 'x.html'))).rejects.toMatchObject({
      code: 'invalid_request',
      fields: [{ path: 'destination' }],
    });
    await expect(exportTranscript({ ...deps(h), audit }, { conversationId, locale: 'en' }, 'relative.html')).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('streams a 10,000-message conversation to a file', async () => {
    const h = await createHarness();
    const archive: Archive = h.archive;
    const { id: contactId } = archive.contacts.upsertByIdentity({ waId: '447700900123', profileName: 'Long Talker' });
    const conversationId = archive.conversations.getOrCreateForContact(contactId).conversation.id;
    const start = Date.UTC(2025, 0, 1);
    archive.transaction(() => {
      for (let i = 0; i < 10_000; i++) {
        archive.messages.insert({ conversationId, wamid: `w.${i}`, direction: i % 3 === 0 ? 'out' : 'in', type: 'text', text: `message number ${i} <b>`, status: i % 3 === 0 ? 'delivered' : null, timestamp: start + i * 37 * 60_000 });
      }
    });
    const out = tempDir('frontdesk-transcript-');
    const destination = join(out, 'long.html');
    const result = await exportTranscript(deps(h), { conversationId, locale: 'en', timezone: 'Europe/London' }, destination, { pageSize: 500 });
    expect(result.messages).toBe(10_000);
    const html = readFileSync(destination, 'utf8');
    const ids = [...html.matchAll(/<article class="msg [^"]*" id="m(\d+)"/g)].map((m) => Number(m[1]));
    expect(ids).toHaveLength(10_000);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(html).toContain('message number 9999 &lt;b&gt;');
    expect(html).not.toContain('<b>');
    // One separator per local day: 10,000 × 37 minutes spans 257 days.
    expect(html.match(/<section class="day"/g)).toHaveLength(257);
    expect(readdirSync(out)).toEqual(['long.html']);
  }, 60_000);
});
