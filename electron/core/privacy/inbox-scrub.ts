/**
 * Raw webhook bodies that reach the inbox after an erasure (a replay, a late or redelivered event, a body
 * spooled before the erasure and verified after it) are dropped by the processor but stay in the inbox as
 * processed rows. This scrub deletes every processed body that names a tombstoned identity or message, so an
 * erased person's words do not come back that way either. Run it after the processor drains and daily.
 *
 * It walks the inbox once, by id, remembering how far it got and which rows it passed while they were still
 * waiting for the processor (a body spooled without the app secret may wait for days): those are looked at
 * again on every run until they are processed. State in archive settings.
 */
import { z } from 'zod';
import type { Archive } from '../archive';
import type { Logger } from '../logger';
import type { AuditService } from './audit';
import { parseBody, redactWebhookBody } from './inbox-redaction';
import type { ErasedMatcher } from './inbox-redaction';
import { privacyStore } from './repositories/privacy-store';

const stateKey = 'privacy.inboxScrub';
const stateSchema = z.object({ through: z.number().int().nonnegative(), waiting: z.array(z.number().int().positive()).max(100_000) });
/** Waiting rows remembered at most; beyond that the oldest are dropped (the next erasure's own sweep still finds them). */
const maxWaiting = 10_000;

export interface InboxScrubDeps {
  archive: Archive;
  audit: Pick<AuditService, 'inboxScrubbed'>;
  logger: Logger;
  batchSize?: number;
}

/** Whether a value found in a webhook is an erased identity or message (tombstones are keyed hashes). */
export function tombstoneMatcher(archive: Pick<Archive, 'tombstones'>): ErasedMatcher {
  const { tombstones } = archive;
  return {
    identity: (v) => tombstones.has('user_id', v) || tombstones.has('wa_id', v) || tombstones.has('phone', v),
    wamid: (v) => tombstones.has('wamid', v),
  };
}

export function createInboxScrub(deps: InboxScrubDeps) {
  const { archive } = deps;
  const store = privacyStore(archive.db);
  const batchSize = deps.batchSize ?? 500;
  const matcher = tombstoneMatcher(archive);

  const names = (body: Buffer) => {
    const parsed = parseBody(body);
    return parsed !== null && redactWebhookBody(parsed, matcher).removed > 0;
  };

  return {
    /** Scrubs what was processed since the last run; returns how many bodies were read and deleted. */
    run(): { scanned: number; deleted: number } {
      let scanned = 0;
      let deleted = 0;
      const read = () => {
        const parsed = stateSchema.safeParse(archive.settings.get(stateKey));
        return parsed.success ? parsed.data : { through: 0, waiting: [] };
      };

      // Rows passed earlier while they waited for the processor.
      archive.transaction(() => {
        const state = read();
        if (state.waiting.length === 0) return;
        const rows = store.inboxByIds(state.waiting);
        const done = rows.filter((r) => r.processed);
        scanned += done.length;
        deleted += store.deleteInboxRows(done.filter((r) => names(r.body)).map((r) => r.id));
        // Rows gone (deleted as forged, or by an erasure) leave the list too.
        archive.settings.set(stateKey, { through: state.through, waiting: rows.filter((r) => !r.processed).map((r) => r.id) });
      });

      for (;;) {
        const more = archive.transaction(() => {
          const state = read();
          const rows = store.inboxAfter(state.through, batchSize);
          if (rows.length === 0) return false;
          const done = rows.filter((r) => r.processed);
          scanned += done.length;
          deleted += store.deleteInboxRows(done.filter((r) => names(r.body)).map((r) => r.id));
          const waiting = [...state.waiting, ...rows.filter((r) => !r.processed).map((r) => r.id)].slice(-maxWaiting);
          archive.settings.set(stateKey, { through: rows.at(-1)!.id, waiting });
          return rows.length === batchSize;
        });
        if (!more) break;
      }

      if (deleted > 0) {
        deps.audit.inboxScrubbed({ inboxBodies: deleted });
        // The deleted bodies' old page versions leave the WAL too.
        store.truncateWal();
        deps.logger.info('Raw webhook bodies naming erased contacts were deleted', { deleted });
      }
      return { scanned, deleted };
    },
  };
}

export type InboxScrub = ReturnType<typeof createInboxScrub>;

/**
 * One pass over a whole inbox with a matcher: processed bodies naming an erased person are deleted, bodies
 * still waiting (and signature-checked) are redacted, unverified ones are left for the scrub. For a restored
 * copy before it replaces the current archive (backup's `applyCurrentErasures` takes it as `extra`), and any
 * caller holding a matcher of its own. Synchronous, in batches of one transaction each.
 */
export function redactInbox(archive: Archive, erased: ErasedMatcher, batchSize = 500): { deleted: number; redacted: number } {
  const store = privacyStore(archive.db);
  let after = 0;
  let deleted = 0;
  let redacted = 0;
  for (;;) {
    const rows = store.inboxAfter(after, batchSize);
    if (rows.length === 0) break;
    archive.transaction(() => {
      const doomed: number[] = [];
      for (const row of rows) {
        if (!row.verified) continue;
        const parsed = parseBody(row.body);
        if (parsed === null) continue;
        const result = redactWebhookBody(parsed, erased);
        if (result.removed === 0) continue;
        if (row.processed || result.body === null) doomed.push(row.id);
        else if (store.replaceInboxBody(row.id, Buffer.from(JSON.stringify(result.body), 'utf8'))) redacted++;
      }
      deleted += store.deleteInboxRows(doomed);
    });
    after = rows.at(-1)!.id;
    if (rows.length < batchSize) break;
  }
  return { deleted, redacted };
}
