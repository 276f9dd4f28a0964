/**
 * The archive repositories the inbound processor writes through (status events, reactions, templates,
 * marketing preferences), the health notes and the window rule, on a real archive. No fixtures needed.
 */
import { describe, expect, it } from 'vitest';
import type { Archive } from '../../../electron/core/archive/connection';
import { createHealthStore, readInboundHealth } from '../../../electron/core/cloud/inbound/health';
import { serviceWindowMs, windowState } from '../../../electron/core/cloud/inbound/window';
import { createTestArchive } from '../../support/archive-helpers';
import { unappliedEvents } from './inbound-support';

function outbound(archive: Archive, wamid: string | null, clientId: string) {
  const contactId = archive.contacts.upsertByIdentity({ waId: '8613800000001' }).id;
  const conversationId = archive.conversations.getOrCreateForContact(contactId).conversation.id;
  return archive.messages.insert({ conversationId, wamid, clientId, direction: 'out', type: 'text', text: '您好', status: 'pending', timestamp: 1000 }).id;
}

describe('status events repository', () => {
  it('stores an event once and finds the ones waiting for a message by wamid or client id', () => {
    const { archive } = createTestArchive();
    const e = { wamid: 'w1', status: 'sent', timestamp: 5000, clientId: 'c1', raw: { id: 'w1' }, receivedAt: 1 };
    expect(archive.statusEvents.record(e).inserted).toBe(true);
    const again = archive.statusEvents.record({ ...e, receivedAt: 2 });
    expect(again).toMatchObject({ inserted: false, event: { receivedAt: 1, applied: false } });
    archive.statusEvents.record({ wamid: 'w1', status: 'read', timestamp: 9000, raw: {}, receivedAt: 3 });
    expect(archive.statusEvents.pendingFor({ wamid: null, clientId: 'c1' }).map((x) => x.status)).toEqual(['sent']);
    expect(archive.statusEvents.pendingFor({ wamid: 'w1', clientId: 'c1' }).map((x) => x.status)).toEqual(['sent', 'read']);
    expect(archive.statusEvents.pendingWithStoredMessage(10)).toEqual([]);

    const id = outbound(archive, null, 'c1');
    expect(archive.statusEvents.pendingWithStoredMessage(10).map((p) => [p.event.status, p.messageId])).toEqual([['sent', id]]);
    expect(archive.statusEvents.assignWamid(id, 'w1')).toBe(true);
    expect(archive.statusEvents.pendingWithStoredMessage(10).map((p) => p.event.status).sort()).toEqual(['read', 'sent']);
    archive.statusEvents.markApplied(again.event.id);
    expect(unappliedEvents(archive)).toBe(1);
  });

  it('ranks delivery statuses and never moves a message back', () => {
    const { archive } = createTestArchive();
    const id = outbound(archive, 'w2', 'c2');
    const apply = (status: 'sent' | 'delivered' | 'read' | 'played' | 'failed', at: number, errorCode: number | null = null) =>
      archive.statusEvents.applyDeliveryStatus(id, { status, at, errorCode, errorTitle: errorCode ? 'Failed' : null });
    expect(apply('read', 30)).toBe(true);
    expect(apply('delivered', 20)).toBe(false);
    expect(apply('failed', 25, 131049)).toBe(false);
    expect(apply('read', 40)).toBe(false);
    expect(apply('read', 29)).toBe(true);
    expect(archive.messages.get(id)).toMatchObject({ status: 'read', statusAt: 29, errorCode: null });
    expect(apply('played', 50)).toBe(true);
  });

  it('does not give a wamid another message already has', () => {
    const { archive } = createTestArchive();
    outbound(archive, 'taken', 'c3');
    const id = outbound(archive, null, 'c4');
    expect(archive.statusEvents.assignWamid(id, 'taken')).toBe(false);
    expect(archive.messages.get(id)!.wamid).toBeNull();
  });

  it('empties a revoked message and its search entry, once', () => {
    const { archive } = createTestArchive();
    const contactId = archive.contacts.upsertByIdentity({ waId: '8613800000002' }).id;
    const conversationId = archive.conversations.getOrCreateForContact(contactId).conversation.id;
    const media = archive.media.create({ state: 'pending', metaMediaId: 'm1' });
    const id = archive.messages.insert({ conversationId, wamid: 'w3', direction: 'in', type: 'image', caption: '发票照片 invoice', payload: { image: { id: 'm1' } }, mediaId: media.id, timestamp: 1000 }).id;
    expect(archive.search.searchMessages({ text: 'invoice' }).items).toHaveLength(1);
    expect(archive.statusEvents.applyRevoke(id, 5000)).toBe(true);
    expect(archive.statusEvents.applyRevoke(id, 6000)).toBe(false);
    expect(archive.statusEvents.applyRevoke(id, 4000)).toBe(true);
    expect(archive.messages.get(id)).toMatchObject({ type: 'image', caption: null, payloadJson: null, mediaId: null, revokedAt: 4000 });
    expect(archive.search.searchMessages({ text: 'invoice' }).items).toEqual([]);
  });
});

