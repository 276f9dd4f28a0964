/**
 * Settings and "Back up now" through core's channels on real encrypted archives: requests refused by the
 * contract with their codes, the folder chosen through the dialogs port (or a detected cloud folder), the
 * backup written with progress events (bytes, files, time left) and recorded in the settings and the audit
 * log, a cancel that leaves nothing behind, and the newest N kept.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BackupProgressView, BackupRunResult, BackupView } from '../../../shared/ipc';
import { auditActions, call, createBusiness, fails, reasonOf, startBackupCore, tempDir, writeMessages } from './backup-ipc-support';

describe('backup settings', () => {
  it('refuses bad requests with invalid_request naming the field, and needs an unlocked workspace', async () => {
    const bc = startBackupCore();
    expect((await fails(bc, 'backup:get')).code).toBe('no_workspace_open');
    await createBusiness(bc);
    const bad: Array<[string, unknown, string]> = [
      ['backup:save-settings', { schedule: { frequency: 'daily', time: '25:00', weekday: 1 }, keep: 3 }, 'schedule.time'],
      ['backup:save-settings', { schedule: { frequency: 'hourly', time: '21:00', weekday: 1 }, keep: 3 }, 'schedule.frequency'],
      ['backup:save-settings', { schedule: { frequency: 'weekly', time: '21:00', weekday: 7 }, keep: 3 }, 'schedule.weekday'],
      ['backup:save-settings', { schedule: { frequency: 'daily', time: '21:00', weekday: 1 }, keep: 0 }, 'keep'],
      ['backup:save-settings', { schedule: { frequency: 'daily', time: '21:00', weekday: 1 }, keep: 3, destination: '/tmp' }, ''],
      ['backup:use-cloud-folder', { path: '' }, 'path'],
      ['backup:verify', { fileId: '../../etc/passwd' }, 'fileId'],
      ['backup:verify', { fileId: 'a'.repeat(32), credentials: { method: 'fingerprint' } }, 'credentials.method'],
      ['backup:restore-new', { fileId: 'a'.repeat(32), credentials: { method: 'passphrase', passphrase: 'x' }, name: '  ' }, 'name'],
      ['backup:replace', { fileId: 'a'.repeat(32), path: '/tmp/x.fdbackup' }, ''],
    ];
    for (const [channel, payload, field] of bad) {
      const error = await fails(bc, channel, payload);
      expect(error.code, `${channel} ${JSON.stringify(payload)}`).toBe('invalid_request');
      expect(error.fields?.map((f) => f.path), `${channel} ${JSON.stringify(payload)}`).toContain(field);
    }
    // Well-formed but never chosen: not_found; a folder that is not a detected cloud folder: refused.
    expect((await fails(bc, 'backup:verify', { fileId: 'a'.repeat(32) })).code).toBe('not_found');
    expect((await fails(bc, 'backup:use-cloud-folder', { path: tempDir() })).code).toBe('invalid_request');
    // No folder yet: "Back up now" says so.
    const noFolder = await fails(bc, 'backup:run');
    expect(noFolder).toMatchObject({ code: 'backup_destination_unavailable', fields: [{ path: 'destination', message: 'required' }] });

    await call(bc.core, 'vault:lock');
    expect((await fails(bc, 'backup:get')).code).toBe('locked');
    expect((await fails(bc, 'backup:run')).code).toBe('locked');
  });

  it('saves the schedule and keep, offers the detected cloud folders, and takes a folder from the dialog', async () => {
    const dropbox = tempDir('Dropbox-');
    const bc = startBackupCore({ cloudFolders: [{ provider: 'dropbox', label: 'Dropbox', path: dropbox }] });
    await createBusiness(bc);
    const first = await call<BackupView>(bc.core, 'backup:get');
    expect(first).toMatchObject({
      destination: null,
      schedule: { frequency: 'off', time: '21:00' },
      keep: 7,
      cloudFolders: [{ provider: 'dropbox', label: 'Dropbox', path: dropbox }],
      status: { lastSuccessAt: null, lastAttemptAt: null, lastFileName: null, lastFileBytes: null, lastError: null },
      nextRunAt: null,
      overdue: false,
      running: null,
      pendingReplacement: null,
    });
    expect(first.now).toBe(bc.clock.now());

    const saved = await call<BackupView>(bc.core, 'backup:save-settings', { schedule: { frequency: 'weekly', time: '02:30', weekday: 1 }, keep: 4 });
    expect(saved).toMatchObject({ schedule: { frequency: 'weekly', time: '02:30', weekday: 1 }, keep: 4 });
    // Monday 2026-01-12 02:30 UTC is the next Monday after Monday 2026-01-05 09:00.
    expect(saved.nextRunAt).toBe(Date.UTC(2026, 0, 12, 2, 30));

    expect(await call<BackupView>(bc.core, 'backup:use-cloud-folder', { path: dropbox })).toMatchObject({ destination: dropbox });
    const chosen = tempDir('frontdesk-dest-');
    bc.ports.dialogs.preset('chooseFolder', chosen);
    expect(await call(bc.core, 'backup:choose-destination')).toMatchObject({ chosen: true, view: { destination: chosen } });
    bc.ports.dialogs.preset('chooseFolder', null);
    expect(await call(bc.core, 'backup:choose-destination')).toMatchObject({ chosen: false, view: { destination: chosen } });

    // Settings changes are in the audit log by area and key names, never the folder.
    const changes = auditActions(bc).filter((e) => e.action === 'settings.changed' && e.details.area === 'backup');
    expect(changes.map((e) => e.details.keys)).toEqual(['destination', 'destination', 'keep,schedule']);
    expect(JSON.stringify(changes)).not.toContain(chosen);
    expect(bc.of('backup:changed').length).toBeGreaterThanOrEqual(3);
  });
});

describe('back up now', () => {
  it('writes the backup with progress events, records it, and keeps the newest N', async () => {
    const bc = startBackupCore();
    await createBusiness(bc);
    await writeMessages(bc, 'kumquat', { mediaBytes: 3_000_000 });
    const dest = tempDir('frontdesk-dest-');
    bc.ports.dialogs.preset('chooseFolder', dest);
    await call(bc.core, 'backup:choose-destination');
    await call(bc.core, 'backup:save-settings', { schedule: { frequency: 'off', time: '21:00', weekday: 5 }, keep: 2 });

    const result = await call<BackupRunResult>(bc.core, 'backup:run');
    expect(result.fileName).toMatch(/\.fdbackup$/);
    expect(result.files).toBe(2);
    expect(readdirSync(dest)).toEqual([result.fileName]);

    const progress = bc.of('backup:progress') as unknown as BackupProgressView[];
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.every((p) => p.operation === 'export' && p.scheduled === false)).toBe(true);
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ phase: 'done', filesDone: 2, filesTotal: 2, etaMs: 0 });
    // The bar counts the bytes backed up (the read-back runs beside the writing, not after it as a second lap).
    expect(last.bytesDone).toBe(last.bytesTotal);
    expect(last.bytesDone).toBeGreaterThan(3_000_000);
    expect(last.bytesDone).toBeLessThan(2 * 3_000_000);
    expect(progress.some((p) => p.phase === 'verifying')).toBe(true);
    const done = progress.map((p) => p.bytesDone);
    expect(done).toEqual([...done].sort((a, b) => a - b));

    const view = await call<BackupView>(bc.core, 'backup:get');
    expect(view.status).toEqual({ lastSuccessAt: result.createdAt, lastAttemptAt: result.createdAt, lastFileName: result.fileName, lastFileBytes: result.fileBytes, lastError: null });
    expect(view.running).toBeNull();
    const created = auditActions(bc).find((e) => e.action === 'backup.created')!;
    expect(created.details).toMatchObject({ fileBytes: result.fileBytes, entries: 2, mediaFiles: 1 });

    // Keep 2: the third backup deletes the oldest.
    bc.clock.advance(60_000);
    const second = await call<BackupRunResult>(bc.core, 'backup:run');
    bc.clock.advance(60_000);
    const third = await call<BackupRunResult>(bc.core, 'backup:run');
    expect(third.deleted).toBe(1);
    expect(readdirSync(dest).sort()).toEqual([second.fileName, third.fileName].sort());
  });

  it('cancels a backup in progress: nothing under a final name, no partial file, no failure recorded', async () => {
    const bc = startBackupCore();
    await createBusiness(bc);
    await writeMessages(bc, 'persimmon', { mediaBytes: 24_000_000 });
    const dest = tempDir('frontdesk-dest-');
    bc.ports.dialogs.preset('chooseFolder', dest);
    await call(bc.core, 'backup:choose-destination');

    let cancelled: Promise<unknown> | null = null;
    const stop = bc.ports.events.subscribe((event, payload) => {
      if (event === 'backup:progress' && (payload as BackupProgressView).bytesDone > 0 && !cancelled) cancelled = bc.core.invoke('backup:cancel', undefined);
    });
    const error = await fails(bc, 'backup:run');
    stop();
    expect(error.code).toBe('backup_cancelled');
    expect(reasonOf(error)).toBe('cancelled');
    expect(await cancelled).toEqual({ ok: true, value: { cancelled: true } });
    expect(readdirSync(dest)).toEqual([]);
    const view = await call<BackupView>(bc.core, 'backup:get');
    expect(view.status.lastError).toBeNull();
    expect(view.running).toBeNull();
    // Nothing runs now: cancel says so.
    expect(await call(bc.core, 'backup:cancel')).toEqual({ cancelled: false });
  });

  it('records a failure with its reason when the folder is gone, leaving the folder as it was', async () => {
    const bc = startBackupCore();
    await createBusiness(bc);
    const dest = join(tempDir(), 'usb-stick');
    mkdirSync(dest);
    bc.ports.dialogs.preset('chooseFolder', dest);
    await call(bc.core, 'backup:choose-destination');
    rmSync(dest, { recursive: true });
    const error = await fails(bc, 'backup:run');
    expect(error.code).toBe('backup_destination_unavailable');
    expect(existsSync(dest)).toBe(false);
    const view = await call<BackupView>(bc.core, 'backup:get');
    expect(view.status).toMatchObject({ lastSuccessAt: null, lastAttemptAt: bc.clock.now(), lastError: { code: 'backup_destination_unavailable', reason: 'destination_unavailable' } });
  });
});
