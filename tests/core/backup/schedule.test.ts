import { describe, expect, it } from 'vitest';
import { backupSettingsSchema, defaultBackupSettings, isBackupOverdue, mustRunAtStart, nextRunAt, previousRunAt } from '../../../electron/core/backup';
import type { BackupSchedule } from '../../../electron/core/backup';

const daily = (time: string): BackupSchedule => ({ frequency: 'daily', time, weekday: 0 });
const weekly = (weekday: number, time: string): BackupSchedule => ({ frequency: 'weekly', time, weekday });
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().replace('.000Z', 'Z'));

describe('when a scheduled backup is next due (local time, DST-correct)', () => {
  it.each([
    ['daily, later today', 'Europe/London', daily('21:00'), '2026-01-10T12:00:00Z', '2026-01-10T21:00:00Z'],
    ['daily, already past today', 'Europe/London', daily('09:00'), '2026-01-10T12:00:00Z', '2026-01-11T09:00:00Z'],
    ['daily, exactly at the time: the next one', 'Europe/London', daily('09:00'), '2026-01-11T09:00:00Z', '2026-01-12T09:00:00Z'],
    ['daily in summer time (BST)', 'Europe/London', daily('09:00'), '2026-07-01T12:00:00Z', '2026-07-02T08:00:00Z'],
    ['spring forward, a time that exists: the new offset', 'Europe/London', daily('09:00'), '2026-03-28T12:00:00Z', '2026-03-29T08:00:00Z'],
    ['spring forward, a time in the gap runs an hour later (01:30 → 02:30 BST)', 'Europe/London', daily('01:30'), '2026-03-28T12:00:00Z', '2026-03-29T01:30:00Z'],
    ['the day after spring forward', 'Europe/London', daily('01:30'), '2026-03-29T01:30:00Z', '2026-03-30T00:30:00Z'],
    ['fall back, a time that happens twice: the first', 'Europe/London', daily('01:30'), '2026-10-24T12:00:00Z', '2026-10-25T00:30:00Z'],
    ['fall back: runs once, not again at the second 01:30', 'Europe/London', daily('01:30'), '2026-10-25T00:30:00Z', '2026-10-26T01:30:00Z'],
    ['New York spring forward, 02:15 does not exist → 03:15 EDT', 'America/New_York', daily('02:15'), '2026-03-07T12:00:00Z', '2026-03-08T07:15:00Z'],
    ['New York fall back, 01:30 twice → the first (EDT)', 'America/New_York', daily('01:30'), '2026-10-31T12:00:00Z', '2026-11-01T05:30:00Z'],
    ['a timezone ahead of UTC: the local date, not the UTC one', 'Asia/Hong_Kong', daily('07:00'), '2026-01-10T22:30:00Z', '2026-01-10T23:00:00Z'],
    ['weekly on Monday, from a Wednesday', 'Asia/Hong_Kong', weekly(1, '08:00'), '2026-01-14T03:00:00Z', '2026-01-19T00:00:00Z'],
    ['weekly, today but past the time: next week', 'Asia/Hong_Kong', weekly(3, '08:00'), '2026-01-14T03:00:00Z', '2026-01-21T00:00:00Z'],
    ['weekly on the Sunday clocks go forward', 'Europe/London', weekly(0, '10:00'), '2026-03-27T12:00:00Z', '2026-03-29T09:00:00Z'],
    ['weekly on the Sunday clocks go back', 'Europe/London', weekly(0, '10:00'), '2026-10-24T12:00:00Z', '2026-10-25T10:00:00Z'],
  ])('%s', (_name, timeZone, schedule, after, expected) => {
    expect(iso(nextRunAt(schedule, at(after), timeZone))).toBe(expected);
  });

  it('gives the last due time too, and nothing when off', () => {
    expect(iso(previousRunAt(daily('01:30'), at('2026-03-29T12:00:00Z'), 'Europe/London'))).toBe('2026-03-29T01:30:00Z');
    expect(iso(previousRunAt(weekly(1, '08:00'), at('2026-01-14T03:00:00Z'), 'Asia/Hong_Kong'))).toBe('2026-01-12T00:00:00Z');
    expect(nextRunAt({ frequency: 'off', time: '09:00', weekday: 0 }, at('2026-01-10T12:00:00Z'), 'Europe/London')).toBeNull();
  });
});