describe('reactions repository', () => {
  it('keeps the newest reaction per reactor, with a fixed rule for equal times', () => {
    const { archive } = createTestArchive();
    const a = archive.contacts.upsertByIdentity({ waId: '1' }).id;
    const b = archive.contacts.upsertByIdentity({ waId: '2' }).id;
    expect(archive.reactions.apply({ messageWamid: 'm', reactorContactId: a, emoji: '👍', timestamp: 10, wamid: 'r1' })).toBe(true);
    expect(archive.reactions.apply({ messageWamid: 'm', reactorContactId: a, emoji: '😂', timestamp: 5, wamid: 'r0' })).toBe(false);
    expect(archive.reactions.apply({ messageWamid: 'm', reactorContactId: b, emoji: '🙏', timestamp: 7, wamid: 'r2' })).toBe(true);
    expect(archive.reactions.apply({ messageWamid: 'm', reactorContactId: null, emoji: '❤️', timestamp: 8, senderStaffId: 'staff-1' })).toBe(true);
    expect(archive.reactions.forMessage('m').map((r) => [r.reactorContactId, r.emoji])).toEqual([
      [b, '🙏'],
      [null, '❤️'],
      [a, '👍'],
    ]);
    // Same time: a removal beats a reaction, whichever is applied first.
    expect(archive.reactions.apply({ messageWamid: 'm', reactorContactId: a, emoji: '', timestamp: 10, wamid: 'r3' })).toBe(true);
    expect(archive.reactions.apply({ messageWamid: 'm', reactorContactId: a, emoji: '👍', timestamp: 10, wamid: 'r1' })).toBe(false);
    expect(archive.reactions.get('m', a)).toMatchObject({ emoji: null, timestamp: 10 });
    expect(archive.reactions.forMessage('m')).toHaveLength(2);
  });
});

describe('templates repository', () => {
  const base = { metaId: '111', name: 'order_update', language: 'en_US' };

  it('creates a template a webhook names before any sync, and applies each aspect by its own time', () => {
    const { archive } = createTestArchive();
    expect(archive.templates.applyWebhook({ ...base, at: 100, quality: 'GREEN' })).toMatchObject({ created: true, changed: true, template: { status: 'UNKNOWN', category: 'UNKNOWN', quality: 'GREEN' } });
    archive.templates.applyWebhook({ ...base, at: 300, status: { value: 'PAUSED', rejectionReason: null } });
    // An older status and quality arrive late: ignored. An older category is still the newest category news.
    expect(archive.templates.applyWebhook({ ...base, at: 200, status: { value: 'APPROVED', rejectionReason: null }, category: 'UTILITY', quality: 'RED' })).toMatchObject({
      changed: true,
      template: { status: 'PAUSED', category: 'UTILITY', quality: 'RED' },
    });
    expect(archive.templates.applyWebhook({ ...base, at: 50, quality: 'YELLOW' }).changed).toBe(false);
    expect(archive.templates.applyWebhook({ ...base, at: 300, status: { value: 'PAUSED', rejectionReason: null } }).changed).toBe(false);
  });

  it('lets a sync override older webhook news and keeps the newer', () => {
    const { archive } = createTestArchive();
    archive.templates.applyWebhook({ ...base, at: 100, status: { value: 'PENDING', rejectionReason: null } });
    const synced = archive.templates.upsertSynced(
      { ...base, category: 'UTILITY', status: 'APPROVED', parameterFormat: 'positional', components: [{ type: 'BODY', text: 'Order {{1}} shipped' }] },
      1_000,
    );
    expect(archive.templates.list()).toHaveLength(1);
    expect(synced).toMatchObject({ status: 'APPROVED', syncedAt: 1000, parameterFormat: 'positional', componentsJson: '[{"type":"BODY","text":"Order {{1}} shipped"}]' });
    expect(archive.templates.applyWebhook({ ...base, at: 900, status: { value: 'REJECTED', rejectionReason: 'old' } }).changed).toBe(false);
    expect(archive.templates.applyWebhook({ ...base, at: 1100, status: { value: 'REJECTED', rejectionReason: 'Too promotional' } }).template).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'Too promotional',
    });
  });

  it('follows a template deleted and made again under the same name with a new id', () => {
    const { archive } = createTestArchive();
    archive.templates.applyWebhook({ ...base, at: 100, status: { value: 'APPROVED', rejectionReason: null } });
    const again = archive.templates.applyWebhook({ ...base, metaId: '222', at: 200, status: { value: 'PENDING', rejectionReason: null } });
    expect(again.template).toMatchObject({ metaId: '222', status: 'PENDING' });
    expect(archive.templates.list()).toHaveLength(1);
  });
});

