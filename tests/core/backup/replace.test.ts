import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../../electron/core/archive';
import {
  applyReplacement,
  confirmReplacement,
  exportBackup,
  pendingReplacement,
  rollbackReplacement,
  stageReplacement,
} from '../../../electron/core/backup';
import { tempDir } from '../helpers';
import { createWorkspace, filesUnder, seed } from './fixture';
import type { SeedResult, WorkspaceFixture } from './fixture';

/** What electron/core/privacy's erasure leaves behind: tombstones for every identity and message, the rows gone. */
async function eraseContact(fx: WorkspaceFixture, contact: SeedResult['contacts'][number]) {
  const { archive } = fx;
  const wamids = archive.db.prepare<[number], string>('SELECT wamid FROM messages WHERE conversation_id = ? AND wamid IS NOT NULL').pluck().all(contact.conversationId);
  const media = archive.db
    .prepare<[number], string>('SELECT md.content_hash FROM messages m JOIN media md ON md.id = m.media_id WHERE m.conversation_id = ?')
    .pluck()
    .all(contact.conversationId);
  archive.transaction(() => {
    archive.tombstones.add('wa_id', contact.waId);
    archive.tombstones.add('phone', contact.waId);
    for (const wamid of wamids) archive.tombstones.add('wamid', wamid);
    archive.db.prepare('DELETE FROM contacts WHERE id = ?').run(contact.id);
  });
  archive.media.deleteUnreferenced(Number.MAX_SAFE_INTEGER);
  for (const hash of media) await fx.media.remove(hash);
  return { wamids, media };
}

const wamidsOf = (path: string, key: Uint8Array) => {
  const archive = openArchive({ path, key });
  try {
    return new Set(archive.db.prepare<[], string>('SELECT wamid FROM messages WHERE wamid IS NOT NULL').pluck().all());
  } finally {
    archive.close();
  }
};

const leftovers = (fx: WorkspaceFixture) => readdirSync(fx.paths.dir).filter((n) => n.startsWith('.replaced-') || n.startsWith('.restore-') || n === 'restore-pending.json');

