/**
 * The closed-state spool (DESIGN: Lock, "Closed"): while the archive is not yet unlocked, each webhook body is
 * sealed with `crypto_box_seal` to the workspace's X25519 public key (which needs no secret to use) and
 * appended to a spool file; nothing plaintext touches disk. At unlock `drainSpool` opens every record with
 * the key pair, moves the bodies into the webhook inbox and only then removes the file.
 *
 * File format: a sequence of records, each `u32 BE length` + sealed bytes. Sealed plaintext (v1):
 *   [0] version = 1   [1] flags (bit 0 = signature verified)   [2..9] receivedAt (float64 BE, ms)
 *   [10..11] signature length (u16 BE)   signature (ASCII, kept only when unverified)   body (raw bytes)
 * Appends are group-committed: one write and one fdatasync per batch, before any of its waiters is answered.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, truncateSync, unlinkSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Archive } from '../archive';
import type { NewInboxRow } from '../archive/repositories/webhook-inbox';
import { createLogger } from '../logger';
import type { LoggerPort } from '../ports';
import { loadSodium } from '../vault/sodium';
import { readSecret } from '../vault/secrets';
import { createGroupCommitter, withFullSync } from './group-commit';
import type { GroupCommitOptions, GroupCommitStats } from './group-commit';
import type { WebhookEvent, WebhookReceiver, WebhookSink } from './receiver';
import { checkSignature } from './signature';

const lengthBytes = 4;
const headerBytes = 12;
/** crypto_box_SEALBYTES: the ephemeral public key and the MAC. */
const sealOverhead = 48;
const minRecord = sealOverhead + headerBytes;
/** Far above any body the receiver accepts; a larger length can only be a torn or damaged tail. */
const maxRecord = 256 * 1024 * 1024;

/** The most the spool may grow to while closed (sealed bodies, ~+64 bytes each). */
export const defaultSpoolMaxBytes = 512 * 1024 * 1024;

export interface SpoolKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

export interface SpoolSink extends WebhookSink {
  readonly path: string;
  stats(): GroupCommitStats;
  /** Writes what waits, then closes the file. Close it before draining. */
  close(): Promise<void>;
}

/** Syncs a directory so a created or removed file name survives a power cut (not possible on Windows). */
function syncDirectory(path: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Walks the record lengths and returns the byte offset where the last whole record ends. Anything after it
 * is a torn append from a crash: it was never acknowledged (fsync comes before 200).
 */
function wholeRecordsEnd(data: Buffer): number {
  let offset = 0;
  while (offset + lengthBytes <= data.length) {
    const length = data.readUInt32BE(offset);
    if (length < minRecord || length > maxRecord || offset + lengthBytes + length > data.length) break;
    offset += lengthBytes + length;
  }
  return offset;
}

function encodePlaintext(event: WebhookEvent): Buffer {
  const signature = event.verified ? Buffer.alloc(0) : Buffer.from(event.signature, 'latin1');
  const head = Buffer.alloc(headerBytes);
  head[0] = 1;
  head[1] = event.verified ? 1 : 0;
  head.writeDoubleBE(event.receivedAt, 2);
  head.writeUInt16BE(signature.length, 10);
  return Buffer.concat([head, signature, event.body]);
}

function decodePlaintext(plain: Uint8Array): { verified: boolean; receivedAt: number; signature: string | null; body: Buffer } | null {
  const buf = Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength);
  if (buf.length < headerBytes || buf[0] !== 1) return null;
  const signatureLength = buf.readUInt16BE(10);
  if (headerBytes + signatureLength > buf.length) return null;
  return {
    verified: (buf[1]! & 1) === 1,
    receivedAt: buf.readDoubleBE(2),
    signature: signatureLength > 0 ? buf.subarray(headerBytes, headerBytes + signatureLength).toString('latin1') : null,
    body: Buffer.from(buf.subarray(headerBytes + signatureLength)),
  };
}

/**
 * Opens (or creates) the spool for appending. A torn tail left by a crash is cut off first, so new records
 * never follow half a record. Accepts unverified bodies: without a keychain the closed receiver has no app
 * secret, and the signature travels sealed beside the body to be checked at drain.
 */
