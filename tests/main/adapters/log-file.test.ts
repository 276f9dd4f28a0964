import { mkdtempSync, readFileSync, rmSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogFile, parseLogEntry } from '../../../electron/main/adapters/log-file';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempLogs() {
  const dir = join(mkdtempSync(join(tmpdir(), 'frontdesk-logs-')), 'logs');
  dirs.push(dir);
  return dir;
}
const lines = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

describe('the log file', () => {
  it('creates the logs folder and appends one JSON line per entry', () => {
    const dir = tempLogs();
    const log = createLogFile(dir, { now: () => new Date('2025-01-02T03:04:05Z') });
    log.write('core', { level: 'info', message: 'Core started', fields: { transport: 'electron' } });
    log.write('main', { level: 'error', message: 'Core exited unexpectedly; restarting', fields: { code: 1 } });
    expect(log.path).toBe(join(dir, 'frontdesk.log'));
    expect(lines(log.path)).toEqual([
      { at: '2025-01-02T03:04:05.000Z', source: 'core', level: 'info', message: 'Core started', transport: 'electron' },
      { at: '2025-01-02T03:04:05.000Z', source: 'main', level: 'error', message: 'Core exited unexpectedly; restarting', code: 1 },
    ]);
    if (process.platform !== 'win32') expect(statSync(log.path).mode & 0o077).toBe(0);
  });

  it('never lets a field pass itself off as the level, source or message', () => {
    const log = createLogFile(tempLogs());
    log.write('core', { level: 'info', message: 'real', fields: { level: 'error', message: 'fake', source: 'main' } });
    expect(lines(log.path)[0]).toMatchObject({ level: 'info', message: 'real', source: 'core' });
  });

  it('scrubs main’s own entries (core’s arrive scrubbed by core’s logger)', () => {
    const log = createLogFile(tempLogs());
    log.write('main', { level: 'warn', message: 'Checking for updates failed', fields: { error: 'GET https://x.test/?token=EAAGm0PX4ZCpsBAKZC1234567 for +44 7700 900123', accessToken: 'EAAG123' } });
    const [entry] = lines(log.path);
    expect(JSON.stringify(entry)).not.toMatch(/EAAG|7700/);
    expect(entry).toMatchObject({ message: 'Checking for updates failed', accessToken: '[redacted]' });
  });

  it('starts a new file when it grows too large, keeping the previous one', () => {
    const log = createLogFile(tempLogs(), { maxBytes: 300 });
    for (let i = 0; i < 10; i++) log.write('core', { level: 'info', message: `entry ${i} ${'x'.repeat(40)}` });
    expect(existsSync(`${log.path}.1`)).toBe(true);
    expect(statSync(log.path).size).toBeLessThanOrEqual(300);
    expect(lines(log.path).at(-1)).toMatchObject({ message: expect.stringContaining('entry 9') });
  });
});

describe('parseLogEntry', () => {
  it('accepts what core sends and rejects anything else', () => {
    expect(parseLogEntry({ level: 'warn', message: 'm', fields: { a: 1 } })).toEqual({ level: 'warn', message: 'm', fields: { a: 1 } });
    expect(parseLogEntry({ level: 'warn', message: 'm' })).toEqual({ level: 'warn', message: 'm', fields: undefined });
    expect(parseLogEntry({ level: 'fatal', message: 'm' })).toBeNull();
    expect(parseLogEntry({ level: 'info', message: 5 })).toBeNull();
    expect(parseLogEntry({ level: 'info', message: 'm', fields: ['a'] })).toBeNull();
    expect(parseLogEntry('info: m')).toBeNull();
    expect(parseLogEntry(null)).toBeNull();
  });
});
