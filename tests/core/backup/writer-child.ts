/**
 * Child process for export.test.ts: keeps writing to a workspace's archive from its own connection, as the
 * inbound processor would while a backup runs. Each round stores a media file, then in ONE transaction its
 * media row and two messages `pair.<n>.a` / `pair.<n>.b`. Prints `ready` after the first rounds; runs until
 * killed. Run with `node --import tsx writer-child.ts <workspace dir> <master key hex> <conversation id>`.
 */
import { join } from 'node:path';
import { createMediaStore, openArchive } from '../../../electron/core/archive';
import { deriveWorkspaceKeys } from '../../../electron/core/vault/keys';
import { loadSodium } from '../../../electron/core/vault/sodium';

const [dir, masterHex, conversation] = process.argv.slice(2);
const sodium = await loadSodium();
const keys = deriveWorkspaceKeys(sodium, new Uint8Array(Buffer.from(masterHex!, 'hex')));
const archive = openArchive({ path: join(dir!, 'archive.db'), key: keys.database, busyTimeoutMs: 20_000 });
const media = await createMediaStore({ dir: dir!, key: keys.media });
const conversationId = Number(conversation);

for (let n = 1; ; n++) {
  const stored = await media.put(Buffer.from(`pair ${n} ${'x'.repeat(2000 + n)}`));
  archive.transaction(() => {
    const row = archive.media.create({ state: 'stored', contentHash: stored.hash, size: stored.size, mime: 'image/png' });
    for (const half of ['a', 'b']) {
      archive.messages.insert({ conversationId, wamid: `pair.${n}.${half}`, direction: 'in', type: 'image', mediaId: row.id, caption: `pair ${n} ${half}`, timestamp: 1_900_000_000_000 + n });
    }
  });
  if (n === 20) process.stdout.write('ready\n');
  // A pause between rounds, like webhooks arriving: the other process gets the write lock in between.
  await new Promise((resolve) => setTimeout(resolve, 3));
}
