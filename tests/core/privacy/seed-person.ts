/**
 * One person with a full history, built the way the app builds it: Meta's webhooks through the durable inbox
 * and the processor, downloads into the real media store, an outbound message with its outbox row, notes,
 * a saved name, labels, a draft, a number change, a group post, a marketing opt-out — and a control contact
 * who must keep everything. Shared by the erasure and export tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAuditService, createErasure } from '../../../electron/core/privacy';
import { createConfSettings } from '../../../electron/core/node-ports';
import { tempDir } from '../helpers';
import type { PrivacyHarness } from './privacy-support';
import { createHarness, decryptedDatabase, decryptedWal, pngBytes } from './privacy-support';
import {
  createPipeline,
  documentBody,
  groupTextBody,
  imageBody,
  locationBody,
  numberChangeBody,
  preferenceBody,
  reactionBody,
  statusBody,
  textBody,
  twoMessagesBody,
} from './webhook-bodies';

export const oldNumber = '8613912345678';
export const newNumber = '8613987654321';
export const controlNumber = '447700900555';
export const groupId = 'HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5GROUP';

/** Everything of the erased person, as it is written in messages, notes, names, numbers and files. */
export const erasedMarkers = {
  oldNumber,
  newNumber,
  name: 'Zorblax Quenbury',
  nameToken: 'zorblax',
  savedName: 'Qwixley Savedname',
  note: 'vexillum',
  text: 'plumbicon',
  textPrefix: 'plumbi',
  chinese: '秘密暗号蓝色海豚',
  chineseWord: '海豚',
  caption: 'quagga',
  fileName: 'passport-zorblax',
  outbound: 'frobnitz',
  draft: 'glorp',
  group: 'snarfblat',
  place: 'Hideout Gazebo',
  pending: 'pendingmarker',
  spooled: 'spoolmarker',
  documentContent: 'PASSPORT-CONTENT-ZORBLAX',
};
export const controlMarkers = { controlText: 'keepme', controlName: 'Control Person', controlNumber };

export const t0 = 1_781_900_000;
export const sharedImage = pngBytes;
export const secretDocument = Buffer.from(`%PDF-1.4\n${erasedMarkers.documentContent}\n`);

export function bodiesOfTheErasedPerson() {
  const name = erasedMarkers.name;
  return [
    textBody(oldNumber, name, 'wamid.ERASED.1', `message marker ${erasedMarkers.text} xyzzyq`, t0),
    textBody(oldNumber, name, 'wamid.ERASED.2', erasedMarkers.chinese, t0 + 60),
    imageBody(oldNumber, name, 'wamid.ERASED.3', `caption ${erasedMarkers.caption}`, 'meta-img-erased', t0 + 120),
    documentBody(oldNumber, name, 'wamid.ERASED.4', `${erasedMarkers.fileName}.pdf`, 'my passport', 'meta-doc-erased', t0 + 180),
    locationBody(oldNumber, name, 'wamid.ERASED.5', erasedMarkers.place, t0 + 240),
    reactionBody(oldNumber, name, 'wamid.ERASED.6', 'wamid.OUT.1', '👍', t0 + 400),
    preferenceBody(oldNumber, 'stop', t0 + 410),
    statusBody('wamid.OUT.1', oldNumber, 'delivered', t0 + 320),
    statusBody('wamid.OUT.ORPHAN', oldNumber, 'delivered', t0 + 330),
    groupTextBody(oldNumber, name, groupId, 'wamid.ERASED.G1', `in the group ${erasedMarkers.group}`, t0 + 500),
    numberChangeBody(oldNumber, newNumber, 'wamid.ERASED.SYS', `User ${name} changed from ${oldNumber} to ${newNumber}`, t0 + 600),
    textBody(newNumber, name, 'wamid.ERASED.7', `from the new number ${erasedMarkers.text}`, t0 + 700),
  ];
}

export function bodiesOfTheControlPerson() {
  return [
    textBody(controlNumber, controlMarkers.controlName, 'wamid.CONTROL.1', `control marker ${controlMarkers.controlText}`, t0 + 30),
    imageBody(controlNumber, controlMarkers.controlName, 'wamid.CONTROL.2', 'same picture', 'meta-img-control', t0 + 90),
    groupTextBody(controlNumber, controlMarkers.controlName, groupId, 'wamid.CONTROL.G1', 'group hello', t0 + 510),
  ];
}

