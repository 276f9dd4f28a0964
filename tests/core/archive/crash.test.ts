import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../../electron/core/archive/connection';
import { createTestArchive } from '../../support/archive-helpers';

const repoRoot = join(import.meta.dirname, '../../..');

function runUntilInTransaction(args: string[]): Promise<{ walBytesAtKill: number; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-writer.ts'), ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let walBytesAtKill = 0;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('in-transaction')) {
        walBytesAtKill = statSync(`${args[0]}-wal`).size;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ walBytesAtKill, signal });
      else reject(new Error(`crash-writer exited with ${code}: ${stderr}`));
    });
  });
}

describe('a process killed mid-transaction', () => {
  it('leaves a readable archive with none of the partial write', { timeout: 120_000 }, async () => {
    const { archive, path, key } = createTestArchive();
    const contact = archive.contacts.upsertByIdentity({ waId: '15550001234', profileName: 'Before' }).id;
    const conversation = archive.conversations.getOrCreateForContact(contact).conversation.id;
    for (let i = 0; i < 50; i++) {
      archive.messages.insert({ conversationId: conversation, wamid: `wamid.kept.${i}`, direction: 'in', type: 'text', text: `kept message ${i}`, timestamp: 1_700_000_000_000 + i });
    }
    archive.close();

    const { walBytesAtKill } = await runUntilInTransaction([path, Buffer.from(key).toString('hex'), String(conversation), '3000']);
    // Uncommitted pages really were on disk when the process died.
    expect(walBytesAtKill).toBeGreaterThan(100_000);

    const reopened = openArchive({ path, key });
    try {
      expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
      reopened.db.exec("INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 0)");
      expect(reopened.db.prepare("SELECT count(*) FROM messages WHERE wamid LIKE 'wamid.partial.%'").pluck().get()).toBe(0);
      expect(reopened.db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(50);
      expect(reopened.settings.get('crash.marker')).toBeUndefined();
      expect(reopened.search.searchMessages({ text: 'PARTIALWRITE' }).items).toEqual([]);
      expect(reopened.search.searchMessages({ text: 'kept', limit: 100 }).items).toHaveLength(50);
      expect(reopened.conversations.get(conversation)!.unreadCount).toBe(50);
      // And it takes new writes.
      reopened.messages.insert({ conversationId: conversation, wamid: 'wamid.after', direction: 'in', type: 'text', text: 'after the crash', timestamp: 1_800_000_000_000 });
      expect(reopened.search.searchMessages({ text: 'crash' }).items).toHaveLength(1);
    } finally {
      reopened.close();
    }
  });
});