describe('replace the current workspace’s data with a backup', () => {
  it('swaps in a checked copy without bringing back what was erased since, then rolls back or confirms', async () => {
    const fx = await createWorkspace();
    const seeded = await seed(fx, { contacts: 3, messages: 10, mediaSizes: [5000, 6000, 7000] });
    const [c0, c1] = seeded.contacts as [SeedResult['contacts'][number], SeedResult['contacts'][number]];
    const backup = await exportBackup({ workspace: fx, destinationDir: tempDir('frontdesk-dest-'), appVersion: '1.0.0' });

    // After the backup: a new message, a contact erased (with its photo), one message of another contact erased.
    fx.archive.messages.insert({ conversationId: c1.conversationId, wamid: 'wamid.after', direction: 'in', type: 'text', text: 'written after the backup', timestamp: 1_900_000_000_000 });
    const erased = await eraseContact(fx, c0);
    expect(erased.media).toEqual([seeded.mediaHashes[0]]);
    const single = fx.archive.messages.getByWamid('wamid.c1.m3')!;
    fx.archive.tombstones.add('wamid', 'wamid.c1.m3');
    fx.archive.messages.delete([single.id]);
    const beforeReplace = wamidsOf(fx.paths.database, fx.keys.database);

    // Staged and checked while the workspace stays open; applied once it is closed.
    const staged = await stageReplacement({ path: backup.path, workspace: fx });
    expect(staged).toMatchObject({ backup: { backupId: backup.backupId }, missingMedia: 0 });
    fx.close();
    const pending = await applyReplacement(staged, { workspace: fx });
    expect(pending).toMatchObject({ backupId: backup.backupId, erasures: { contacts: 1, messages: erased.wamids.length + 1, mediaFiles: 1 } });
    expect(await pendingReplacement(fx.paths)).toMatchObject({ backupId: backup.backupId, backupCreatedAt: backup.createdAt });

    let archive = openArchive({ path: fx.paths.database, key: fx.keys.database });
    try {
      expect(archive.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(archive.contacts.findByIdentity({ waId: c0.waId })).toBeUndefined();
      for (const wamid of erased.wamids) expect(archive.messages.getByWamid(wamid)).toBeUndefined();
      expect(archive.messages.getByWamid('wamid.c1.m3')).toBeUndefined();
      // The data is the backup's: what was written after it is not there; everything else is.
      expect(archive.messages.getByWamid('wamid.after')).toBeUndefined();
      expect(archive.messages.getByWamid('wamid.c1.m4')).toBeDefined();
      expect(archive.messages.getByWamid('wamid.media.1')).toBeDefined();
      // Erased words are gone from search, and the erasures stay in force for replayed webhooks.
      const hits = archive.search.searchMessages({ text: 'Hello', limit: 100 }).items;
      expect(hits.length).toBe(2 * 10 - 1);
      expect(hits.filter((hit) => hit.contactId === c0.id)).toEqual([]);
      expect(archive.tombstones.has('wa_id', c0.waId)).toBe(true);
      expect(archive.tombstones.has('wamid', 'wamid.c1.m3')).toBe(true);
      expect(archive.audit.page({ limit: 1 })[0]).toMatchObject({ action: 'backup.restored', subject: backup.backupId, details: { mode: 'replace', erasedContacts: 1 } });
    } finally {
      archive.close();
    }
    const mediaNow = [...filesUnder(fx.paths.media).keys()].map((n) => n.split('/').at(-1));
    expect(mediaNow).not.toContain(seeded.mediaHashes[0]);
    expect(mediaNow).toEqual(expect.arrayContaining(seeded.mediaHashes.slice(1)));

    // Roll back: the data from before the replacement, exactly.
    await rollbackReplacement(fx.paths, fx.keys);
    expect(wamidsOf(fx.paths.database, fx.keys.database)).toEqual(beforeReplace);
    expect(await pendingReplacement(fx.paths)).toBeNull();
    expect(leftovers(fx)).toEqual([]);
    archive = openArchive({ path: fx.paths.database, key: fx.keys.database });
    expect(archive.audit.page({ limit: 1 })[0]).toMatchObject({ action: 'backup.replace-rolled-back', subject: backup.backupId });
    archive.close();

    // Again, and confirm: the old data is deleted.
    const again = await stageReplacement({ path: backup.path, workspace: fx });
    await applyReplacement(again, { workspace: fx });
    await expect(applyReplacement(again, { workspace: fx })).rejects.toMatchObject({ reason: 'replace_state' });
    archive = openArchive({ path: fx.paths.database, key: fx.keys.database });
    try {
      await confirmReplacement(fx.paths, archive.audit);
      expect(archive.audit.page({ limit: 1 })[0]).toMatchObject({ action: 'backup.replace-confirmed', subject: backup.backupId });
      expect(archive.messages.getByWamid('wamid.after')).toBeUndefined();
    } finally {
      archive.close();
    }
    expect(leftovers(fx)).toEqual([]);
    expect(await pendingReplacement(fx.paths)).toBeNull();
    await expect(confirmReplacement(fx.paths)).rejects.toMatchObject({ reason: 'replace_state' });
  });

  it('undoes a swap a crash interrupted, at the next start', async () => {
    const fx = await createWorkspace();
    await seed(fx);
    const backup = await exportBackup({ workspace: fx, destinationDir: tempDir('frontdesk-dest-'), appVersion: '1.0.0' });
    fx.archive.messages.insert({ conversationId: 1, wamid: 'wamid.after', direction: 'in', type: 'text', text: 'after', timestamp: 1_900_000_000_000 });
    const staged = await stageReplacement({ path: backup.path, workspace: fx });
    fx.close();
    const mediaBefore = filesUnder(fx.paths.media);
    const before = wamidsOf(fx.paths.database, fx.keys.database);

    // The state a crash halfway through the swap leaves: journal written, old data partly aside, copy partly in.
    const aside = '.replaced-00112233445566ff';
    writeFileSync(
      join(fx.paths.dir, 'restore-pending.json'),
      JSON.stringify({ format: 1, state: 'swapping', backupId: backup.backupId, backupCreatedAt: backup.createdAt, replacedAt: 1, aside, staging: staged.staging }),
    );
    mkdirSync(join(fx.paths.dir, aside));
    renameSync(fx.paths.database, join(fx.paths.dir, aside, 'archive.db'));
    renameSync(fx.paths.media, join(fx.paths.dir, aside, 'media'));
    renameSync(join(fx.paths.dir, staged.staging, 'archive.db'), fx.paths.database);

    expect(await pendingReplacement(fx.paths)).toBeNull();
    expect(wamidsOf(fx.paths.database, fx.keys.database)).toEqual(before);
    expect(filesUnder(fx.paths.media)).toEqual(mediaBefore);
    expect(leftovers(fx)).toEqual([]);
  });

  it('refuses a backup of another workspace, leaving nothing staged', async () => {
    const fx = await createWorkspace();
    const other = await createWorkspace();
    await seed(other);
    const foreign = await exportBackup({ workspace: other, destinationDir: tempDir('frontdesk-dest-'), appVersion: '1.0.0' });
    await expect(stageReplacement({ path: foreign.path, workspace: fx })).rejects.toMatchObject({ code: 'wrong_key', reason: 'wrong_key' });
    expect(leftovers(fx)).toEqual([]);
    expect(existsSync(fx.paths.database)).toBe(true);
  });
});