export async function openSpoolSink(options: { path: string; publicKey: Uint8Array; maxBytes?: number } & GroupCommitOptions): Promise<SpoolSink> {
  const maxBytes = options.maxBytes ?? defaultSpoolMaxBytes;
  const sodium = await loadSodium();
  const publicKey = new Uint8Array(options.publicKey);
  const created = !existsSync(options.path);
  if (!created) {
    const data = readFileSync(options.path);
    const end = wholeRecordsEnd(data);
    if (end < data.length) truncateSync(options.path, end);
  }
  const handle: FileHandle = await open(options.path, 'a', 0o600);
  if (created) {
    await handle.sync();
    syncDirectory(dirname(options.path));
  }
  let size = (await handle.stat()).size;
  let broken: Error | undefined;

  const committer = createGroupCommitter<WebhookEvent>(async (events) => {
    if (broken) throw broken;
    const records = events.map((event) => {
      const sealed = sodium.crypto_box_seal(encodePlaintext(event), publicKey);
      const framed = Buffer.alloc(lengthBytes + sealed.length);
      framed.writeUInt32BE(sealed.length, 0);
      framed.set(sealed, lengthBytes);
      return framed;
    });
    const chunk = Buffer.concat(records);
    // Without a keychain anyone who knows the URL can have bodies spooled: a cap keeps the disk. Over it,
    // the receiver answers 500 and Meta keeps retrying (up to 7 days) until the desk is unlocked.
    if (size + chunk.length > maxBytes) throw new Error('The webhook spool is full');
    try {
      await handle.write(chunk, 0, chunk.length);
      await handle.datasync();
      size += chunk.length;
    } catch (error) {
      // Cut a partial write off so later records stay aligned; if even that fails, refuse everything (500s,
      // Meta retries) rather than acknowledge into a misaligned file.
      try {
        await handle.truncate(size);
        await handle.datasync();
      } catch (truncateError) {
        broken = truncateError instanceof Error ? truncateError : new Error(String(truncateError));
      }
      throw error;
    }
  }, options);

  let closing: Promise<void> | undefined;
  return {
    path: options.path,
    acceptsUnverified: true,
    store: (event) => committer.submit(event),
    stats: () => committer.stats(),
    close() {
      closing ??= committer.close().then(() => handle.close());
      return closing;
    },
  };
}

export interface DrainResult {
  /** Whole records found in the spool. */
  records: number;
  /** Rows newly added to the inbox. */
  stored: number;
  /** Records already in the inbox from an earlier, interrupted drain. */
  duplicates: number;
  /** Unverified bodies whose signature did not match the app secret: discarded. */
  forged: number;
  /** Records that did not open with this key pair (or were damaged): skipped. */
  unreadable: number;
  /** Unverified bodies stored with their signature because there is still no app secret to check them. */
  deferred: number;
  /** Where a spool with unreadable records was kept aside (drainSpool only), else null. */
  keptAside?: string | null;
}

export interface DrainOptions {
  /** Defaults to the app secret stored in the archive. */
  appSecret?: string | null;
  /** Counts of discarded records are logged (never bodies). */
  logger?: LoggerPort;
}

/**
 * Step 1 of a drain: every record into the webhook inbox, in ONE transaction committed with synchronous=FULL.
 *
 * Crash safety: each row carries `external_id = spool:<sha256 of its sealed record>` (the inbox's UNIQUE
 * redelivery key). Sealing uses a fresh ephemeral key every time, so the hash names one record, never one
 * body: a body Meta delivered twice stays two rows, as it would have through the open receiver. If the
 * process dies after this commit but before `discardSpool`, the next drain finds every hash already stored
 * and adds nothing; if it dies before the commit, nothing was added and the spool is intact. Never lost,
 * never duplicated.
 */
