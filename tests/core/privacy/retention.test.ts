import { describe, expect, it, vi } from 'vitest';
import { automationStore } from '../../../electron/core/automation/repositories/automation-store';
import { createAuditService, createInboxScrub, createRetention, readRetentionMonths, retentionCutoff, saveRetentionSettings, startPrivacyMaintenance } from '../../../electron/core/privacy';
import { monthsBefore } from '../../../electron/core/privacy/retention';
import { startDailySchedule } from '../../../electron/core/privacy/schedule';
import { createConfSettings } from '../../../electron/core/node-ports';
import { tempDir } from '../helpers';
import type { PrivacyHarness } from './privacy-support';
import { createHarness, insert, storeMedia } from './privacy-support';

const london = 'Europe/London';
const hour = 3_600_000;
const day = 24 * hour;

function useLondon(h: PrivacyHarness) {
  const closed = { mode: 'closed' } as const;
  automationStore(h.archive.db).addHoursVersion(
    { timezone: london, week: { mon: closed, tue: closed, wed: closed, thu: closed, fri: closed, sat: closed, sun: closed }, exceptions: [] },
    Date.UTC(2025, 0, 1),
  );
}

describe('retention months', () => {
  it('counts calendar months in the business timezone, clamping to the shorter month, across DST', () => {
    expect(monthsBefore('2026-05-15', 3)).toBe('2026-02-15');
    expect(monthsBefore('2026-03-31', 1)).toBe('2026-02-28');
    expect(monthsBefore('2024-03-31', 1)).toBe('2024-02-29');
    expect(monthsBefore('2026-01-10', 13)).toBe('2024-12-10');
    // 00:30 on 1 April in London is still 31 March in UTC (BST since 29 March): one month back is 1 March
    // 00:00 London time (GMT then), not 28 February as UTC months would have it.
    const now = Date.parse('2026-04-01T00:30:00+01:00');
    expect(new Date(now).toISOString()).toBe('2026-03-31T23:30:00.000Z');
    expect(new Date(retentionCutoff(now, 1, london)).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    // After DST ends (25 October), a cutoff back in summer time is local midnight BST.
    expect(new Date(retentionCutoff(Date.parse('2026-10-31T12:00:00Z'), 1, london)).toISOString()).toBe('2026-09-29T23:00:00.000Z');
    expect(new Date(retentionCutoff(Date.parse('2026-03-31T12:00:00Z'), 6, 'Asia/Shanghai')).toISOString()).toBe('2025-09-29T16:00:00.000Z');
  });
});

describe('retention', () => {
  async function seed() {
    const h = await createHarness(Date.parse('2026-04-01T00:30:00+01:00'));
    useLondon(h);
    const { archive } = h;
    const audit = createAuditService({ archive, settings: createConfSettings(tempDir()) });
    const cutoff = Date.parse('2026-03-01T00:00:00Z');
    const a = archive.contacts.upsertByIdentity({ waId: '447700900001', profileName: 'Old Timer' }).id;
    const b = archive.contacts.upsertByIdentity({ waId: '447700900002', profileName: 'Newcomer' }).id;
    const ca = archive.conversations.getOrCreateForContact(a).conversation.id;
    const cb = archive.conversations.getOrCreateForContact(b).conversation.id;
    const shared = await storeMedia(h, Buffer.from('shared picture bytes'), { mime: 'image/jpeg' });
    const oldOnly = await storeMedia(h, Buffer.from('old only document bytes'), { mime: 'application/pdf', fileName: 'old.pdf' });
    // The same content arrived twice long ago (two rows, one file): released once.
    const twiceA = await storeMedia(h, Buffer.from('forwarded twice bytes'), { mime: 'image/jpeg' });
    const twiceB = await storeMedia(h, Buffer.from('forwarded twice bytes'), { mime: 'image/jpeg' });
    const recent = await storeMedia(h, Buffer.from('recent bytes'), { mime: 'image/jpeg' });
    const label = archive.labels.create({ name: 'Old stuff', colour: 1 });

    const old = [
      insert(archive, { conversationId: ca, wamid: 'old.1', direction: 'in', type: 'text', text: 'ancient zebra words', timestamp: cutoff - 200 * day }),
      insert(archive, { conversationId: ca, wamid: 'old.2', direction: 'in', type: 'image', mediaId: shared.id, timestamp: cutoff - 40 * day }),
      insert(archive, { conversationId: ca, wamid: 'old.3', direction: 'in', type: 'document', caption: 'old invoice', mediaId: oldOnly.id, timestamp: cutoff - 10 * day }),
      insert(archive, { conversationId: ca, wamid: 'old.4', direction: 'out', type: 'text', text: 'old reply', status: 'read', timestamp: cutoff - 2 * hour }),
      insert(archive, { conversationId: cb, wamid: 'old.5', direction: 'in', type: 'image', mediaId: twiceA.id, timestamp: cutoff - 3 * day }),
      insert(archive, { conversationId: cb, wamid: 'old.6', direction: 'in', type: 'image', mediaId: twiceB.id, timestamp: cutoff - 2 * day }),
      // One millisecond before local midnight of 1 March.
      insert(archive, { conversationId: cb, wamid: 'old.7', direction: 'in', type: 'text', text: 'last old words', timestamp: cutoff - 1 }),
    ];
    const kept = [
      insert(archive, { conversationId: cb, wamid: 'new.1', direction: 'in', type: 'text', text: 'exactly at midnight', timestamp: cutoff }),
      insert(archive, { conversationId: ca, wamid: 'new.2', direction: 'in', type: 'image', mediaId: shared.id, timestamp: cutoff + 1 }),
      insert(archive, { conversationId: ca, wamid: 'new.3', direction: 'in', type: 'image', mediaId: recent.id, timestamp: cutoff + 20 * day }),
      insert(archive, { conversationId: cb, wamid: 'new.4', direction: 'out', type: 'text', text: 'fresh giraffe words', status: 'sent', timestamp: cutoff + 29 * day }),
    ];
    archive.labels.assignToMessage(label.id, old[0]!.id);
    archive.reactions.apply({ messageWamid: 'old.1', reactorContactId: null, emoji: '👍', timestamp: cutoff - 199 * day });
    archive.reactions.apply({ messageWamid: 'new.1', reactorContactId: null, emoji: '🎉', timestamp: cutoff + hour });
    archive.statusEvents.record({ wamid: 'old.4', status: 'read', timestamp: cutoff - hour, raw: { id: 'old.4' }, receivedAt: cutoff - hour });
    archive.statusEvents.record({ wamid: 'new.4', status: 'sent', timestamp: cutoff + 29 * day, raw: { id: 'new.4' }, receivedAt: cutoff + 29 * day });
    // Raw bodies: two processed before the cutoff, one processed after, one old one still waiting.
    const body = (n: number) => Buffer.from(JSON.stringify({ object: 'whatsapp_business_account', entry: [], n }));
    const [b1, b2, b3, b4] = archive.webhookInbox.appendMany([
      { body: body(1), receivedAt: cutoff - 100 * day, source: 'direct' },
      { body: body(2), receivedAt: cutoff - 1, source: 'relay' },
      { body: body(3), receivedAt: cutoff + day, source: 'direct' },
      { body: body(4), receivedAt: cutoff - 50 * day, source: 'direct' },
    ]);
    for (const id of [b1!, b2!, b3!]) archive.webhookInbox.markProcessed(id, cutoff + 2 * day);
    expect(b4).toBeDefined();
    return { h, audit, cutoff, old, kept, ca, cb, hashes: { shared: shared.contentHash!, oldOnly: oldOnly.contentHash!, twice: twiceA.contentHash!, recent: recent.contentHash! } };
  }

  it('previews exactly what a run deletes, keeps exactly the newer messages, and releases only unused files', async () => {
    const { h, audit, cutoff, old, kept, ca, cb, hashes } = await seed();
    const { archive } = h;
    const retention = createRetention({ archive, media: h.media, audit, clock: h.clock, logger: h.logger, batchSize: 3 });
    expect(retention.preview()).toMatchObject({ months: 0, cutoff: null, messages: 0 });
    expect(await retention.run()).toMatchObject({ ran: false, messages: 0 });
    expect(archive.db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(11);

    saveRetentionSettings(archive, audit, { months: 1 });
    expect(readRetentionMonths(archive)).toBe(1);
    expect(archive.audit.page({ limit: 1 })[0]).toMatchObject({ action: 'privacy.retention-configured', details: { months: 1 } });
    expect(() => saveRetentionSettings(archive, audit, { months: -1 })).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    expect(() => saveRetentionSettings(archive, audit, { months: 1.5 })).toThrow(expect.objectContaining({ code: 'invalid_request' }));

    const now = h.clock.now();
    const preview = retention.preview(now);
    expect(preview).toEqual({ months: 1, cutoff, timezone: london, messages: 7, mediaFiles: 2, webhookBodies: 2 });

    const result = await retention.run(now);
    expect(result).toEqual({ ...preview, ran: true, walTruncated: true });

    // Exactly the newer messages remain; conversations and contacts stay, their previews follow.
    const remaining = archive.db.prepare<[], string>('SELECT wamid FROM messages ORDER BY timestamp').pluck().all();
    expect(remaining).toEqual(kept.map((m) => m.wamid));
    for (const m of old) expect(archive.messages.get(m.id)).toBeUndefined();
    expect(archive.conversations.get(ca)!.lastMessageId).toBe(kept[2]!.id);
    expect(archive.conversations.get(cb)!.lastMessageId).toBe(kept[3]!.id);
    expect(archive.contacts.findByIdentity({ waId: '447700900001' })).toBeDefined();
    // What belonged to the old messages only went with them.
    expect(archive.labels.ofMessage(old[0]!.id)).toEqual([]);
    expect(archive.reactions.forMessage('old.1')).toEqual([]);
    expect(archive.reactions.forMessage('new.1')).toHaveLength(1);
    expect(archive.statusEvents.forWamid('old.4')).toEqual([]);
    expect(archive.statusEvents.forWamid('new.4')).toHaveLength(1);
    expect(archive.webhookInbox.counts()).toMatchObject({ received: 2, processed: 1, pending: 1 });
    // Files: the one a newer message still shows stays; the old-only ones are gone.
    expect(await h.media.has(hashes.shared)).toBe(true);
    expect(await h.media.has(hashes.recent)).toBe(true);
    expect(await h.media.has(hashes.oldOnly)).toBe(false);
    expect(await h.media.has(hashes.twice)).toBe(false);
    // Search: the old words are gone from the index, the new ones found.
    expect(archive.search.searchMessages({ text: 'zebra' }).items).toEqual([]);
    expect(archive.search.searchMessages({ text: 'giraffe' }).items).toHaveLength(1);

    expect(archive.audit.page({ limit: 1 })[0]).toMatchObject({
      action: 'privacy.retention-run',
      subject: null,
      details: { months: 1, cutoff, messages: 7, mediaFiles: 2, webhookBodies: 2 },
    });
    expect(retention.lastRunAt()).toBe(now);
    // Nothing left to do the same day.
    expect(retention.preview(now)).toMatchObject({ messages: 0, mediaFiles: 0, webhookBodies: 0 });
  });

  it('runs once a day on the clock port, and catches up after a missed day', async () => {
    const { h, audit } = await seed();
    const { archive } = h;
    saveRetentionSettings(archive, audit, { months: 1 });
    const retention = createRetention({ archive, media: h.media, audit, clock: h.clock, logger: h.logger });
    const scrub = createInboxScrub({ archive, audit, logger: h.logger });
    const schedule = startPrivacyMaintenance({ clock: h.clock, logger: h.logger, retention, scrub, startDelayMs: 60_000 });
    const runs = () => archive.audit.page({ limit: 50 }).filter((e) => e.action === 'privacy.retention-run').length;
    const start = h.clock.now();
    expect(schedule.nextRunAt).toBe(start + 60_000);
    expect(runs()).toBe(0);
    h.clock.advance(59_000);
    expect(runs()).toBe(0);
    h.clock.advance(1_000);
    // The run finishes (media files are removed asynchronously), then the next one is set a day later.
    await vi.waitFor(() => expect(schedule.nextRunAt).toBe(start + 60_000 + day));
    expect(runs()).toBe(1);
    expect(archive.db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(4);
    h.clock.advance(day - 1_001);
    expect(runs()).toBe(1);
    h.clock.advance(1_001);
    await vi.waitFor(() => expect(schedule.nextRunAt).toBe(start + 60_000 + 2 * day));
    expect(runs()).toBe(2);
    schedule.stop();
    h.clock.advance(3 * day);
    expect(runs()).toBe(2);

    // A restart: the last run is remembered, so the next one waits for its day; a long gap runs soon after start.
    const restarted = startPrivacyMaintenance({ clock: h.clock, logger: h.logger, retention, scrub, startDelayMs: 60_000 });
    expect(restarted.nextRunAt).toBe(h.clock.now() + 60_000);
    restarted.stop();
    const last = retention.lastRunAt()!;
    const fresh = startDailySchedule({ clock: h.clock, logger: h.logger, task: () => {}, lastRunAt: () => h.clock.now() - hour, startDelayMs: 60_000 });
    expect(fresh.nextRunAt).toBe(h.clock.now() - hour + day);
    fresh.stop();
    expect(last).toBeLessThan(h.clock.now());
  });

  it('logs a failed run and tries again a day later', async () => {
    const h = await createHarness();
    let calls = 0;
    const schedule = startDailySchedule({
      clock: h.clock,
      logger: h.logger,
      lastRunAt: () => null,
      startDelayMs: 0,
      task: () => {
        calls++;
        throw new Error('disk full');
      },
    });
    h.clock.advance(0);
    await vi.waitFor(() => expect(schedule.nextRunAt).toBe(h.clock.now() + day));
    expect(calls).toBe(1);
    expect(h.logs.some((e) => e.level === 'error' && e.message === 'The daily privacy run failed')).toBe(true);
    h.clock.advance(day);
    await vi.waitFor(() => expect(calls).toBe(2));
    schedule.stop();
  });
});
