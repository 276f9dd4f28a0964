/**
 * Child process for receiver-kill.test.ts: a real receiver on 127.0.0.1 port 0, storing either into the
 * archive (group commit, synchronous=FULL) or, as while the archive is closed, into the sealed spool.
 * Prints `listening <port>` and serves until the parent SIGKILLs it. Run with `node --import tsx`, with one
 * JSON argument (see `ChildConfig`).
 */
import { openArchive } from '../../../electron/core/archive/connection';
import { createWallClock } from '../../../electron/core/clock';
import { createArchiveSink } from '../../../electron/core/cloud/group-commit';
import { startWebhookReceiver } from '../../../electron/core/cloud/receiver';
import type { WebhookSink } from '../../../electron/core/cloud/receiver';
import { openSpoolSink } from '../../../electron/core/cloud/spool';
import { createMemoryLogger } from '../../../electron/core/node-ports';

export type ChildConfig =
  | { mode: 'archive'; path: string; keyHex: string; appSecret: string; maxDelayMs: number }
  | { mode: 'spool'; path: string; publicKeyHex: string; appSecret: string; maxDelayMs: number };

const config = JSON.parse(process.argv[2]!) as ChildConfig;
let sink: WebhookSink;
if (config.mode === 'archive') {
  const archive = openArchive({ path: config.path, key: new Uint8Array(Buffer.from(config.keyHex, 'hex')) });
  sink = createArchiveSink(archive, { maxDelayMs: config.maxDelayMs });
} else {
  sink = await openSpoolSink({ path: config.path, publicKey: new Uint8Array(Buffer.from(config.publicKeyHex, 'hex')), maxDelayMs: config.maxDelayMs });
}
const receiver = await startWebhookReceiver({
  verifyToken: 'unused',
  appSecret: () => config.appSecret,
  sink,
  clock: createWallClock(),
  logger: createMemoryLogger(),
});
process.stdout.write(`listening ${receiver.port}\n`);
