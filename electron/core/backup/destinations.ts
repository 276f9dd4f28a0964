/**
 * Cloud-drive folders on this computer that a backup can go to (PRODUCT §12): Google Drive, iCloud Drive,
 * OneDrive and Dropbox, where their desktop apps put them by default on macOS and Windows (and Linux where
 * there is an obvious place). A pure function over the platform, home folder, environment and a small
 * read-only file-system port, so every platform's rules are tested anywhere.
 *
 * - macOS: File Provider folders in `~/Library/CloudStorage` (GoogleDrive-<account>/My Drive,
 *   OneDrive-Personal, OneDrive-<organisation>, Dropbox, Dropbox-<team>), iCloud Drive in
 *   `~/Library/Mobile Documents/com~apple~CloudDocs`, and the older places (`~/Dropbox`, `~/OneDrive`,
 *   `~/Google Drive`, `/Volumes/GoogleDrive/My Drive`).
 * - Windows: OneDrive from the variables its client sets (OneDriveConsumer, OneDriveCommercial, OneDrive),
 *   Google Drive for desktop's "My Drive" on its drive letter (G: by default, any of D:–Z:) or mirrored in
 *   the profile, `%USERPROFILE%\iCloudDrive`, Dropbox from its info.json or `%USERPROFILE%\Dropbox`.
 * - Linux: Dropbox (info.json or ~/Dropbox) and the OneDrive client's ~/OneDrive.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import { z } from 'zod';

export type CloudProvider = 'google-drive' | 'icloud-drive' | 'onedrive' | 'dropbox';

export interface CloudFolder {
  provider: CloudProvider;
  /** What to show: the service, and the account or organisation when there are several. */
  label: string;
  path: string;
}

/** Read-only questions about folders; never throws (a missing or unreadable folder is simply absent). */
export interface FolderProbe {
  isDirectory(path: string): boolean;
  readdir(path: string): string[];
  readText(path: string): string | null;
}

export interface DetectInput {
  platform: string;
  homeDir: string;
  env: Record<string, string | undefined>;
  fs: FolderProbe;
}

const dropboxInfoSchema = z.record(z.string(), z.object({ path: z.string().min(1) }).loose());

function dropboxFromInfo(fs: FolderProbe, infoPath: string): CloudFolder[] {
  const text = fs.readText(infoPath);
  if (!text) return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [];
  }
  const parsed = dropboxInfoSchema.safeParse(json);
  if (!parsed.success) return [];
  return Object.entries(parsed.data).map(([account, { path }]) => ({
    provider: 'dropbox' as const,
    label: account === 'personal' ? 'Dropbox' : account === 'business' ? 'Dropbox (business)' : `Dropbox (${account})`,
    path,
  }));
}

function mac({ homeDir, fs }: DetectInput): CloudFolder[] {
  const p = posix;
  const found: CloudFolder[] = [];
  const cloudStorage = p.join(homeDir, 'Library', 'CloudStorage');
  for (const name of fs.readdir(cloudStorage).sort()) {
    const dir = p.join(cloudStorage, name);
    const google = /^GoogleDrive-(.+)$/.exec(name);
    const oneDrive = /^OneDrive-(.+)$/.exec(name);
    const dropbox = /^Dropbox(?:-(.+))?$/.exec(name);
    if (google) {
      const myDrive = p.join(dir, 'My Drive');
      found.push({ provider: 'google-drive', label: `Google Drive (${google[1]})`, path: fs.isDirectory(myDrive) ? myDrive : dir });
    } else if (oneDrive) {
      found.push({ provider: 'onedrive', label: oneDrive[1] === 'Personal' ? 'OneDrive' : `OneDrive (${oneDrive[1]})`, path: dir });
    } else if (dropbox) {
      found.push({ provider: 'dropbox', label: dropbox[1] ? `Dropbox (${dropbox[1]})` : 'Dropbox', path: dir });
    }
  }
  const legacy: CloudFolder[] = [
    { provider: 'icloud-drive', label: 'iCloud Drive', path: p.join(homeDir, 'Library', 'Mobile Documents', 'com~apple~CloudDocs') },
    { provider: 'google-drive', label: 'Google Drive', path: '/Volumes/GoogleDrive/My Drive' },
    { provider: 'google-drive', label: 'Google Drive', path: p.join(homeDir, 'Google Drive') },
    { provider: 'onedrive', label: 'OneDrive', path: p.join(homeDir, 'OneDrive') },
  ];
  found.push(...legacy.filter((f) => fs.isDirectory(f.path)));
  found.push(...dropboxFromInfo(fs, p.join(homeDir, '.dropbox', 'info.json')));
  if (fs.isDirectory(p.join(homeDir, 'Dropbox'))) found.push({ provider: 'dropbox', label: 'Dropbox', path: p.join(homeDir, 'Dropbox') });
  return found;
}