export async function importSpool(path: string, keys: SpoolKeyPair, archive: Archive, options: DrainOptions = {}): Promise<DrainResult> {
  const result: DrainResult = { records: 0, stored: 0, duplicates: 0, forged: 0, unreadable: 0, deferred: 0 };
  if (!existsSync(path)) return result;
  const sodium = await loadSodium();
  const appSecret = options.appSecret === undefined ? readSecret(archive, 'appSecret') : options.appSecret;
  const data = readFileSync(path);
  const end = wholeRecordsEnd(data);
  const rows: NewInboxRow[] = [];
  for (let offset = 0; offset < end; ) {
    const length = data.readUInt32BE(offset);
    const sealed = data.subarray(offset + lengthBytes, offset + lengthBytes + length);
    offset += lengthBytes + length;
    result.records++;
    let plain: Uint8Array;
    try {
      plain = sodium.crypto_box_seal_open(sealed, keys.publicKey, keys.secretKey);
    } catch {
      result.unreadable++;
      continue;
    }
    const record = decodePlaintext(plain);
    if (!record) {
      result.unreadable++;
      continue;
    }
    const externalId = `spool:${createHash('sha256').update(sealed).digest('hex')}`;
    let verified = record.verified;
    if (!verified && appSecret !== null) {
      if (checkSignature(record.body, record.signature, appSecret) !== 'ok') {
        result.forged++;
        continue;
      }
      verified = true;
    }
    rows.push({ body: record.body, receivedAt: record.receivedAt, source: 'spool', externalId, verified, signature: verified ? null : record.signature });
  }
  withFullSync(archive.db, () =>
    archive.transaction(() => {
      const fresh = rows.filter((row) => !archive.webhookInbox.hasExternalId(row.externalId!));
      archive.webhookInbox.appendMany(fresh);
      result.stored = fresh.length;
      result.duplicates = rows.length - fresh.length;
      result.deferred = fresh.filter((row) => row.verified === false).length;
    }),
  );
  if (options.logger && (result.forged > 0 || result.unreadable > 0)) {
    createLogger(options.logger).warn('Spooled webhooks discarded at unlock', { forged: result.forged, unreadable: result.unreadable });
  }
  return result;
}

/**
 * Step 2 of a drain: removes the spool file, durably. Only after `importSpool` committed. With `setAside`
 * (some records did not open: a damaged file, or a key pair that is not this workspace's) the file is
 * renamed beside itself instead, so nothing unread is destroyed; returns the new path then.
 */
export function discardSpool(path: string, options: { setAside?: boolean } = {}): string | null {
  if (!existsSync(path)) return null;
  let kept: string | null = null;
  if (options.setAside) {
    kept = `${path}.unreadable-${Date.now()}`;
    renameSync(path, kept);
  } else {
    unlinkSync(path);
  }
  syncDirectory(dirname(path));
  return kept;
}

/**
 * At unlock (after the receiver was switched to the archive sink and the spool sink closed): imports every
 * spooled body into the inbox, then removes the spool; with an app secret, also checks bodies stored
 * unverified by an earlier drain.
 */
export async function drainSpool(path: string, keys: SpoolKeyPair, archive: Archive, options: DrainOptions = {}): Promise<DrainResult> {
  const appSecret = options.appSecret === undefined ? readSecret(archive, 'appSecret') : options.appSecret;
  const result = await importSpool(path, keys, archive, { ...options, appSecret });
  result.keptAside = discardSpool(path, { setAside: result.unreadable > 0 });
  if (result.keptAside && options.logger) createLogger(options.logger).warn('A spool with unreadable records was kept aside', { records: result.unreadable });
  if (appSecret !== null) {
    const checked = verifyDeferred(archive, appSecret);
    result.forged += checked.forged;
  }
  return result;
}

/**
 * The unlock sequence in the only safe order: new webhooks go to the archive first, then the spool sink is
 * closed (its last batch written), then the spool is drained. The receiver keeps its port throughout.
 */
export async function handOverToArchive(options: DrainOptions & {
  receiver: Pick<WebhookReceiver, 'setSink'>;
  spool: SpoolSink;
  archiveSink: WebhookSink;
  keys: SpoolKeyPair;
  archive: Archive;
}): Promise<DrainResult> {
  options.receiver.setSink(options.archiveSink);
  await options.spool.close();
  return drainSpool(options.spool.path, options.keys, options.archive, { appSecret: options.appSecret, logger: options.logger });
}

/**
 * Checks inbox rows stored unverified (spooled and drained while no app secret was known) now that one is:
 * good ones join the processor's queue, forged ones are deleted. Returns the counts.
 */
export function verifyDeferred(archive: Archive, appSecret: string): { verified: number; forged: number } {
  const counts = { verified: 0, forged: 0 };
  for (;;) {
    const rows = archive.webhookInbox.unverified(500);
    if (rows.length === 0) return counts;
    archive.transaction(() => {
      for (const row of rows) {
        if (checkSignature(row.body, row.signature, appSecret) === 'ok') {
          archive.webhookInbox.markVerified(row.id);
          counts.verified++;
        } else {
          archive.webhookInbox.deleteForged(row.id);
          counts.forged++;
        }
      }
    });
  }
}

/** Size of the spool in bytes (0 when absent), for the settings page. */
export function spoolSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}
