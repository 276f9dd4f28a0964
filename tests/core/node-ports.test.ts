import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConfSettings, createFileKeychain, createPresetDialogs } from '../../electron/core/node-ports';
import { tempDir } from './helpers';

describe('plain-Node keychain', () => {
  it('round-trips a key, and the wrapped form does not contain it', async () => {
    const keychain = createFileKeychain(join(tempDir(), 'k', 'dev-keychain.key'));
    const secret = new Uint8Array(32).map((_, i) => i + 1);
    const wrapped = await keychain.wrap(secret);
    expect(Buffer.from(wrapped).includes(Buffer.from(secret))).toBe(false);
    expect(await keychain.unwrap(wrapped)).toEqual(secret);
  });

  it('refuses a tampered wrap and a wrap from another keychain', async () => {
    const dir = tempDir();
    const a = createFileKeychain(join(dir, 'a.key'));
    const b = createFileKeychain(join(dir, 'b.key'));
    const wrapped = await a.wrap(new Uint8Array([1, 2, 3]));
    const tampered = wrapped.slice();
    tampered[tampered.length - 1]! ^= 1;
    await expect(a.unwrap(tampered)).rejects.toThrow();
    await expect(b.unwrap(wrapped)).rejects.toThrow();
    await expect(a.unwrap(new Uint8Array(4))).rejects.toThrow();
  });

  it('keeps its key across restarts', async () => {
    const file = join(tempDir(), 'dev-keychain.key');
    const wrapped = await createFileKeychain(file).wrap(new Uint8Array([9, 8, 7]));
    expect(await createFileKeychain(file).unwrap(wrapped)).toEqual(new Uint8Array([9, 8, 7]));
  });
});

describe('conf settings', () => {
  it('persists values to settings.json across instances', async () => {
    const dir = tempDir();
    const first = createConfSettings(dir);
    await first.set('ui.language', 'zh-CN');
    await first.set('unlock.failures', { count: 2, lastAt: 1000 });
    const second = createConfSettings(dir);
    expect(await second.get('ui.language')).toBe('zh-CN');
    expect(await second.get('unlock.failures')).toEqual({ count: 2, lastAt: 1000 });
    await second.delete('ui.language');
    expect(await createConfSettings(dir).get('ui.language')).toBeUndefined();
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toMatchObject({ unlock: { failures: { count: 2, lastAt: 1000 } } });
  });
});

describe('preset dialogs', () => {
  it('answers from presets in order, per kind, and cancels when none is left', async () => {
    const dialogs = createPresetDialogs();
    dialogs.preset('chooseFolder', '/backups/a');
    dialogs.preset('chooseFolder', null);
    dialogs.preset('chooseSaveFile', '/tmp/t.html');
    expect(await dialogs.chooseSaveFile({ title: 't', defaultName: 'x.html' })).toBe('/tmp/t.html');
    expect(await dialogs.chooseFolder({ title: 'Backups' })).toBe('/backups/a');
    expect(await dialogs.chooseFolder({ title: 'Backups' })).toBeNull();
    expect(await dialogs.chooseFolder({ title: 'Backups' })).toBeNull();
  });
});
