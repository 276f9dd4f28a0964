/**
 * Webhook bodies for the privacy tests, derived from Meta's own examples in ../shared/cloud-api/fixtures
 * (ids, names, numbers, times and text changed; never the shapes), fed to the inbound processor through the
 * durable inbox as the receiver would.
 */
import type { Archive } from '../../../electron/core/archive';
import { createInboundProcessor } from '../../../electron/core/cloud/inbound-processor';
import type { MediaJob } from '../../../electron/core/cloud/inbound-processor';
import type { ClockPort } from '../../../electron/core/ports';
import type { Logger } from '../../../electron/core/logger';
import type { Json } from '../cloud/inbound-support';
import { fixture, valueOf } from '../cloud/inbound-support';

export { describeWithFixtures } from '../cloud/inbound-support';

const first = (body: Json) => valueOf(body).messages[0];

export function textBody(from: string, name: string, wamid: string, text: string, seconds: number): Json {
  const body = fixture('webhook-text.json');
  const value = valueOf(body);
  value.contacts[0].wa_id = from;
  value.contacts[0].profile.name = name;
  Object.assign(first(body), { from, id: wamid, timestamp: String(seconds), text: { body: text } });
  return body;
}

export function imageBody(from: string, name: string, wamid: string, caption: string, metaMediaId: string, seconds: number): Json {
  const body = fixture('webhook-image.json');
  const value = valueOf(body);
  value.contacts[0].wa_id = from;
  value.contacts[0].profile.name = name;
  const m = first(body);
  Object.assign(m, { from, id: wamid, timestamp: String(seconds) });
  Object.assign(m.image, { caption, id: metaMediaId, mime_type: 'image/png' });
  delete m.image.url;
  return body;
}

export function documentBody(from: string, name: string, wamid: string, fileName: string, caption: string, metaMediaId: string, seconds: number): Json {
  const body = fixture('webhook-document.json');
  const value = valueOf(body);
  value.contacts[0].wa_id = from;
  value.contacts[0].profile.name = name;
  const m = first(body);
  Object.assign(m, { from, id: wamid, timestamp: String(seconds) });
  Object.assign(m.document, { filename: fileName, caption, id: metaMediaId });
  delete m.document.url;
  return body;
}

export function locationBody(from: string, name: string, wamid: string, place: string, seconds: number): Json {
  const body = fixture('webhook-location.json');
  const value = valueOf(body);
  value.contacts[0].wa_id = from;
  value.contacts[0].profile.name = name;
  const m = first(body);
  Object.assign(m, { from, id: wamid, timestamp: String(seconds) });
  m.location.name = place;
  return body;
}

export function reactionBody(from: string, name: string, wamid: string, target: string, emoji: string, seconds: number): Json {
  const body = fixture('webhook-reaction.json');
  const value = valueOf(body);
  value.contacts[0].wa_id = from;
  value.contacts[0].profile.name = name;
  Object.assign(first(body), { from, id: wamid, timestamp: String(seconds), reaction: { message_id: target, emoji } });
  return body;
}

export function preferenceBody(waId: string, value: 'stop' | 'resume', seconds: number): Json {
  const body = fixture('webhook-user-preferences.json');
  const v = valueOf(body);
  v.contacts[0].wa_id = waId;
  Object.assign(v.user_preferences[0], { wa_id: waId, value, timestamp: seconds, detail: `User requested to ${value} marketing messages` });
  return body;
}

export function statusBody(wamid: string, recipient: string, status: 'sent' | 'delivered' | 'read', seconds: number): Json {
  const body = fixture('status-sent.json');
  Object.assign(valueOf(body).statuses[0], { id: wamid, recipient_id: recipient, status, timestamp: String(seconds) });
  return body;
}

export function groupTextBody(from: string, name: string, groupId: string, wamid: string, text: string, seconds: number): Json {
  const body = fixture('webhook-group-text.json');
  const value = valueOf(body);
  value.contacts[0].wa_id = from;
  value.contacts[0].profile.name = name;
  Object.assign(first(body), { from, group_id: groupId, id: wamid, timestamp: String(seconds), text: { body: text } });
  return body;
}

export function numberChangeBody(from: string, newWaId: string, wamid: string, text: string, seconds: number): Json {
  const body = fixture('webhook-system-user-changed-number.json');
  const m = first(body);
  Object.assign(m, { from, id: wamid, timestamp: String(seconds) });
  Object.assign(m.system, { body: text, wa_id: newWaId });
  return body;
}

/** Two people's messages in one body (Meta batches): for the redaction of a body not yet processed. */
export function twoMessagesBody(a: Json, b: Json): Json {
  const body = structuredClone(a);
  const value = valueOf(body);
  const other = valueOf(b);
  value.contacts.push(...other.contacts);
  value.messages.push(...other.messages);
  return body;
}

/** A processor on the archive and what it asks to download; bodies go through the inbox as the receiver writes them. */
export function createPipeline(archive: Archive, clock: Pick<ClockPort, 'now' | 'setTimer'>, logger: Logger) {
  const jobs: MediaJob[] = [];
  const processor = createInboundProcessor({ archive, clock, logger, events: () => {}, onMedia: (job) => void jobs.push(job) });
  return {
    jobs,
    processor,
    /** Appends the bodies to the inbox (verified unless said otherwise) and drains it. */
    deliver(bodies: readonly Json[], options: { verified?: boolean; drain?: boolean } = {}) {
      const ids = archive.webhookInbox.appendMany(
        bodies.map((body) => ({ body: Buffer.from(JSON.stringify(body)), receivedAt: clock.now(), source: 'direct' as const, verified: options.verified ?? true, signature: null })),
      );
      if (options.drain ?? true) processor.drainAll();
      return ids;
    },
  };
}
