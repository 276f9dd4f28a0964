/**
 * Child process for crash.test.ts: opens the archive, starts one big write transaction, says so on stdout
 * and blocks inside it until the parent SIGKILLs it. Run with `node --import tsx`.
 */
import { openArchive } from '../../../electron/core/archive/connection';

const [path, keyHex, conversationId, count] = process.argv.slice(2);
const archive = openArchive({ path: path!, key: new Uint8Array(Buffer.from(keyHex!, 'hex')) });
// A tiny page cache makes SQLite spill uncommitted pages into the WAL before commit, so the kill lands
// with part of the transaction already on disk: exactly what recovery must ignore.
archive.db.pragma('cache_size = 20');
archive.transaction(() => {
  for (let i = 0; i < Number(count); i++) {
    archive.messages.insert({
      conversationId: Number(conversationId),
      wamid: `wamid.partial.${i}`,
      direction: 'in',
      type: 'text',
      text: `PARTIALWRITE number ${i} ${'padding '.repeat(20)}`,
      timestamp: 2_000_000_000_000 + i,
    });
  }
  archive.settings.set('crash.marker', 'written inside the killed transaction');
  process.stdout.write('in-transaction\n');
  // Block without returning to the event loop (the transaction stays open) until killed.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
});
process.stdout.write('not killed\n');
