import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createMediaStore } from '../../../electron/core/archive/media-store';
import { archiveFiles, randomKey } from '../../support/archive-helpers';
import { seedArchive } from '../../support/seed-archive';
import { tempDir } from '../helpers';

/** Things that must never be readable from the disk: every one is written to the archive or media below. */
const secrets = {
  english: 'Meet me at the Blue Lagoon pier at seven',
  chinese: '您的订单已发货请注意查收包裹',
  chineseWord: '查收包裹',
  contactName: 'Xanthippe Featherstonehaugh',
  chineseName: '诸葛孔明',
  number: '8613912345678',
  username: 'secret_username_42',
  note: 'allergic to peanuts and shellfish',
  token: 'EAAGm0PX4ZCpsBAKZCtokenLikeString1234567890',
  caption: 'Scan of passport page',
  media: 'CONFIDENTIAL-MEDIA-PAYLOAD 机密文件内容',
};

function leaks(bytes: Buffer): string[] {
  return Object.entries(secrets)
    .filter(([, text]) => bytes.includes(Buffer.from(text, 'utf8')) || bytes.includes(Buffer.from(text, 'utf16le')))
    .map(([name]) => name);
}

describe('data at rest', () => {
  it('keeps every known plaintext out of the database file, its WAL and the media files', async () => {
    const dir = tempDir('frontdesk-at-rest-');
    const seeded = seedArchive({ dir, messages: 500, seed: 7 });
    onTestFinished(() => seeded.dispose());
    const { archive } = seeded;

    const contact = archive.contacts.upsertByIdentity({ userId: 'CN.424242', waId: secrets.number, phone: secrets.number, username: secrets.username, profileName: secrets.chineseName });
    archive.contacts.update(contact.id, { savedName: secrets.contactName, notes: secrets.note });
    const conversation = archive.conversations.getOrCreateForContact(contact.id).conversation.id;
    archive.messages.insert({ conversationId: conversation, wamid: 'wamid.secret.1', direction: 'in', type: 'text', text: secrets.english, payload: { body: secrets.english }, timestamp: 1 });
    archive.messages.insert({ conversationId: conversation, wamid: 'wamid.secret.2', direction: 'in', type: 'text', text: secrets.chinese, payload: { body: secrets.chinese }, timestamp: 2 });
    archive.messages.insert({ conversationId: conversation, clientId: 'c-1', direction: 'out', type: 'image', caption: secrets.caption, status: 'pending', timestamp: 3 });
    archive.settings.set('cloud.accessToken', secrets.token);
    archive.conversations.setDraft(conversation, secrets.english);

    const media = await createMediaStore({ dir, key: randomKey() });
    onTestFinished(() => media.close());
    const stored = await media.put(Buffer.from(secrets.media));
    archive.media.create({ state: 'stored', contentHash: stored.hash, size: stored.size, fileName: 'passport.pdf' });

    // The archive is open and the writes sit in the WAL: check every file as it is now.
    const live = archiveFiles(seeded.path);
    expect(live.get(`${seeded.path}-wal`)?.length ?? 0).toBeGreaterThan(0);
    for (const [file, bytes] of live) expect({ file, leaks: leaks(bytes) }).toEqual({ file, leaks: [] });

    // Sanity: the archive really holds them (the check above is not vacuous).
    expect(archive.search.searchMessages({ text: secrets.chineseWord }).items).toHaveLength(1);
    expect(archive.settings.get('cloud.accessToken')).toBe(secrets.token);

    archive.close();
    for (const [file, bytes] of archiveFiles(seeded.path)) expect({ file, leaks: leaks(bytes) }).toEqual({ file, leaks: [] });
    const mediaFiles = readdirSync(media.root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
    expect(mediaFiles.length).toBeGreaterThan(0);
    for (const f of mediaFiles) expect(leaks(readFileSync(join(f.parentPath, f.name)))).toEqual([]);
    // Nothing else was written in the folder (no plaintext temp or journal files).
    const others = readdirSync(dir).filter((name) => !name.startsWith('archive.db') && name !== 'media');
    expect(others).toEqual([]);
  });

  it('the unencrypted baseline does contain them (the check can see plaintext)', () => {
    const seeded = seedArchive({ messages: 10, encrypted: false });
    onTestFinished(() => seeded.dispose());
    seeded.archive.settings.set('cloud.accessToken', secrets.token);
    seeded.archive.close();
    expect(leaks(readFileSync(seeded.path))).toContain('token');
  });
});
