import { appendFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Archive } from '../../../electron/core/archive';
import { openArchive } from '../../../electron/core/archive/connection';
import { createVirtualClock } from '../../../electron/core/clock';
import { createArchiveSink } from '../../../electron/core/cloud/group-commit';
import { startWebhookReceiver } from '../../../electron/core/cloud/receiver';
import { drainSpool, handOverToArchive, importSpool, openSpoolSink, verifyDeferred } from '../../../electron/core/cloud/spool';
import type { SpoolKeyPair } from '../../../electron/core/cloud/spool';
import { signBody } from '../../../electron/core/cloud/signature';
import { createMemoryLogger } from '../../../electron/core/node-ports';
import { deriveWorkspaceKeys } from '../../../electron/core/vault/keys';
import { loadSodium } from '../../../electron/core/vault/sodium';
import { writeSecrets } from '../../../electron/core/vault/secrets';
import { createTestArchive } from '../../support/archive-helpers';
import { tempDir } from '../helpers';
import { postWebhook, signed, testAppSecret, testVerifyToken, textWebhook } from './receiver-support';

async function workspaceKeys(): Promise<SpoolKeyPair> {
  const sodium = await loadSodium();
  const keys = deriveWorkspaceKeys(sodium, sodium.randombytes_buf(32));
  return { publicKey: keys.boxPublicKey, secretKey: keys.boxSecretKey };
}

/** A closed workspace: the receiver spools into `dir/spool.bin`, sealed to the workspace public key. */
async function closedReceiver(options: { appSecret: string | null }) {
  const dir = tempDir('frontdesk-spool-');
  const spoolPath = join(dir, 'webhooks.spool');
  const keys = await workspaceKeys();
  const clock = createVirtualClock();
  const spool = await openSpoolSink({ path: spoolPath, publicKey: keys.publicKey });
  const receiver = await startWebhookReceiver({
    verifyToken: testVerifyToken,
    appSecret: () => options.appSecret,
    sink: spool,
    clock,
    logger: createMemoryLogger(),
  });
  onTestFinished(async () => {
    await receiver.close();
    await spool.close();
  });
  return { dir, spoolPath, keys, clock, spool, receiver };
}

function inboxRows(archive: Archive) {
  return archive.db
    .prepare<[], { body: Buffer; source: string; receivedAt: number; verified: number; externalId: string | null }>(
      'SELECT body, source, received_at AS receivedAt, verified, external_id AS externalId FROM webhook_inbox ORDER BY id',
    )
    .all();
}

const marker = (n: number) => `SPOOLMARKER-${n}`;

