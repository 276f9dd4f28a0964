/**
 * Test seam: a real archive (encrypted SQLite file in a temp folder, random key) filled with realistic
 * traffic through the repositories, exactly as the inbound processor and the outbox will write it. Works
 * inside vitest and in the benchmarks (no test-runner hooks here: the caller disposes).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openArchive } from '../../electron/core/archive/connection';
import type { Archive } from '../../electron/core/archive/connection';
import type { ClockPort } from '../../electron/core/ports';
import { performance } from 'node:perf_hooks';
import { createRng, generateContacts, generateMessages } from './message-generator';

export interface FillOptions {
  messages: number;
  /** Default: one contact per 50 messages, at least 20. */
  contacts?: number;
  seed?: number;
  /** Messages per transaction. */
  batchSize?: number;
  onProgress?: (written: number, total: number) => void;
}

export interface FillResult {
  contactIds: number[];
  conversationIds: number[];
  messagesWritten: number;
}

export interface ArchiveFiller extends FillResult {
  /** Writes the next `count` messages of the same deterministic stream. */
  write(count: number, onBatch?: (written: number, batchMs: number) => void): void;
}

/**
 * Creates the contacts and their conversations, then writes messages on demand, continuing one stream: a
 * benchmark can measure at 100k, write 900k more, and measure at 1M in the same archive.
 */
export function createFiller(archive: Archive, options: Omit<FillOptions, 'onProgress'> & { contacts: number }): ArchiveFiller {
  const seed = options.seed ?? 1;
  const rng = createRng(seed);
  const batchSize = options.batchSize ?? 2000;
  const contactIds: number[] = [];
  const conversationIds: number[] = [];
  archive.transaction(() => {
    for (const generated of generateContacts(rng, options.contacts)) {
      const { id } = archive.contacts.upsertByIdentity(generated.identity);
      if (generated.savedName) archive.contacts.update(id, { savedName: generated.savedName });
      contactIds.push(id);
      conversationIds.push(archive.conversations.getOrCreateForContact(id).conversation.id);
    }
  });
  const messages = generateMessages(rng, { count: options.messages, contacts: options.contacts, seed });
  const filler: ArchiveFiller = {
    contactIds,
    conversationIds,
    messagesWritten: 0,
    write(count, onBatch) {
      let left = count;
      while (left > 0) {
        const started = performance.now();
        const n = Math.min(batchSize, left);
        let done = 0;
        archive.transaction(() => {
          for (; done < n; done++) {
            const next = messages.next();
            if (next.done) return;
            const m = next.value;
            archive.messages.insert({
              conversationId: conversationIds[m.contact]!,
              wamid: m.wamid,
              direction: m.direction,
              type: m.type,
              text: m.text,
              caption: m.caption,
              payload: m.type === 'text' ? { body: m.text } : { caption: m.caption ?? undefined, mime_type: 'application/octet-stream' },
              status: m.status,
              statusAt: m.status ? m.timestamp + 2000 : null,
              errorCode: m.status === 'failed' ? 131049 : null,
              errorTitle: m.status === 'failed' ? 'This message was not delivered to maintain healthy ecosystem engagement.' : null,
              senderStaffId: m.staffId,
              automatic: m.automatic,
              timestamp: m.timestamp,
              receivedAt: m.timestamp + 1000,
            });
          }
        });
        if (done === 0) return;
        left -= done;
        filler.messagesWritten += done;
        onBatch?.(done, performance.now() - started);
      }
    },
  };
  return filler;
}

/** Writes generated contacts and messages into an open archive through its repositories. */
export function fillArchive(archive: Archive, options: FillOptions): FillResult {
  const contacts = options.contacts ?? Math.max(20, Math.ceil(options.messages / 50));
  const filler = createFiller(archive, { ...options, contacts });
  filler.write(options.messages, () => options.onProgress?.(filler.messagesWritten, options.messages));
  return { contactIds: filler.contactIds, conversationIds: filler.conversationIds, messagesWritten: filler.messagesWritten };
}

export interface SeedOptions extends Partial<FillOptions> {
  /** Folder for the archive; default a new temp folder (removed by dispose). */
  dir?: string;
  /** Default true: a random 32-byte key. False writes an unencrypted file (benchmark baseline). */
  encrypted?: boolean;
  key?: Uint8Array;
  clock?: Pick<ClockPort, 'now'>;
}

export interface SeededArchive extends FillResult {
  archive: Archive;
  dir: string;
  path: string;
  key: Uint8Array | null;
  /** Closes the archive (if still open) and removes a temp folder this function created. */
  dispose(): void;
}

export function seedArchive(options: SeedOptions = {}): SeededArchive {
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'frontdesk-archive-'));
  const path = join(dir, 'archive.db');
  const key = options.encrypted === false ? null : (options.key ?? new Uint8Array(randomBytes(32)));
  const archive = openArchive({ path, key, ...(options.clock ? { clock: options.clock } : {}) });
  const fill = fillArchive(archive, { ...options, messages: options.messages ?? 200 });
  return {
    ...fill,
    archive,
    dir,
    path,
    key,
    dispose() {
      archive.close();
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
