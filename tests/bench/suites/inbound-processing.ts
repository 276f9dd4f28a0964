import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { openArchive } from '../../../electron/core/archive';
import { createInboundProcessor } from '../../../electron/core/cloud/inbound-processor';
import { parseWebhookBody } from '../../../electron/core/cloud/webhook-schemas';
import { createLogger } from '../../../electron/core/logger';
import { createMemoryLogger } from '../../../electron/core/node-ports';
import { createVirtualClock } from '../../../electron/core/clock';
import { inboundMessageBody, serialiseLikeMeta, statusBody } from '../../../electron/core/sandbox/webhooks/payloads';
import type { Measurement, Suite } from '../harness';
import { row } from '../harness';

const target = { wabaId: '102290129340398', phoneNumberId: '106540352242922', displayPhoneNumber: '15550100100' };
const texts = ['您好，我想预约明天下午的牙科检查', 'Is my order ready for pickup?', '订单已经发货了吗？谢谢', 'Can I change my appointment to Friday?'];

const start = Date.UTC(2026, 10, 1, 9);
const personOf = (i: number) => ({ name: `Customer ${i % 500}`, waId: `1555${String(1_000_000 + (i % 500)).slice(1)}`, userId: `US.${String(10n ** 18n + BigInt(i % 500))}` });

/** The real mix (1 inbound : 3 statuses: sent, delivered, read of a reply), as Meta's bytes. */
function generate(events: number): Buffer[] {
  const bodies: Buffer[] = [];
  for (let i = 0; bodies.length < events; i++) {
    const person = personOf(i);
    const at = start + i * 1000;
    bodies.push(serialiseLikeMeta(inboundMessageBody(target, person, { type: 'text', body: texts[i % texts.length]! }, { wamid: `wamid.in.${i}`, at })));
    for (const [n, status] of (['sent', 'delivered', 'read'] as const).entries()) {
      bodies.push(serialiseLikeMeta(statusBody(target, { wamid: `wamid.out.${i}`, status, at: at + 2000 + n * 1000, recipient: person })));
    }
  }
  return bodies.slice(0, events);
}

function rate(name: string, events: number, ms: number): Measurement {
  const perEvent = ms / events;
  return { name, unit: 'ms', iterations: events, p50: perEvent, p95: perEvent, p99: perEvent, mean: perEvent, rate: (events / ms) * 1000 };
}

/** Inbox → archive: contacts, conversations, messages, statuses (orphans included), in batches, encrypted. */
export const inboundProcessing: Suite = {
  name: 'inbound-processing',
  async run() {
    const events = Number(process.env.BENCH_INBOUND_EVENTS ?? 40_000);
    const bodies = generate(events);
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-bench-inbound-'));
    try {
      // Baseline: only parsing and validating the same bytes (the floor any processor pays).
      let t0 = performance.now();
      for (const body of bodies) parseWebhookBody(body);
      const baseline = rate('parse + validate only', events, performance.now() - t0);

      const archive = openArchive({ path: join(dir, 'archive.db'), key: randomBytes(32) });
      // The desk's replies exist before Meta reports on them, as the outbox writes them (not timed).
      archive.transaction(() => {
        for (let i = 0; i * 4 < events; i++) {
          const person = personOf(i);
          const { id } = archive.contacts.upsertByIdentity({ userId: person.userId, waId: person.waId, phone: person.waId });
          const { conversation } = archive.conversations.getOrCreateForContact(id);
          archive.messages.insert({
            conversationId: conversation.id, wamid: `wamid.out.${i}`, direction: 'out', type: 'text', text: 'Thank you, see you then!', caption: null,
            payload: { body: 'Thank you, see you then!' }, status: 'pending', statusAt: null, errorCode: null, errorTitle: null,
            senderStaffId: 'staff-anna', automatic: null, timestamp: start + i * 1000 + 1500, receivedAt: start + i * 1000 + 1500,
          });
        }
      });
      archive.transaction(() => archive.webhookInbox.appendMany(bodies.map((body, i) => ({ body, receivedAt: i, source: 'direct' as const }))));
      const processor = createInboundProcessor({ archive, clock: createVirtualClock(), logger: createLogger(createMemoryLogger()), events: () => {} });
      t0 = performance.now();
      processor.drainAll(500);
      const subject = rate('inbox → archive (1 inbound : 3 statuses)', events, performance.now() - t0);
      const counts = archive.webhookInbox.counts();
      if (counts.processed !== events) throw new Error(`processed ${counts.processed} of ${events}`);
      processor.dispose();
      archive.close();
      return [row('inbound-processing', subject, baseline, { target: '≥ 4000 events/s', note: `${events} events, encrypted archive` })];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