describe('spool while the archive is closed', () => {
  it('seals every verified body (no plaintext on disk), drains it into the inbox at unlock exactly once', async () => {
    const { spoolPath, keys, clock, spool, receiver } = await closedReceiver({ appSecret: testAppSecret });
    const bodies = Array.from({ length: 20 }, (_, i) => textWebhook(i, `${marker(i)} 你好 😀`));
    const statuses = await Promise.all(bodies.map((b) => postWebhook(receiver.url, b).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    // A forged one is refused while closed too: the app secret is at hand (the keychain keeps it).
    expect((await postWebhook(receiver.url, textWebhook(99), signed(textWebhook(99), 'forged'))).status).toBe(401);
    expect(spool.stats().commits).toBeLessThan(20);

    const onDisk = readFileSync(spoolPath);
    for (const needle of ['SPOOLMARKER', 'whatsapp_business_account', 'wamid', 'Sheena', '16505551234', '\\u4f60']) {
      expect(onDisk.includes(Buffer.from(needle)), needle).toBe(false);
    }
    expect(statSync(spoolPath).mode & 0o077).toBe(0);

    // Unlock: new events go to the archive, the spool is closed, then drained.
    const { archive } = createTestArchive();
    const archiveSink = createArchiveSink(archive);
    onTestFinished(() => archiveSink.close());
    clock.advance(60_000);
    const result = await handOverToArchive({ receiver, spool, archiveSink, keys, archive, appSecret: testAppSecret });
    expect(result).toMatchObject({ records: 20, stored: 20, duplicates: 0, forged: 0, unreadable: 0, deferred: 0, keptAside: null });
    expect(existsSync(spoolPath)).toBe(false);

    const rows = inboxRows(archive);
    expect(new Set(rows.map((r) => r.body.toString('hex')))).toEqual(new Set(bodies.map((b) => b.toString('hex'))));
    expect(rows.every((r) => r.source === 'spool' && r.verified === 1 && r.receivedAt === clock.now() - 60_000)).toBe(true);
    expect(rows.every((r) => /^spool:[0-9a-f]{64}$/.test(r.externalId ?? ''))).toBe(true);
    expect(archive.webhookInbox.nextUnprocessed(100)).toHaveLength(20);

    // A second drain finds nothing; the receiver now stores directly.
    expect(await drainSpool(spoolPath, keys, archive, { appSecret: testAppSecret })).toMatchObject({ records: 0, stored: 0 });
    expect((await postWebhook(receiver.url, textWebhook(100))).status).toBe(200);
    expect(archive.webhookInbox.counts().received).toBe(21);
  });

  it('keeps two deliveries of the same body as two rows, like the open receiver would', async () => {
    const { spoolPath, keys, spool, receiver } = await closedReceiver({ appSecret: testAppSecret });
    const body = textWebhook(1);
    expect((await postWebhook(receiver.url, body)).status).toBe(200);
    expect((await postWebhook(receiver.url, body)).status).toBe(200);
    await spool.close();
    const { archive } = createTestArchive();
    expect(await drainSpool(spoolPath, keys, archive, { appSecret: testAppSecret })).toMatchObject({ records: 2, stored: 2 });
  });

  it('a crash between importing and removing the spool neither loses nor duplicates', async () => {
    const { spoolPath, keys, spool, receiver } = await closedReceiver({ appSecret: testAppSecret });
    const bodies = Array.from({ length: 12 }, (_, i) => textWebhook(i));
    for (const b of bodies) expect((await postWebhook(receiver.url, b)).status).toBe(200);
    await spool.close();
    const { archive, path, key } = createTestArchive();

    // Step 1 only, then the process "dies": the archive is closed without the spool being removed.
    expect(await importSpool(spoolPath, keys, archive, { appSecret: testAppSecret })).toMatchObject({ records: 12, stored: 12 });
    expect(existsSync(spoolPath)).toBe(true);
    archive.close();

    // Next start: the full drain runs again over the same spool.
    const reopened = openArchive({ path, key });
    onTestFinished(() => reopened.close());
    const result = await drainSpool(spoolPath, keys, reopened, { appSecret: testAppSecret });
    expect(result).toMatchObject({ records: 12, stored: 0, duplicates: 12 });
    expect(existsSync(spoolPath)).toBe(false);
    const rows = inboxRows(reopened);
    expect(rows).toHaveLength(12);
    expect(new Set(rows.map((r) => r.body.toString('hex')))).toEqual(new Set(bodies.map((b) => b.toString('hex'))));
  });

  it('a crash before the import commits leaves the spool whole for the next drain', async () => {
    const { spoolPath, keys, spool, receiver } = await closedReceiver({ appSecret: testAppSecret });
    for (let i = 0; i < 5; i++) expect((await postWebhook(receiver.url, textWebhook(i))).status).toBe(200);
    await spool.close();
    const { archive } = createTestArchive();
    const dying: Archive = {
      ...archive,
      webhookInbox: {
        ...archive.webhookInbox,
        appendMany(rows) {
          archive.webhookInbox.appendMany(rows);
          throw new Error('killed mid-commit');
        },
      },
    };
    await expect(drainSpool(spoolPath, keys, dying, { appSecret: testAppSecret })).rejects.toThrow('killed mid-commit');
    expect(existsSync(spoolPath)).toBe(true);
    expect(archive.webhookInbox.counts().received).toBe(0);
    expect(await drainSpool(spoolPath, keys, archive, { appSecret: testAppSecret })).toMatchObject({ records: 5, stored: 5 });
  });

  it('without a keychain, spools bodies unverified and checks them at unlock: forged ones discarded and counted', async () => {
    const { spoolPath, keys, spool, receiver } = await closedReceiver({ appSecret: null });
    const good = [textWebhook(1), textWebhook(2)];
    const forged = [textWebhook(3), textWebhook(4), textWebhook(5)];
    for (const b of good) expect((await postWebhook(receiver.url, b)).status).toBe(200);
    // Forgeries cannot be told apart while no secret is known: they are spooled too…
    for (const b of forged) expect((await postWebhook(receiver.url, b, signed(b, 'attacker-secret'))).status).toBe(200);
    // …but a missing or malformed signature, or a body that is not JSON, is still refused at once.
    expect((await postWebhook(receiver.url, textWebhook(6), { 'Content-Type': 'application/json' })).status).toBe(401);
    expect((await postWebhook(receiver.url, textWebhook(7), { 'X-Hub-Signature-256': 'sha256=abc' })).status).toBe(401);
    expect((await postWebhook(receiver.url, Buffer.from('nope'))).status).toBe(400);
    expect(receiver.counters()).toMatchObject({ accepted: 5, acceptedUnverified: 5 });
    expect(readFileSync(spoolPath).includes(Buffer.from('sha256='))).toBe(false);
    await spool.close();

    // At unlock the app secret is read from the archive.
    const { archive } = createTestArchive();
    writeSecrets(archive, { appSecret: testAppSecret });
    const logger = createMemoryLogger();
    const result = await drainSpool(spoolPath, keys, archive, { logger });
    expect(result).toMatchObject({ records: 5, stored: 2, forged: 3, deferred: 0 });
    const rows = inboxRows(archive);
    expect(rows.map((r) => r.body)).toEqual(good);
    expect(rows.every((r) => r.verified === 1)).toBe(true);
    expect(logger.entries.some((e) => e.level === 'warn' && e.fields?.forged === 3)).toBe(true);
  });

  it('with no app secret even at unlock, stores them unverified (out of the queue) until one is set', async () => {
    const { spoolPath, keys, spool, receiver } = await closedReceiver({ appSecret: null });
    const good = textWebhook(1);
    const bad = textWebhook(2);
    expect((await postWebhook(receiver.url, good)).status).toBe(200);
    expect((await postWebhook(receiver.url, bad, signed(bad, 'attacker-secret'))).status).toBe(200);
    await spool.close();
    const { archive } = createTestArchive();
    expect(await drainSpool(spoolPath, keys, archive)).toMatchObject({ records: 2, stored: 2, deferred: 2, forged: 0 });
    expect(existsSync(spoolPath)).toBe(false);
    expect(archive.webhookInbox.nextUnprocessed(10)).toEqual([]);
    expect(archive.webhookInbox.counts()).toMatchObject({ received: 2, unverified: 2, pending: 0 });
    expect(archive.webhookInbox.unverified(10).map((r) => r.signature)).toEqual([signBody(good, testAppSecret), signBody(bad, 'attacker-secret')]);

    expect(verifyDeferred(archive, testAppSecret)).toEqual({ verified: 1, forged: 1 });
    expect(archive.webhookInbox.nextUnprocessed(10).map((r) => r.body)).toEqual([good]);
    expect(archive.webhookInbox.counts()).toMatchObject({ received: 1, unverified: 0, pending: 1 });
  });

  it('cuts a torn tail left by a crash before appending again, and keeps every acknowledged record', async () => {
    const dir = tempDir('frontdesk-spool-');
    const spoolPath = join(dir, 'webhooks.spool');
    const keys = await workspaceKeys();
    const first = await openSpoolSink({ path: spoolPath, publicKey: keys.publicKey });
    await first.store({ body: textWebhook(1), receivedAt: 1, signature: signBody(textWebhook(1), testAppSecret), verified: true });
    await first.close();
    // A crash mid-append: a length prefix announcing 500 bytes, and only 30 of them.
    const torn = Buffer.alloc(34, 0xab);
    torn.writeUInt32BE(500, 0);
    appendFileSync(spoolPath, torn);

    const second = await openSpoolSink({ path: spoolPath, publicKey: keys.publicKey });
    await second.store({ body: textWebhook(2), receivedAt: 2, signature: signBody(textWebhook(2), testAppSecret), verified: true });
    await second.close();

    const { archive } = createTestArchive();
    expect(await drainSpool(spoolPath, keys, archive, { appSecret: testAppSecret })).toMatchObject({ records: 2, stored: 2, unreadable: 0 });
    expect(inboxRows(archive).map((r) => r.body)).toEqual([textWebhook(1), textWebhook(2)]);
  });

  it('keeps a spool with records that do not open aside instead of deleting it', async () => {
    const dir = tempDir('frontdesk-spool-');
    const spoolPath = join(dir, 'webhooks.spool');
    const keys = await workspaceKeys();
    const otherKeys = await workspaceKeys();
    const sink = await openSpoolSink({ path: spoolPath, publicKey: otherKeys.publicKey });
    await sink.store({ body: textWebhook(1), receivedAt: 1, signature: signBody(textWebhook(1), testAppSecret), verified: true });
    await sink.close();
    const { archive } = createTestArchive();
    const result = await drainSpool(spoolPath, keys, archive, { appSecret: testAppSecret });
    expect(result).toMatchObject({ records: 1, stored: 0, unreadable: 1 });
    expect(existsSync(spoolPath)).toBe(false);
    expect(readdirSync(dir).some((n) => n.startsWith('webhooks.spool.unreadable-'))).toBe(true);
    expect(result.keptAside).toMatch(/webhooks\.spool\.unreadable-\d+$/);
  });
});

describe('spool limits', () => {
  it('refuses (→ 500, Meta retries) once the spool would pass its size cap', async () => {
    const dir = tempDir('frontdesk-spool-');
    const keys = await workspaceKeys();
    const spool = await openSpoolSink({ path: join(dir, 'webhooks.spool'), publicKey: keys.publicKey, maxBytes: 2000 });
    const receiver = await startWebhookReceiver({ verifyToken: testVerifyToken, appSecret: () => testAppSecret, sink: spool, clock: createVirtualClock(), logger: createMemoryLogger() });
    onTestFinished(async () => {
      await receiver.close();
      await spool.close();
    });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await postWebhook(receiver.url, textWebhook(i))).status);
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses.at(-1)).toBe(500);
    expect(statSync(join(dir, 'webhooks.spool')).size).toBeLessThanOrEqual(2000);
  });
});