describe('a missed schedule, and the warning', () => {
  const tz = 'Europe/London';
  const state = (lastSuccess: string | null, lastAttempt: string | null = lastSuccess, since: string | null = '2025-12-01T00:00:00Z') => ({
    lastSuccessAt: lastSuccess === null ? null : at(lastSuccess),
    lastAttemptAt: lastAttempt === null ? null : at(lastAttempt),
    scheduledSince: since === null ? null : at(since),
  });

  it.each([
    ['the app was closed over last night’s run', daily('02:00'), state('2026-01-09T02:00:05Z'), '2026-01-10T09:00:00Z', true],
    ['last night’s run was made', daily('02:00'), state('2026-01-10T02:00:05Z'), '2026-01-10T09:00:00Z', false],
    ['last night’s run was tried and failed: not again at every start', daily('02:00'), state('2026-01-09T02:00:05Z', '2026-01-10T02:00:05Z'), '2026-01-10T09:00:00Z', false],
    ['never made one, schedule set last week', daily('02:00'), state(null, null), '2026-01-10T09:00:00Z', true],
    ['schedule set this morning after its time: nothing was missed', daily('02:00'), state(null, null, '2026-01-10T08:00:00Z'), '2026-01-10T09:00:00Z', false],
    ['weekly, the computer was off on Monday', weekly(1, '08:00'), state('2026-01-05T08:00:10Z'), '2026-01-14T09:00:00Z', true],
    ['weekly, Monday’s was made', weekly(1, '08:00'), state('2026-01-12T08:00:10Z'), '2026-01-14T09:00:00Z', false],
    ['off', { frequency: 'off', time: '02:00', weekday: 0 } as BackupSchedule, state(null, null), '2026-01-10T09:00:00Z', false],
  ])('must run at start: %s', (_name, schedule, runState, now, expected) => {
    expect(mustRunAtStart(schedule, runState, at(now), tz)).toBe(expected);
  });

  it.each([
    ['today’s run may still be going (within the hour)', daily('02:00'), state('2026-01-09T02:05:00Z'), '2026-01-10T02:30:00Z', false],
    ['today’s run did not succeed', daily('02:00'), state('2026-01-09T02:05:00Z'), '2026-01-10T03:30:00Z', true],
    ['today’s run succeeded', daily('02:00'), state('2026-01-10T02:05:00Z'), '2026-01-10T20:00:00Z', false],
    ['weekly, six days old', weekly(1, '08:00'), state('2026-01-12T08:05:00Z'), '2026-01-18T12:00:00Z', false],
    ['weekly, this Monday’s is missing', weekly(1, '08:00'), state('2026-01-12T08:05:00Z'), '2026-01-19T12:00:00Z', true],
    ['never a success since the schedule began', daily('02:00'), state(null, null, '2026-01-08T00:00:00Z'), '2026-01-10T12:00:00Z', true],
    ['off: no warning', { frequency: 'off', time: '02:00', weekday: 0 } as BackupSchedule, state(null, null), '2026-01-10T12:00:00Z', false],
  ])('overdue warning: %s', (_name, schedule, runState, now, expected) => {
    expect(isBackupOverdue(schedule, runState, at(now), tz)).toBe(expected);
  });
});

describe('backup settings', () => {
  it('accepts the defaults and real folders on every platform, refuses the rest', () => {
    expect(backupSettingsSchema.parse(defaultBackupSettings)).toEqual(defaultBackupSettings);
    const valid = { ...defaultBackupSettings, schedule: { frequency: 'weekly', time: '07:45', weekday: 6 }, destination: 'C:\\Users\\Ann\\OneDrive\\Backups', keep: 12, scheduledSince: 1 };
    expect(backupSettingsSchema.safeParse(valid).success).toBe(true);
    expect(backupSettingsSchema.safeParse({ ...valid, destination: '/Users/ann/Library/CloudStorage/Dropbox' }).success).toBe(true);
    for (const bad of [
      { ...valid, destination: 'Backups' },
      { ...valid, keep: 0 },
      { ...valid, schedule: { ...valid.schedule, time: '24:00' } },
      { ...valid, schedule: { ...valid.schedule, time: '7:45' } },
      { ...valid, schedule: { ...valid.schedule, weekday: 7 } },
      { ...valid, schedule: { ...valid.schedule, frequency: 'hourly' } },
    ]) {
      expect(backupSettingsSchema.safeParse(bad).success).toBe(false);
    }
  });
});
