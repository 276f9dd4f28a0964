import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openArchive } from '../../../electron/core/archive';
import { exportBackup, removeStalePartials, restoreToNewWorkspace, verifyBackup } from '../../../electron/core/backup';
import type { BackupProgress } from '../../../electron/core/backup';
import { deriveWorkspaceKeys, unwrapWithPassphrase } from '../../../electron/core/vault/keys';
import { loadSodium } from '../../../electron/core/vault/sodium';
import { readVaultFile } from '../../../electron/core/vault/vault-file';
import { fastArgon2, tempDir } from '../helpers';
import { createWorkspace, marker, passphrase, seed } from './fixture';
import type { WorkspaceFixture } from './fixture';

const repoRoot = join(import.meta.dirname, '../../..');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function backUp(fx: WorkspaceFixture, dest: string, extra: Partial<Parameters<typeof exportBackup>[0]> = {}) {
  return exportBackup({ workspace: fx, destinationDir: dest, appVersion: '1.4.2', audit: fx.archive.audit, ...extra });
}

/** A `tsx` child process, killed when the test ends whatever happened (never left writing on its own). */
function runChild(script: string, args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, script), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Lines a child writes on stdout, one call per line. */
function onLines(child: ChildProcess, handle: (line: string) => void): void {
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    lines.forEach(handle);
  });
}

function filesIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return names.filter((name) => {
    try {
      return statSync(join(dir, name)).isFile();
    } catch {
      return false;
    }
  });
}

