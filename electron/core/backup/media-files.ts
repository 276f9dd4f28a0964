/** The encrypted files of a workspace's media store (`media/ab/<hash>`), as a backup lists and restores them. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { mediaEntryName } from './format';

export interface MediaFile {
  /** The entry name in a backup: `media/ab/<hash>`. */
  name: string;
  path: string;
  size: number;
}

const bucketPattern = /^[0-9a-f]{2}$/;
const hashPattern = /^[0-9a-f]{64}$/;

/** Every stored media file under `mediaDir` (the store's `tmp/` files being written are not media yet). */
export async function listMediaFiles(mediaDir: string): Promise<MediaFile[]> {
  const files: MediaFile[] = [];
  for (const bucket of (await readdir(mediaDir).catch(() => [] as string[])).sort()) {
    if (!bucketPattern.test(bucket)) continue;
    for (const hash of (await readdir(join(mediaDir, bucket)).catch(() => [] as string[])).sort()) {
      if (!hashPattern.test(hash) || !hash.startsWith(bucket)) continue;
      const path = join(mediaDir, bucket, hash);
      const info = await stat(path).catch(() => null);
      if (info?.isFile()) files.push({ name: mediaEntryName(hash), path, size: info.size });
    }
  }
  return files;
}
