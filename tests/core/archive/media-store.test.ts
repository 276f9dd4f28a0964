import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createMediaStore } from '../../../electron/core/archive/media-store';
import type { MediaStoreOptions } from '../../../electron/core/archive/media-store';
import { AppError } from '../../../electron/core/errors';
import { createTestArchive, randomKey } from '../../support/archive-helpers';
import { tempDir } from '../helpers';

async function store(options: Partial<MediaStoreOptions> = {}) {
  const s = await createMediaStore({ dir: options.dir ?? tempDir('frontdesk-media-'), key: options.key ?? randomKey(), ...options });
  onTestFinished(() => s.close());
  return s;
}

async function expectDamaged(promise: Promise<unknown>, reason?: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('archive_damaged');
  if (reason) expect((error as AppError).message).toMatch(reason);
}

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

async function* pieces(bytes: Uint8Array, sizes: number[]) {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length]!;
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

describe('media store', () => {
  it('round-trips files of every size across chunk boundaries', async () => {
    const s = await store({ chunkSize: 1024 });
    for (const size of [0, 1, 1023, 1024, 1025, 3 * 1024, 3 * 1024 + 5]) {
      const bytes = new Uint8Array(randomBytes(size));
      const stored = await s.put(bytes);
      expect(stored).toMatchObject({ size, deduplicated: false });
      expect(stored.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(Buffer.from(await s.read(stored.hash)).equals(Buffer.from(bytes))).toBe(true);
      expect(existsSync(join(s.root, stored.hash.slice(0, 2), stored.hash))).toBe(true);
    }
  });

  it('encrypts while streaming in, decrypts while streaming out, with the default 64 KiB chunks', async () => {
    const s = await store();
    const bytes = new Uint8Array(randomBytes(300_000));
    const streamed = await s.putStream(pieces(bytes, [1, 70_000, 333, 65_536]));
    expect(streamed.size).toBe(300_000);
    const chunks: Buffer[] = [];
    for await (const chunk of s.createReadStream(streamed.hash)) chunks.push(chunk as Buffer);
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).equals(Buffer.from(bytes))).toBe(true);
    // The same content given whole is the same file.
    expect(await s.put(bytes)).toEqual({ hash: streamed.hash, size: 300_000, deduplicated: true });
  });

  it('stores identical content once, under a name that reveals nothing without the key', async () => {
    const dir = tempDir('frontdesk-media-');
    const s = await store({ dir });
    const photo = Buffer.from('a photo of a receipt — 收据照片');
    const first = await s.put(photo);
    const second = await s.put(photo);
    expect(second).toEqual({ ...first, deduplicated: true });
    expect(filesUnder(s.root).filter((f) => !f.includes(`${join('media', 'tmp')}`))).toHaveLength(1);
    expect(first.hash).not.toBe(createHash('sha256').update(photo).digest('hex'));
    const other = await store({ dir: tempDir('frontdesk-media-') });
    expect((await other.put(photo)).hash).not.toBe(first.hash);
    const raw = readFileSync(join(s.root, first.hash.slice(0, 2), first.hash));
    expect(raw.includes(photo)).toBe(false);
    expect(raw.includes(Buffer.from('收据照片'))).toBe(false);
  });

  it('refuses a tampered, truncated, extended or swapped file', async () => {
    const s = await store({ chunkSize: 1024 });
    const a = await s.put(new Uint8Array(randomBytes(5000)));
    const b = await s.put(new Uint8Array(randomBytes(5000)));
    const pathA = join(s.root, a.hash.slice(0, 2), a.hash);
    const pathB = join(s.root, b.hash.slice(0, 2), b.hash);
    const original = readFileSync(pathA);
    const chunk = 1024 + 17;
    const restore = () => writeFileSync(pathA, original);

    const flipped = Buffer.from(original);
    flipped[40 + chunk + 10]! ^= 1;
    writeFileSync(pathA, flipped);
    await expectDamaged(s.read(a.hash), /authentication/);
    // A stream fails too, after handing over only the authentic chunks before the damage.
    const received: Buffer[] = [];
    await expectDamaged(
      (async () => {
        for await (const c of s.createReadStream(a.hash)) received.push(c as Buffer);
      })(),
    );
    expect(received.length).toBe(1);

    writeFileSync(pathA, original.subarray(0, original.length - 3));
    await expectDamaged(s.read(a.hash));
    // Cut exactly at a chunk boundary: every remaining chunk is authentic, but the final one is missing.
    writeFileSync(pathA, original.subarray(0, 32 + 2 * chunk));
    await expectDamaged(s.read(a.hash), /truncated/);
    // Bytes appended after the final chunk: inside the last read they break its tag, beyond it they are extra.
    writeFileSync(pathA, Buffer.concat([original, Buffer.from([0])]));
    await expectDamaged(s.read(a.hash));
    writeFileSync(pathA, Buffer.concat([original, Buffer.alloc(chunk)]));
    await expectDamaged(s.read(a.hash));
    const badMagic = Buffer.from(original);
    badMagic[0] = 0x58;
    writeFileSync(pathA, badMagic);
    await expectDamaged(s.read(a.hash), /header/);
    const badChunkSize = Buffer.from(original);
    badChunkSize.writeUInt32LE(2048, 4);
    writeFileSync(pathA, badChunkSize);
    await expectDamaged(s.read(a.hash));
    restore();
    expect((await s.read(a.hash)).length).toBe(5000);

    // A valid file of this store under another file's name.
    renameSync(pathB, pathA);
    await expectDamaged(s.read(a.hash), /does not match/);
    await expectDamaged(s.read(b.hash), /missing/);
    // Names are validated: a hostile name never becomes a path.
    await expect(s.read('../../../etc/passwd')).rejects.toThrow(/content hash/);
  });

  it('writes atomically: a failing source leaves no file behind', async () => {
    const s = await store({ chunkSize: 1024 });
    async function* failing() {
      yield new Uint8Array(5000);
      throw new Error('network dropped');
    }
    await expect(s.putStream(failing())).rejects.toThrow('network dropped');
    expect(filesUnder(s.root)).toEqual([]);
  });

  it('refuses a wrong key', async () => {
    const dir = tempDir('frontdesk-media-');
    const s = await store({ dir });
    const { hash } = await s.put(Buffer.from('hello'));
    const wrong = await store({ dir });
    await expectDamaged(wrong.read(hash), /authentication/);
  });

  it('collects garbage: unreferenced rows and files go, referenced and recent ones stay', async () => {
    const { archive, dir } = createTestArchive();
    const s = await store({ dir });
    const conversation = archive.conversations.getOrCreateForContact(archive.contacts.upsertByIdentity({ waId: '1' }).id).conversation.id;
    const kept = await s.put(Buffer.from('kept image'));
    const dropped = await s.put(Buffer.from('dropped image'));
    const orphan = await s.put(Buffer.from('file whose row was never written'));
    const keptRow = archive.media.create({ state: 'stored', contentHash: kept.hash, size: kept.size });
    const droppedRow = archive.media.create({ state: 'stored', contentHash: dropped.hash, size: dropped.size });
    archive.messages.insert({ conversationId: conversation, wamid: 'w1', direction: 'in', type: 'image', mediaId: keptRow.id, timestamp: 1 });
    writeFileSync(join(s.root, 'tmp', 'left-by-a-crash.part'), 'x');

    // Inside the grace period nothing is touched (a file may be in the middle of being attached).
    expect(await s.collectGarbage(archive.media)).toEqual({ rowsDeleted: 0, filesDeleted: 0 });

    const old = (Date.now() - 3600_000) / 1000;
    for (const f of filesUnder(s.root)) utimesSync(f, old, old);
    const result = await s.collectGarbage(archive.media, { graceMs: 60_000, now: Date.now() + 3600_000 });
    expect(result).toEqual({ rowsDeleted: 1, filesDeleted: 3 });
    expect(archive.media.get(droppedRow.id)).toBeUndefined();
    expect(await s.has(kept.hash)).toBe(true);
    expect(await s.has(dropped.hash)).toBe(false);
    expect(await s.has(orphan.hash)).toBe(false);
    expect(readdirSync(join(s.root, 'tmp'))).toEqual([]);
    expect(Buffer.from(await s.read(kept.hash)).toString()).toBe('kept image');
  });
});
