import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectCloudFolders, nodeFolderProbe } from '../../../electron/core/backup';
import type { FolderProbe } from '../../../electron/core/backup';
import { tempDir } from '../helpers';

/** A pretend file system: the folders that exist and the text files there are (paths compared as given). */
function probe(folders: string[], files: Record<string, string> = {}, caseInsensitive = false): FolderProbe {
  const norm = (p: string) => (caseInsensitive ? p.toLowerCase() : p).replace(/[\\/]+$/, '');
  const set = new Set(folders.map(norm));
  return {
    isDirectory: (path) => set.has(norm(path)),
    readdir: (path) => {
      const prefix = `${norm(path)}${caseInsensitive ? '\\' : '/'}`;
      return [...new Set(folders.filter((f) => norm(f).startsWith(prefix)).map((f) => f.slice(prefix.length).split(/[\\/]/)[0]!))];
    },
    readText: (path) => files[path] ?? null,
  };
}

interface Case {
  name: string;
  platform: string;
  home: string;
  env: Record<string, string>;
  folders: string[];
  files: Record<string, string>;
  expected: string[][];
}

describe('cloud-drive folders that can receive backups', () => {
  it.each<Case>([
    {
      name: 'macOS with File Provider folders (two Google accounts, OneDrive personal and work, Dropbox) and iCloud',
      platform: 'darwin',
      home: '/Users/ann',
      env: {},
      folders: [
        '/Users/ann/Library/CloudStorage/GoogleDrive-ann@example.com/My Drive',
        '/Users/ann/Library/CloudStorage/GoogleDrive-shop@example.com/My Drive',
        '/Users/ann/Library/CloudStorage/OneDrive-Personal',
        '/Users/ann/Library/CloudStorage/OneDrive-Contoso Ltd',
        '/Users/ann/Library/CloudStorage/Dropbox',
        '/Users/ann/Library/CloudStorage/Box-Box',
        '/Users/ann/Library/Mobile Documents/com~apple~CloudDocs',
      ],
      files: {},
      expected: [
        ['dropbox', 'Dropbox', '/Users/ann/Library/CloudStorage/Dropbox'],
        ['google-drive', 'Google Drive (ann@example.com)', '/Users/ann/Library/CloudStorage/GoogleDrive-ann@example.com/My Drive'],
        ['google-drive', 'Google Drive (shop@example.com)', '/Users/ann/Library/CloudStorage/GoogleDrive-shop@example.com/My Drive'],
        ['onedrive', 'OneDrive (Contoso Ltd)', '/Users/ann/Library/CloudStorage/OneDrive-Contoso Ltd'],
        ['onedrive', 'OneDrive', '/Users/ann/Library/CloudStorage/OneDrive-Personal'],
        ['icloud-drive', 'iCloud Drive', '/Users/ann/Library/Mobile Documents/com~apple~CloudDocs'],
      ],
    },
    {
      name: 'macOS with the older apps (Google Drive File Stream volume, ~/Dropbox from info.json, ~/OneDrive)',
      platform: 'darwin',
      home: '/Users/bo',
      env: {},
      folders: ['/Volumes/GoogleDrive/My Drive', '/Users/bo/Dropbox (Shop)', '/Users/bo/OneDrive'],
      files: { '/Users/bo/.dropbox/info.json': JSON.stringify({ business: { path: '/Users/bo/Dropbox (Shop)', host: 1 } }) },
      expected: [
        ['google-drive', 'Google Drive', '/Volumes/GoogleDrive/My Drive'],
        ['onedrive', 'OneDrive', '/Users/bo/OneDrive'],
        ['dropbox', 'Dropbox (business)', '/Users/bo/Dropbox (Shop)'],
      ],
    },
    {
      name: 'macOS with none of them',
      platform: 'darwin',
      home: '/Users/cy',
      env: {},
      folders: ['/Users/cy/Documents'],
      files: {},
      expected: [],
    },
    {
      name: 'Windows with OneDrive personal and work (from its variables), Google Drive on G:, iCloud, Dropbox (info.json)',
      platform: 'win32',
      home: 'C:\\Users\\Ann',
      env: {
        OneDrive: 'C:\\Users\\Ann\\OneDrive',
        OneDriveConsumer: 'C:\\Users\\Ann\\OneDrive',
        OneDriveCommercial: 'C:\\Users\\Ann\\OneDrive - Contoso',
        LOCALAPPDATA: 'C:\\Users\\Ann\\AppData\\Local',
      },
      folders: ['C:\\Users\\Ann\\OneDrive', 'C:\\Users\\Ann\\OneDrive - Contoso', 'G:\\My Drive', 'C:\\Users\\Ann\\iCloudDrive', 'D:\\Dropbox'],
      files: { 'C:\\Users\\Ann\\AppData\\Local\\Dropbox\\info.json': JSON.stringify({ personal: { path: 'D:\\Dropbox' } }) },
      expected: [
        ['onedrive', 'OneDrive', 'C:\\Users\\Ann\\OneDrive'],
        ['onedrive', 'OneDrive (Contoso)', 'C:\\Users\\Ann\\OneDrive - Contoso'],
        ['google-drive', 'Google Drive (G:)', 'G:\\My Drive'],
        ['icloud-drive', 'iCloud Drive', 'C:\\Users\\Ann\\iCloudDrive'],
        ['dropbox', 'Dropbox', 'D:\\Dropbox'],
      ],
    },
    {
      name: 'Windows with Google Drive on another letter and mirrored, default Dropbox and OneDrive folders, no variables',
      platform: 'win32',
      home: 'C:\\Users\\Bo',
      env: {},
      folders: ['H:\\My Drive', 'C:\\Users\\Bo\\My Drive', 'C:\\Users\\Bo\\Dropbox', 'C:\\Users\\Bo\\OneDrive'],
      files: {},
      expected: [
        ['onedrive', 'OneDrive', 'C:\\Users\\Bo\\OneDrive'],
        ['google-drive', 'Google Drive (H:)', 'H:\\My Drive'],
        ['google-drive', 'Google Drive', 'C:\\Users\\Bo\\My Drive'],
        ['dropbox', 'Dropbox', 'C:\\Users\\Bo\\Dropbox'],
      ],
    },
    {
      name: 'Linux with Dropbox and the OneDrive client',
      platform: 'linux',
      home: '/home/dee',
      env: {},
      folders: ['/home/dee/Dropbox', '/home/dee/OneDrive'],
      files: {},
      expected: [
        ['dropbox', 'Dropbox', '/home/dee/Dropbox'],
        ['onedrive', 'OneDrive', '/home/dee/OneDrive'],
      ],
    },
    {
      name: 'a folder named by a variable that does not exist, and a broken info.json, are not offered',
      platform: 'win32',
      home: 'C:\\Users\\Ed',
      env: { OneDrive: 'C:\\Users\\Ed\\OneDrive', APPDATA: 'C:\\Users\\Ed\\AppData\\Roaming' },
      folders: [],
      files: { 'C:\\Users\\Ed\\AppData\\Roaming\\Dropbox\\info.json': '{not json' },
      expected: [],
    },
  ])('$name', ({ platform, home, env, folders, files, expected }) => {
    const found = detectCloudFolders({ platform, homeDir: home, env, fs: probe(folders, files, platform === 'win32') });
    expect(found.map((f) => [f.provider, f.label, f.path])).toEqual(expected);
  });

  it('works on the real file system with the real probe', () => {
    const home = tempDir('frontdesk-home-');
    mkdirSync(join(home, 'Dropbox'));
    mkdirSync(join(home, '.dropbox'));
    writeFileSync(join(home, '.dropbox', 'info.json'), JSON.stringify({ personal: { path: join(home, 'Dropbox') } }));
    expect(detectCloudFolders({ platform: 'linux', homeDir: home, env: {}, fs: nodeFolderProbe })).toEqual([{ provider: 'dropbox', label: 'Dropbox', path: join(home, 'Dropbox') }]);
  });
});