describe('contact preferences repository', () => {
  it('applies marketing stop and resume by their own time; a stop wins a tie', () => {
    const { archive } = createTestArchive();
    const id = archive.contacts.upsertByIdentity({ waId: '3' }).id;
    const apply = (optedOut: boolean, at: number) => archive.contactPreferences.applyMarketingPreference(id, { optedOut, at });
    expect(apply(false, 200)).toBe(true);
    expect(apply(true, 100)).toBe(false);
    expect(archive.contacts.get(id)).toMatchObject({ marketingOptOut: false, marketingOptOutAt: 200 });
    expect(apply(true, 200)).toBe(true);
    expect(apply(false, 200)).toBe(false);
    expect(apply(true, 200)).toBe(false);
    expect(archive.contacts.get(id)).toMatchObject({ marketingOptOut: true, marketingOptOutAt: 200 });
  });
});

describe('the 24-hour window', () => {
  it('is open for 24 hours after the last inbound message, closed otherwise, read-only in groups', () => {
    const last = Date.UTC(2026, 5, 1, 8, 0, 0);
    expect(windowState({ lastInboundAt: last, groupId: null }, last + 1000)).toEqual({ state: 'open', opensAt: last, closesAt: last + serviceWindowMs, remainingMs: serviceWindowMs - 1000 });
    expect(windowState({ lastInboundAt: last, groupId: null }, last + serviceWindowMs)).toEqual({ state: 'closed', closedAt: last + serviceWindowMs });
    expect(windowState({ lastInboundAt: null, groupId: null }, last)).toEqual({ state: 'closed', closedAt: null });
    expect(windowState({ lastInboundAt: last, groupId: 'G1' }, last)).toEqual({ state: 'read_only' });
  });
});

describe('health notes', () => {
  it('keeps the newest notice per key, in a fixed order, whatever the arrival order', () => {
    const alerts = [
      { entityType: 'BUSINESS', entityId: '1', type: 'A', severity: 'WARNING', status: 'ACTIVE', description: null, at: 10 },
      { entityType: 'BUSINESS', entityId: '1', type: 'A', severity: 'WARNING', status: 'RESOLVED', description: null, at: 20 },
      { entityType: 'WABA', entityId: '2', type: 'B', severity: 'CRITICAL', status: 'ACTIVE', description: 'x', at: 15 },
    ];
    const results = [alerts, [...alerts].reverse()].map((order) => {
      const { archive } = createTestArchive();
      const health = createHealthStore(archive.settings);
      for (const alert of order) health.accountAlert(alert);
      expect(health.accountAlert(alerts[1]!)).toBe(false);
      return readInboundHealth(archive.settings).accountAlerts;
    });
    expect(results[0]).toEqual([alerts[1], alerts[2]]);
    expect(results[1]).toEqual(results[0]);
  });

  it('keeps the latest phone quality and at most 20 webhook errors', () => {
    const { archive } = createTestArchive();
    const health = createHealthStore(archive.settings);
    const quality = { displayPhoneNumber: '1', event: 'FLAGGED', currentLimit: 'TIER_1K', oldLimit: null, maxDailyConversations: null, at: 50 };
    expect(health.phoneQuality(quality)).toBe(true);
    expect(health.phoneQuality({ ...quality, event: 'UNFLAGGED', at: 40 })).toBe(false);
    for (let i = 0; i < 30; i++) health.webhookError({ code: 130429 + i, title: null, details: null, at: i });
    const read = readInboundHealth(archive.settings);
    expect(read.phoneQuality).toEqual(quality);
    expect(read.webhookErrors.map((e) => e.at)).toEqual(Array.from({ length: 20 }, (_, i) => 29 - i));
  });
});
