/**
 * Draining the durable inbox (DESIGN: Messages in and out): each row processed or failed with its reason,
 * one bad body never blocking the rest, announcements only for what was committed.
 */
import { describe, expect, it } from 'vitest';
import type { InboxSource } from '../../../electron/core/archive/repositories/webhook-inbox';
import { asBody, countOf, createHarness, describeWithFixtures, firstMessage, fixture, rows, unappliedEvents } from './inbound-support';

function append(h: ReturnType<typeof createHarness>, bodies: Array<string | Buffer>, source: InboxSource = 'direct') {
  return h.archive.webhookInbox.appendMany(bodies.map((body) => ({ body: Buffer.isBuffer(body) ? body : Buffer.from(body), receivedAt: h.clock.now(), source })));
}

const inboxRows = (h: ReturnType<typeof createHarness>) =>
  rows(h.archive, 'SELECT id, processed_at AS processedAt, error, attempts FROM webhook_inbox ORDER BY id') as Array<{
    id: number;
    processedAt: number | null;
    error: string | null;
    attempts: number;
  }>;

describe('draining bodies that are not webhooks', () => {
  it('marks malformed JSON and schema-invalid bodies failed with a reason, and carries on', () => {
    const h = createHarness();
    const ids = append(h, ['{"object": "whatsapp_business_account", "entry": [', '{"object":"page","entry":[]}', '{"object":"whatsapp_business_account","entry":[]}']);
    expect(h.processor.drain()).toEqual({ processed: 1, failed: 2, more: false });
    const stored = inboxRows(h);
    expect(stored.map((r) => r.id)).toEqual(ids);
    expect(stored[0]).toMatchObject({ processedAt: h.clock.now(), error: expect.stringMatching(/^invalid_json: Not JSON/) });
    expect(stored[1]).toMatchObject({ processedAt: h.clock.now(), error: expect.stringMatching(/^invalid_webhook: object/) });
    expect(stored[2]).toMatchObject({ processedAt: h.clock.now(), error: null });
    expect(h.archive.webhookInbox.counts()).toMatchObject({ processed: 1, failed: 2, pending: 0 });
    expect(h.processor.drain()).toEqual({ processed: 0, failed: 0, more: false });
    expect(h.logs.some((l) => l.level === 'warn' && l.message === 'A webhook body was refused')).toBe(true);
  });

  it('refuses bad bodies in processBody as results, never as exceptions', () => {
    const h = createHarness();
    expect(h.processor.processBody('not json', 0)).toMatchObject({ ok: false, error: { code: 'invalid_json' } });
    expect(h.processor.processBody(Buffer.from('{"object":"whatsapp_business_account"}'), 0)).toMatchObject({
      ok: false,
      error: { code: 'invalid_webhook', message: expect.stringContaining('entry') },
    });
  });
});

