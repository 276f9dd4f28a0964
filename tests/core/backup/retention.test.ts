import { copyFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyRetention, exportBackup, listBackups } from '../../../electron/core/backup';
import { tempDir } from '../helpers';
import { createWorkspace, seed } from './fixture';

describe('retention: keep the newest N backups', () => {
  it('deletes only this workspace’s own older backups, newest by the header, and leaves every other file alone', async () => {
    const fx = await createWorkspace();
    await seed(fx, { contacts: 1, messages: 3, mediaSizes: [1000] });
    const other = await createWorkspace();
    await seed(other, { contacts: 1, messages: 2, mediaSizes: [] });
    const dest = tempDir('frontdesk-dest-');

    const day = 86_400_000;
    const ours = [];
    for (let i = 0; i < 5; i++) {
      ours.push(await exportBackup({ workspace: fx, destinationDir: dest, appVersion: '1.0.0', now: () => 1_800_000_000_000 + i * day }));
    }
    const theirs = await exportBackup({ workspace: other, destinationDir: dest, appVersion: '1.0.0', now: () => 1_900_000_000_000 });
    // File times say the opposite of the headers (a sync client rewrote them): the headers decide.
    ours.forEach((b, i) => utimesSync(b.path, new Date(2_000_000_000_000 - i * day), new Date(2_000_000_000_000 - i * day)));
    // Look-alikes: a person's file named like a backup, a renamed copy of ours, unrelated files.
    writeFileSync(join(dest, 'notes.fdbackup'), 'FDBACKUP but only text, no header');
    writeFileSync(join(dest, 'holiday.jpg'), Buffer.from([0xff, 0xd8, 0xff]));
    copyFileSync(ours[0]!.path, join(dest, 'kept-by-hand.bak'));

    expect((await listBackups(dest, { workspaceId: fx.vault.id })).map((b) => b.backupId)).toEqual(ours.map((b) => b.backupId).reverse());

    const { kept, deleted } = await applyRetention({ destinationDir: dest, workspaceId: fx.vault.id, keep: 2 });
    expect(kept.map((b) => b.backupId)).toEqual([ours[4]!.backupId, ours[3]!.backupId]);
    expect(deleted.map((b) => b.backupId)).toEqual([ours[2]!.backupId, ours[1]!.backupId, ours[0]!.backupId]);
    expect(readdirSync(dest).sort()).toEqual([ours[4]!.fileName, ours[3]!.fileName, theirs.fileName, 'holiday.jpg', 'kept-by-hand.bak', 'notes.fdbackup'].sort());

    // Exactly N stay, run after run.
    await exportBackup({ workspace: fx, destinationDir: dest, appVersion: '1.0.0', now: () => 1_800_000_000_000 + 10 * day });
    await applyRetention({ destinationDir: dest, workspaceId: fx.vault.id, keep: 2 });
    expect(await listBackups(dest, { workspaceId: fx.vault.id })).toHaveLength(2);
    expect(await listBackups(dest, { workspaceId: other.vault.id })).toHaveLength(1);
  });

  it('refuses to keep fewer than one', async () => {
    await expect(applyRetention({ destinationDir: tempDir(), workspaceId: 'whatever-workspace', keep: 0 })).rejects.toThrow();
  });
});
