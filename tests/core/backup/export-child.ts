/**
 * Child process for export.test.ts: backs up a workspace and prints each progress report as a JSON line, so
 * the test can SIGKILL it in the middle. Run with `node --import tsx export-child.ts <workspace dir>
 * <master key hex> <destination>`.
 */
import { join } from 'node:path';
import { exportBackup } from '../../../electron/core/backup';
import { deriveWorkspaceKeys } from '../../../electron/core/vault/keys';
import { loadSodium } from '../../../electron/core/vault/sodium';
import { readVaultFile } from '../../../electron/core/vault/vault-file';

const [dir, masterHex, destinationDir] = process.argv.slice(2);
const sodium = await loadSodium();
const keys = deriveWorkspaceKeys(sodium, new Uint8Array(Buffer.from(masterHex!, 'hex')));
const paths = { dir: dir!, vault: join(dir!, 'vault.json'), database: join(dir!, 'archive.db'), media: join(dir!, 'media') };
const result = await exportBackup({
  workspace: { vault: readVaultFile(paths.vault), keys, paths },
  destinationDir: destinationDir!,
  appVersion: 'child',
  chunkBytes: 64 * 1024,
  onProgress: (progress) => process.stdout.write(`${JSON.stringify(progress)}\n`),
});
process.stdout.write(`${JSON.stringify({ finished: result.fileName })}\n`);
