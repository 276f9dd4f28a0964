import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../relay/src/store/open-store';
import { openSqliteStore } from '../../../relay/src/store/sqlite-store';
import { addWorkspace, describeStoreContract, event, pairedWorkspace, sameBytes, t0 } from './store-contract';

const dirs: string[] = [];
function freshPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-relay-store-'));
  dirs.push(dir);
  return join(dir, 'relay.db');
}
async function removeDirs(): Promise<void> {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

describeStoreContract('SQLite relay store', () => openStore({ kind: 'sqlite', path: freshPath() }), removeDirs);

describe('SQLite relay store on disk', () => {
  afterEach(removeDirs);

  it('keeps everything across close and reopen, and numbers on from where it was', async () => {
    const path = freshPath();
    const first = await openStore({ kind: 'sqlite', path });
    await pairedWorkspace(first, 'w1', ['d1', 'd2']);
    const sealed = Uint8Array.from({ length: 300 }, (_, i) => (i * 31) % 256);
    await first.appendEvents([event('w1', 'a'), { workspaceId: 'w1', kind: 'desk', fromDeskId: 'd1', receivedAt: t0 + 5, sealed }]);
    await first.ack('d2', 1);
    await first.close();

    const second = await openStore({ kind: 'sqlite', path });
    try {
      expect((await second.getWorkspace('w1'))?.lastSeq).toBe(2);
      expect((await second.listDesks('w1')).map((d) => [d.id, d.primary, d.ackedSeq])).toEqual([
        ['d1', true, 0],
        ['d2', false, 1],
      ]);
      const events = await second.readEvents('w1', 1, 10);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ seq: 2, kind: 'desk', fromDeskId: 'd1', receivedAt: t0 + 5 });
      expect(sameBytes(events[0]!.sealed, sealed)).toBe(true);
      expect(await second.appendEvents([event('w1', 'c')])).toEqual([3]);
    } finally {
      await second.close();
    }
  });

  it('leaves the file in WAL mode at the current schema version', async () => {
    const path = freshPath();
    const store = await openStore({ kind: 'sqlite', path });
    await addWorkspace(store, 'w1');
    await store.close();
    // A second connection reads what the store left in the file.
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(1);
    } finally {
      db.close();
    }
  });

  it('refuses a file whose schema is newer than this relay knows', async () => {
    const path = freshPath();
    await (await openStore({ kind: 'sqlite', path })).close();
    const db = new Database(path);
    db.pragma('user_version = 2');
    db.close();
    await expect(openStore({ kind: 'sqlite', path })).rejects.toThrow(/newer than this relay knows/);
  });

  it('is unusable until migrated, and migrate is what creates the schema', async () => {
    const store = openSqliteStore(freshPath());
    try {
      await expect(store.getWorkspace('w1')).rejects.toThrow(/no such table/);
      await store.migrate();
      expect(await store.getWorkspace('w1')).toBeNull();
    } finally {
      await store.close();
    }
  });
});