function windows({ homeDir, env, fs }: DetectInput): CloudFolder[] {
  const w = win32;
  const found: CloudFolder[] = [];
  const oneDriveLabel = (path: string) => {
    const org = /^OneDrive - (.+)$/.exec(w.basename(path));
    return org ? `OneDrive (${org[1]})` : 'OneDrive';
  };
  for (const variable of ['OneDriveConsumer', 'OneDriveCommercial', 'OneDrive']) {
    const path = env[variable];
    if (path && fs.isDirectory(path)) found.push({ provider: 'onedrive', label: oneDriveLabel(path), path });
  }
  if (fs.isDirectory(w.join(homeDir, 'OneDrive'))) found.push({ provider: 'onedrive', label: 'OneDrive', path: w.join(homeDir, 'OneDrive') });

  for (const letter of 'GDEFHIJKLMNOPQRSTUVWXYZ') {
    const myDrive = `${letter}:\\My Drive`;
    if (fs.isDirectory(myDrive)) found.push({ provider: 'google-drive', label: `Google Drive (${letter}:)`, path: myDrive });
  }
  for (const name of ['My Drive', 'Google Drive']) {
    const path = w.join(homeDir, name);
    if (fs.isDirectory(path)) found.push({ provider: 'google-drive', label: 'Google Drive', path });
  }

  const iCloud = w.join(homeDir, 'iCloudDrive');
  if (fs.isDirectory(iCloud)) found.push({ provider: 'icloud-drive', label: 'iCloud Drive', path: iCloud });

  for (const base of [env.LOCALAPPDATA, env.APPDATA]) if (base) found.push(...dropboxFromInfo(fs, w.join(base, 'Dropbox', 'info.json')));
  if (fs.isDirectory(w.join(homeDir, 'Dropbox'))) found.push({ provider: 'dropbox', label: 'Dropbox', path: w.join(homeDir, 'Dropbox') });
  return found;
}

function linux({ homeDir, fs }: DetectInput): CloudFolder[] {
  const p = posix;
  const found = dropboxFromInfo(fs, p.join(homeDir, '.dropbox', 'info.json'));
  if (fs.isDirectory(p.join(homeDir, 'Dropbox'))) found.push({ provider: 'dropbox', label: 'Dropbox', path: p.join(homeDir, 'Dropbox') });
  if (fs.isDirectory(p.join(homeDir, 'OneDrive'))) found.push({ provider: 'onedrive', label: 'OneDrive', path: p.join(homeDir, 'OneDrive') });
  return found;
}

/** The cloud folders found, each once (a folder named twice — variable and default place — is listed once). */
export function detectCloudFolders(input: DetectInput): CloudFolder[] {
  const all = input.platform === 'darwin' ? mac(input) : input.platform === 'win32' ? windows(input) : input.platform === 'linux' ? linux(input) : [];
  const key = (path: string) => (input.platform === 'win32' ? win32.normalize(path).toLowerCase() : posix.normalize(path)).replace(/[\\/]+$/, '');
  const seen = new Set<string>();
  return all.filter((folder) => folder.path !== '' && input.fs.isDirectory(folder.path) && !seen.has(key(folder.path)) && seen.add(key(folder.path)));
}

/** The real file system, read only. */
export const nodeFolderProbe: FolderProbe = {
  isDirectory(path) {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  },
  readdir(path) {
    try {
      return readdirSync(path);
    } catch {
      return [];
    }
  },
  readText(path) {
    try {
      return existsSync(path) ? readFileSync(path, 'utf8') : null;
    } catch {
      return null;
    }
  },
};