describe('export while the app runs', () => {
  it('cancel stops it, removes its temporary file, and leaves the previous backup as it was', { timeout: 60_000 }, async () => {
    const fx = await createWorkspace();
    // Large enough that the writing outlasts the 100 ms between progress reports.
    await seed(fx, { mediaSizes: [8_000_000, 8_000_000] });
    const dest = tempDir('frontdesk-dest-');
    const good = await backUp(fx, dest);
    const goodBytes = readFileSync(good.path);

    for (const phase of ['writing', 'verifying'] as const) {
      const controller = new AbortController();
      let partialSeen = false;
      const cancelled = backUp(fx, dest, {
        chunkBytes: 16 * 1024,
        signal: controller.signal,
        onProgress: (p: BackupProgress) => {
          if (p.phase === phase && p.bytesDone > 0 && !controller.signal.aborted) {
            partialSeen = readdirSync(dest).some((n) => n.includes('.fdbackup.partial-'));
            controller.abort();
          }
        },
      });
      await expect(cancelled, phase).rejects.toMatchObject({ reason: 'cancelled' });
      expect(partialSeen).toBe(true);
      expect(readdirSync(dest)).toEqual([good.fileName]);
      expect(readFileSync(good.path).equals(goodBytes)).toBe(true);
    }
    // The archive was released: a checkpoint can empty the WAL again.
    expect(fx.archive.db.pragma('wal_checkpoint(TRUNCATE)')).toMatchObject([{ busy: 0 }]);
    // A cancel is not a failure in the audit log.
    expect(fx.archive.audit.page({ limit: 10 }).map((e) => e.action)).not.toContain('backup.failed');
  });

  it('never has plaintext on disk: no marker text in the partial file or the backup, and no other file made', { timeout: 60_000 }, async () => {
    const fx = await createWorkspace();
    await seed(fx, { contacts: 20, messages: 150, mediaSizes: [1_500_000, 800_000] });
    const dest = tempDir('frontdesk-dest-');
    const seen = new Set<string>();
    const leaked: string[] = [];
    // Each file is read again only when its size or time changed: a growing file is read as it grows.
    const lastRead = new Map<string, string>();
    let running = true;
    const scan = () => {
      for (const dir of [fx.paths.dir, dest]) {
        for (const name of filesIn(dir)) {
          const path = join(dir, name);
          let bytes: Buffer;
          try {
            const info = statSync(path);
            const stamp = `${info.size}:${info.mtimeMs}`;
            if (lastRead.get(path) === stamp) continue;
            lastRead.set(path, stamp);
            bytes = readFileSync(path);
          } catch {
            continue; // deleted between listing and reading
          }
          seen.add(name.replace(/[0-9a-f]{16}/g, '*'));
          if (bytes.includes(marker)) leaked.push(name);
        }
      }
    };
    const poller = (async () => {
      while (running) {
        scan();
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const result = await backUp(fx, dest, { chunkBytes: 8 * 1024 });
    running = false;
    await poller;
    scan();
    expect(leaked).toEqual([]);
    // The scan did catch the temporary file while it existed; the archive is streamed from its own file, so
    // the workspace folder holds nothing but the workspace's files.
    expect([...seen].some((n) => n.includes('.fdbackup.partial-'))).toBe(true);
    expect([...seen].filter((n) => !n.includes('.fdbackup') && !/^(archive\.db(-wal|-shm)?|vault\.json|media\/[0-9a-f]{2}\/[0-9a-f*]+)$/.test(n))).toEqual([]);
    expect(readFileSync(result.path).includes(marker)).toBe(false);
  });

  it('takes a consistent snapshot while another process keeps writing', { timeout: 120_000 }, async () => {
    const fx = await createWorkspace();
    const seeded = await seed(fx, { contacts: 5, messages: 200, mediaSizes: [1_000_000] });
    const dest = tempDir('frontdesk-dest-');
    const writer = runChild('writer-child.ts', [fx.paths.dir, hex(fx.keys.master), String(seeded.contacts[0]!.conversationId)]);
    let stderr = '';
    writer.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const writerExit = exited(writer);
    await new Promise<void>((resolve, reject) => {
      onLines(writer, (line) => line === 'ready' && resolve());
      void writerExit.then(() => reject(new Error(`writer-child exited: ${stderr}`)));
    });

    let result: Awaited<ReturnType<typeof backUp>>;
    try {
      // No audit entry here: the app writes it on its own (only) connection; a second writing process is a
      // test device, and a deferred transaction of this process could lose the race for the write lock.
      result = await backUp(fx, dest, { chunkBytes: 16 * 1024, audit: undefined });
    } finally {
      writer.kill('SIGKILL');
      await writerExit;
    }
    const pairsInLive = fx.archive.db.prepare<[], number>("SELECT count(*) FROM messages WHERE wamid LIKE 'pair.%'").pluck().get()! / 2;

    const restored = await restoreToNewWorkspace({
      path: result.path,
      workspacesDir: join(tempDir(), 'workspaces'),
      credentials: { method: 'passphrase', passphrase },
      argon2: fastArgon2,
    });
    expect(restored.missingMedia).toBe(0);
    const sodium = await loadSodium();
    const keys = deriveWorkspaceKeys(sodium, await unwrapWithPassphrase(readVaultFile(join(restored.dir, 'vault.json')), passphrase));
    const archive = openArchive({ path: join(restored.dir, 'archive.db'), key: keys.database });
    try {
      expect(archive.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const halves = new Map<number, string[]>();
      for (const wamid of archive.db.prepare<[], string>("SELECT wamid FROM messages WHERE wamid LIKE 'pair.%'").pluck().all()) {
        const [, n, half] = wamid.split('.');
        halves.set(Number(n), [...(halves.get(Number(n)) ?? []), half!]);
      }
      const rounds = [...halves.keys()].sort((a, b) => a - b);
      // Both messages of every round written in one transaction, or neither; and the rounds are a prefix.
      for (const n of rounds) expect(halves.get(n)!.sort()).toEqual(['a', 'b']);
      expect(rounds).toEqual(rounds.map((_, i) => i + 1));
      expect(rounds.length).toBeGreaterThanOrEqual(20);
      // The writer really was writing during the backup: the live archive went on past the snapshot.
      expect(pairsInLive).toBeGreaterThan(rounds.length);
      // Every media row of the snapshot has its file (stored before its row was committed).
      const hashes = archive.media.liveContentHashes();
      expect(hashes.size).toBe(rounds.length + 1);
    } finally {
      archive.close();
    }
  });

  it('a backup process killed mid-way leaves the previous backup untouched and no file under a final name', { timeout: 120_000 }, async () => {
    const fx = await createWorkspace();
    await seed(fx, { mediaSizes: [12_000_000, 12_000_000, 6_000_000] });
    const dest = tempDir('frontdesk-dest-');
    const good = await backUp(fx, dest);
    const goodBytes = readFileSync(good.path);

    const child = runChild('export-child.ts', [fx.paths.dir, hex(fx.keys.master), dest]);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    let killedAt: BackupProgress | null = null;
    onLines(child, (line) => {
      const message = JSON.parse(line) as BackupProgress | { finished: string };
      if (!killedAt && 'phase' in message && message.phase === 'writing' && message.bytesDone > 0) {
        killedAt = message;
        child.kill('SIGKILL');
      }
    });
    const { signal } = await exited(child);
    expect(signal, stderr).toBe('SIGKILL');
    expect(killedAt!.bytesDone).toBeLessThan(killedAt!.bytesTotal);

    const names = readdirSync(dest);
    expect(names.filter((n) => n.endsWith('.fdbackup'))).toEqual([good.fileName]);
    expect(names.filter((n) => n.includes('.fdbackup.partial-'))).toHaveLength(1);
    expect(readFileSync(good.path).equals(goodBytes)).toBe(true);
    expect((await verifyBackup({ path: good.path, credentials: { method: 'workspace', keys: fx.keys } })).backupId).toBe(good.backupId);

    // What the killed process left is recognised as ours and cleaned up; the live archive is fine.
    expect(await removeStalePartials({ destinationDir: dest, workspaceId: fx.vault.id, olderThanMs: 0 })).toHaveLength(1);
    expect(readdirSync(dest)).toEqual([good.fileName]);
    expect(fx.archive.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const again = await backUp(fx, dest);
    expect(readdirSync(dest).sort()).toEqual([good.fileName, again.fileName].sort());
  });

  it('refuses a destination that does not exist, writing nothing', async () => {
    const fx = await createWorkspace();
    await expect(backUp(fx, join(tempDir(), 'not-there'))).rejects.toMatchObject({ reason: 'destination_unavailable', code: 'backup_destination_unavailable' });
  });
});