async function storeDownloads(h: PrivacyHarness, pipeline: ReturnType<typeof createPipeline>) {
  const bytesFor: Record<string, Uint8Array> = { 'meta-img-erased': sharedImage, 'meta-img-control': sharedImage, 'meta-doc-erased': secretDocument };
  for (const job of pipeline.jobs.splice(0)) {
    const stored = await h.media.put(bytesFor[job.metaMediaId]!);
    h.archive.media.markStored(job.mediaId, { contentHash: stored.hash, size: stored.size });
  }
}

/** The decrypted database and WAL, plus every media file decrypted, plus every file in the folder as it is on disk. */
export async function everything(h: PrivacyHarness): Promise<Buffer> {
  const parts = [decryptedDatabase(h.path, h.key), decryptedWal(h.path, h.key)];
  for (const bucket of readdirSync(h.media.root)) {
    if (!/^[0-9a-f]{2}$/.test(bucket)) continue;
    for (const name of readdirSync(join(h.media.root, bucket))) parts.push(Buffer.from(await h.media.read(name)));
  }
  for (const entry of readdirSync(h.dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) parts.push(readFileSync(join(entry.parentPath, entry.name)));
  }
  return Buffer.concat(parts);
}

export async function seedPerson() {
  const h = await createHarness(Date.UTC(2026, 5, 20, 12, 0, 0));
  const { archive } = h;
  const pipeline = createPipeline(archive, h.clock, h.logger);
  archive.staff.create({ id: 'staff-1', name: 'Desk One', pinHash: null });

  pipeline.deliver(bodiesOfTheControlPerson().slice(0, 2));
  // The business wrote to the person first (the outbox row and its message), then the webhooks came.
  const { id: contactId } = archive.contacts.upsertByIdentity({ waId: oldNumber, phone: oldNumber });
  const conversationId = archive.conversations.getOrCreateForContact(contactId).conversation.id;
  const request = { messaging_product: 'whatsapp', to: oldNumber, type: 'text', text: { body: `outbound ${erasedMarkers.outbound}` } };
  const outbound = archive.messages.insert({ conversationId, wamid: 'wamid.OUT.1', clientId: 'client-out-1', direction: 'out', type: 'text', text: request.text.body, payload: request, senderStaffId: 'staff-1', status: 'sent', timestamp: (t0 + 300) * 1000 });
  archive.outbox.enqueue({ conversationId, messageId: outbound.id, clientId: 'client-out-1', request, at: (t0 + 300) * 1000 });
  archive.outbox.markSent(archive.outbox.byClientId('client-out-1')!.id, (t0 + 301) * 1000);

  pipeline.deliver(bodiesOfTheErasedPerson());
  pipeline.deliver(bodiesOfTheControlPerson().slice(2));
  await storeDownloads(h, pipeline);

  archive.contacts.update(contactId, { savedName: erasedMarkers.savedName, notes: `note marker ${erasedMarkers.note}` });
  archive.conversations.setDraft(conversationId, `draft ${erasedMarkers.draft}`);
  const vip = archive.labels.create({ name: 'VIP', colour: 3 });
  archive.labels.assignToConversations(vip.id, [conversationId]);
  archive.labels.assignToMessage(vip.id, archive.messages.getByWamid('wamid.ERASED.1')!.id);

  // A body batching the person with the control contact, still waiting for the processor at erasure time,
  // and a body spooled while the app secret was unknown (not yet signature-checked).
  const mixed = twoMessagesBody(
    textBody(newNumber, erasedMarkers.name, 'wamid.ERASED.P1', `late ${erasedMarkers.pending}`, t0 + 800),
    textBody(controlNumber, controlMarkers.controlName, 'wamid.CONTROL.P1', 'control late message', t0 + 801),
  );
  const [pendingRow] = pipeline.deliver([mixed], { drain: false });
  const [spooledRow] = pipeline.deliver([textBody(newNumber, erasedMarkers.name, 'wamid.ERASED.S1', `spooled ${erasedMarkers.spooled}`, t0 + 900)], { verified: false, drain: false });

  const settings = createConfSettings(tempDir());
  const audit = createAuditService({ archive, settings });
  const erasure = createErasure({ archive, media: h.media, audit, clock: h.clock, logger: h.logger });
  return { h, pipeline, contactId, conversationId, erasure, audit, pendingRow: pendingRow!, spooledRow: spooledRow! };
}

