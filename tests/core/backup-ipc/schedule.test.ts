/**
 * Scheduled backups on core's clock port (virtual here, timezone UTC): the schedule fires at its time while the
 * workspace is locked, keeps the newest N and removes partial files an interrupted export left; a time missed
 * while the app was closed runs shortly after the next start; the settings warn when the last good backup is
 * older than the schedule.
 */
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BackupProgressView, BackupView } from '../../../shared/ipc';
import { call, createBusiness, passphrase, startBackupCore, tempDir, waitFor, writeMessages } from './backup-ipc-support';
import type { BackupCore } from './backup-ipc-support';

const hour = 3_600_000;
const day = 24 * hour;

async function daily(bc: BackupCore, dest: string, time: string, keep: number): Promise<BackupView> {
  bc.ports.dialogs.preset('chooseFolder', dest);
  await call(bc.core, 'backup:choose-destination');
  return call<BackupView>(bc.core, 'backup:save-settings', { schedule: { frequency: 'daily', time, weekday: 0 }, keep });
}

const backupsIn = (dest: string) => readdirSync(dest).filter((n) => n.endsWith('.fdbackup')).sort();

async function runsTo(bc: BackupCore, count: number): Promise<void> {
  await waitFor(() => bc.of('backup:changed').filter((e) => e.reason === 'run').length >= count);
  // The next time is armed once the run has finished.
  await waitFor(() => (bc.core.services.backup.nextRunAt() ?? Infinity) > bc.clock.now());
}

describe('the schedule', () => {
  it('fires at its time while locked, keeps the newest N, and removes stale partial files', async () => {
    const bc = startBackupCore({ start: Date.UTC(2026, 0, 5, 9, 0) });
    const made = await createBusiness(bc);
    await writeMessages(bc, 'pomelo');
    const dest = tempDir('frontdesk-dest-');
    const saved = await daily(bc, dest, '21:00', 2);
    expect(saved.nextRunAt).toBe(Date.UTC(2026, 0, 5, 21, 0));
    expect(saved.overdue).toBe(false);

    // Locked: the archive stays open and the schedule runs.
    await call(bc.core, 'vault:lock');
    bc.clock.advance(12 * hour);
    await runsTo(bc, 1);
    expect(backupsIn(dest)).toHaveLength(1);
    const scheduled = bc.of('backup:progress') as unknown as BackupProgressView[];
    expect(scheduled.length).toBeGreaterThan(0);
    expect(scheduled.every((p) => p.scheduled)).toBe(true);

    // A partial file an interrupted export left hours ago (real file time): removed after the next good backup.
    const first = join(dest, backupsIn(dest)[0]!);
    const partial = join(dest, `${backupsIn(dest)[0]}.partial-0123456789abcdef`);
    writeFileSync(partial, readFileSync(first).subarray(0, 4096));
    const old = new Date(Date.now() - 7 * hour);
    utimesSync(partial, old, old);

    bc.clock.advance(day);
    await runsTo(bc, 2);
    bc.clock.advance(day);
    await runsTo(bc, 3);
    expect(backupsIn(dest)).toHaveLength(2);
    expect(readdirSync(dest).some((n) => n.includes('.partial-'))).toBe(false);

    await call(bc.core, 'vault:unlock', { workspaceId: made.id, method: 'passphrase', passphrase });
    const view = await call<BackupView>(bc.core, 'backup:get');
    expect(view.status.lastSuccessAt).toBe(Date.UTC(2026, 0, 7, 21, 0));
    expect(view.status.lastError).toBeNull();
    expect(view.nextRunAt).toBe(Date.UTC(2026, 0, 8, 21, 0));
    expect(view.overdue).toBe(false);
  });

  it('runs a backup missed while the app was closed soon after the next start, and warns while it is overdue', async () => {
    const first = startBackupCore({ start: Date.UTC(2026, 0, 5, 9, 0) });
    const made = await createBusiness(first);
    await writeMessages(first, 'loquat');
    const dest = tempDir('frontdesk-dest-');
    await daily(first, dest, '02:00', 5);
    await first.core.close();

    // Two days later the app starts again: the 02:00 runs of the 6th and 7th were missed.
    const second = startBackupCore({ dataDir: first.dataDir, start: Date.UTC(2026, 0, 7, 9, 0), startDelayMs: 30_000 });
    await call(second.core, 'vault:unlock', { workspaceId: made.id, method: 'passphrase', passphrase });
    const before = await call<BackupView>(second.core, 'backup:get');
    expect(before.overdue).toBe(true);
    expect(before.nextRunAt).toBe(Date.UTC(2026, 0, 7, 9, 0, 30));
    expect(backupsIn(dest)).toEqual([]);

    second.clock.advance(30_000);
    await runsTo(second, 1);
    expect(backupsIn(dest)).toHaveLength(1);
    const after = await call<BackupView>(second.core, 'backup:get');
    expect(after.overdue).toBe(false);
    expect(after.status.lastSuccessAt).toBe(Date.UTC(2026, 0, 7, 9, 0, 30));
    expect(after.nextRunAt).toBe(Date.UTC(2026, 0, 8, 2, 0));
  });

  it('records a scheduled run that could not go anywhere, and then warns', async () => {
    const bc = startBackupCore({ start: Date.UTC(2026, 0, 5, 9, 0) });
    await createBusiness(bc);
    await call(bc.core, 'backup:save-settings', { schedule: { frequency: 'daily', time: '10:00', weekday: 0 }, keep: 3 });
    bc.clock.advance(hour);
    await runsTo(bc, 1);
    bc.clock.advance(2 * hour);
    const view = await call<BackupView>(bc.core, 'backup:get');
    expect(view.status).toMatchObject({ lastSuccessAt: null, lastAttemptAt: Date.UTC(2026, 0, 5, 10, 0), lastError: { code: 'backup_destination_unavailable' } });
    expect(view.overdue).toBe(true);
  });
});