describeWithFixtures('draining the inbox', () => {
  it('processes rows in order, marks them processed and announces after commit', () => {
    const h = createHarness();
    const broken = fixture('webhook-text.json');
    delete firstMessage(broken).text;
    append(h, [asBody(fixture('webhook-text.json')), '{oops', asBody(broken), asBody(fixture('webhook-image.json')), asBody(fixture('status-sent.json'))]);
    expect(h.processor.drain()).toEqual({ processed: 3, failed: 2, more: false });
    const stored = inboxRows(h);
    expect(stored.map((r) => r.error === null)).toEqual([true, false, false, true, true]);
    expect(stored[2]!.error).toMatch(/^invalid_webhook: messages: .*messages\.0\.text/);
    // The image shares the text's wamid in Meta's examples: a duplicate, stored once.
    expect(countOf(h.archive, 'messages')).toBe(1);
    expect(unappliedEvents(h.archive)).toBe(1);
    expect(h.eventsNamed('messages:received')).toHaveLength(1);
  });

  it('fails only the body that breaks while applied, after retrying the batch one by one', () => {
    const h = createHarness();
    const poison = fixture('webhook-text.json');
    firstMessage(poison).id = 'wamid.poison';
    const good = fixture('webhook-document.json');
    firstMessage(good).id = 'wamid.good';
    // A real database failure in the middle of the batch.
    h.archive.db.exec(`CREATE TEMP TRIGGER poison BEFORE INSERT ON messages WHEN NEW.wamid = 'wamid.poison' BEGIN SELECT RAISE(ABORT, 'poisoned'); END`);
    append(h, [asBody(fixture('webhook-text.json')), asBody(poison), asBody(good), asBody(fixture('webhook-template-status-approved.json'))]);

    expect(h.processor.drain()).toEqual({ processed: 3, failed: 1, more: false });
    expect(inboxRows(h).map((r) => r.error)).toEqual([null, expect.stringMatching(/^processing_failed: .*poisoned/), null, null]);
    expect(h.archive.messages.getByWamid('wamid.poison')).toBeUndefined();
    expect(h.archive.messages.getByWamid('wamid.good')).toBeDefined();
    expect(h.archive.templates.list()).toHaveLength(1);
    // The rolled-back batch announced nothing; each committed row once.
    expect(h.eventsNamed('messages:received').map((e) => e.type)).toEqual(['text', 'document']);
    expect(h.eventsNamed('templates:changed')).toHaveLength(1);
    expect(h.media).toHaveLength(1);
    // Nothing of the poisoned body reached the search index or the media table.
    expect(countOf(h.archive, 'media')).toBe(1);
    expect(h.archive.search.searchMessages({ text: 'color' }).items).toHaveLength(1);
    expect(h.logs.some((l) => l.level === 'error' && l.message === 'A webhook body could not be applied')).toBe(true);
  });

  it('drains everything in batches', () => {
    const h = createHarness();
    const bodies = Array.from({ length: 25 }, (_, i) => {
      const body = fixture('webhook-text.json');
      firstMessage(body).id = `wamid.drain.${i}`;
      firstMessage(body).timestamp = String(1750000000 + i);
      return asBody(body);
    });
    append(h, bodies, 'relay');
    expect(h.processor.drain(10)).toEqual({ processed: 10, failed: 0, more: true });
    expect(h.processor.drainAll(10)).toEqual({ processed: 15, failed: 0, more: false });
    expect(countOf(h.archive, 'messages')).toBe(25);
    expect(h.archive.conversations.page().items[0]).toMatchObject({ unreadCount: 25, lastActivityAt: (1750000000 + 24) * 1000 });
  });

  it('applies waiting statuses whose message was stored since, in a sweep at most once a minute', () => {
    const h = createHarness();
    append(h, [asBody(fixture('status-delivered-cbp.json'))]);
    h.processor.drain();
    expect(unappliedEvents(h.archive)).toBe(1);
    // The outbox stores the message without telling the processor.
    const contactId = h.archive.contacts.upsertByIdentity({ waId: '16505551234' }).id;
    const conversationId = h.archive.conversations.getOrCreateForContact(contactId).conversation.id;
    const id = h.archive.messages.insert({
      conversationId, wamid: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0YA', direction: 'out', type: 'text', text: 'Hi', status: 'pending', timestamp: 1750263700000,
    }).id;
    append(h, [asBody(fixture('webhook-text.json'))]);
    h.processor.drain();
    expect(h.archive.messages.get(id)!.status).toBe('pending');
    h.clock.advance(60_000);
    append(h, [asBody(fixture('webhook-video.json'))]);
    h.processor.drain();
    expect(h.archive.messages.get(id)).toMatchObject({ status: 'delivered', statusAt: 1750263773000 });
  });

  it('drains an inbox given as a port (the relay or a test double)', () => {
    const h = createHarness();
    const marked: string[] = [];
    const queue = [{ id: 7, receivedAt: 1, source: 'sandbox' as const, body: Buffer.from(asBody(fixture('webhook-video.json'))) }];
    const inbox = {
      nextUnprocessed: (limit: number) => queue.splice(0, limit),
      markProcessed: (id: number) => void marked.push(`processed ${id}`),
      markFailed: (id: number, error: string) => void marked.push(`failed ${id}: ${error}`),
    };
    const port = createHarness({ archive: h.archive, inbox });
    expect(port.processor.drainAll()).toEqual({ processed: 1, failed: 0, more: false });
    expect(marked).toEqual(['processed 7']);
    expect(port.eventsNamed('messages:received')).toEqual([expect.objectContaining({ type: 'video' })]);
  });
});
