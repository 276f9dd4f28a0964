import { describe, expect, it } from 'vitest';
import { openArchive } from '../../../electron/core/archive/connection';
import { createTestArchive } from '../../support/archive-helpers';
import { textWebhook } from './receiver-support';

describe('webhook inbox repository', () => {
  it('appends bodies byte for byte and hands them out oldest first', () => {
    const { archive } = createTestArchive();
    const bodies = [textWebhook(1), Buffer.from([0x7b, 0x7d, 0x00, 0xff]), textWebhook(3, '你好 😀')];
    const ids = archive.webhookInbox.appendMany([
      { body: bodies[0]!, receivedAt: 1000, source: 'direct' },
      { body: bodies[1]!, receivedAt: 900, source: 'relay' },
      { body: bodies[2]!, receivedAt: 1100, source: 'sandbox' },
    ]);
    expect(ids).toHaveLength(3);
    expect(ids[0]! < ids[1]! && ids[1]! < ids[2]!).toBe(true);
    expect(archive.webhookInbox.appendMany([])).toEqual([]);

    const rows = archive.webhookInbox.nextUnprocessed(10);
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(rows.map((r) => r.source)).toEqual(['direct', 'relay', 'sandbox']);
    expect(rows.map((r) => r.receivedAt)).toEqual([1000, 900, 1100]);
    rows.forEach((r, i) => {
      expect(Buffer.isBuffer(r.body)).toBe(true);
      expect(Buffer.compare(r.body, bodies[i]!)).toBe(0);
    });
    expect(archive.webhookInbox.nextUnprocessed(2).map((r) => r.id)).toEqual(ids.slice(0, 2));
  });

  it('tracks processed, failed and pending; a failed row leaves the queue until retried', () => {
    const { archive } = createTestArchive();
    const inbox = archive.webhookInbox;
    const [a, b, c, d] = inbox.appendMany([1, 2, 3, 4].map((n) => ({ body: textWebhook(n), receivedAt: n, source: 'direct' as const })));
    expect(inbox.counts()).toEqual({ received: 4, processed: 0, failed: 0, pending: 4, unverified: 0 });
    inbox.markProcessed(a!, 5000);
    inbox.markFailed(b!, 'unknown field shape', 5001);
    expect(inbox.nextUnprocessed(10).map((r) => r.id)).toEqual([c, d]);
    expect(inbox.counts()).toEqual({ received: 4, processed: 1, failed: 1, pending: 2, unverified: 0 });
    const stored = archive.db.prepare('SELECT id, processed_at, error, attempts FROM webhook_inbox ORDER BY id').all();
    expect(stored.slice(0, 2)).toEqual([
      { id: a, processed_at: 5000, error: null, attempts: 1 },
      { id: b, processed_at: 5001, error: 'unknown field shape', attempts: 1 },
    ]);

    expect(inbox.retryFailed()).toBe(1);
    expect(inbox.nextUnprocessed(10).map((r) => r.id)).toEqual([b, c, d]);
    inbox.markProcessed(b!, 6000);
    expect(archive.db.prepare('SELECT error, attempts FROM webhook_inbox WHERE id = ?').get(b)).toEqual({ error: null, attempts: 2 });
    expect(inbox.counts()).toEqual({ received: 4, processed: 2, failed: 0, pending: 2, unverified: 0 });
  });

  it('stores a known external id once and returns the existing id', () => {
    const { archive } = createTestArchive();
    const inbox = archive.webhookInbox;
    const [first] = inbox.appendMany([{ body: textWebhook(1), receivedAt: 1, source: 'relay', externalId: 'evt-1' }]);
    const again = inbox.appendMany([
      { body: textWebhook(1), receivedAt: 2, source: 'relay', externalId: 'evt-1' },
      { body: textWebhook(2), receivedAt: 2, source: 'relay', externalId: 'evt-2' },
      { body: textWebhook(3), receivedAt: 2, source: 'direct' },
      { body: textWebhook(3), receivedAt: 2, source: 'direct' },
    ]);
    expect(again[0]).toBe(first);
    expect(inbox.counts().received).toBe(4);
    expect(inbox.hasExternalId('evt-2')).toBe(true);
    expect(inbox.hasExternalId('evt-3')).toBe(false);
  });

  it('keeps unverified rows out of the queue until their signature is checked', () => {
    const { archive } = createTestArchive();
    const inbox = archive.webhookInbox;
    const [good, forged, plain] = inbox.appendMany([
      { body: textWebhook(1), receivedAt: 1, source: 'spool', verified: false, signature: 'sha256=aa' },
      { body: textWebhook(2), receivedAt: 2, source: 'spool', verified: false, signature: 'sha256=bb' },
      { body: textWebhook(3), receivedAt: 3, source: 'direct' },
    ]);
    expect(inbox.nextUnprocessed(10).map((r) => r.id)).toEqual([plain]);
    expect(inbox.counts()).toMatchObject({ received: 3, pending: 1, unverified: 2 });
    expect(inbox.unverified(10).map((r) => [r.id, r.signature])).toEqual([
      [good, 'sha256=aa'],
      [forged, 'sha256=bb'],
    ]);
    inbox.markVerified(good!);
    inbox.deleteForged(forged!);
    inbox.deleteForged(plain!); // only unverified rows can be deleted this way
    expect(inbox.nextUnprocessed(10).map((r) => r.id)).toEqual([good, plain]);
    expect(inbox.counts()).toMatchObject({ received: 2, pending: 2, unverified: 0 });
  });

  it('survives closing and reopening the encrypted archive', () => {
    const { archive, path, key } = createTestArchive();
    archive.webhookInbox.appendMany([{ body: textWebhook(9), receivedAt: 9, source: 'direct' }]);
    archive.close();
    const reopened = openArchive({ path, key });
    try {
      expect(Buffer.compare(reopened.webhookInbox.nextUnprocessed(1)[0]!.body, textWebhook(9))).toBe(0);
    } finally {
      reopened.close();
    }
  });
});
