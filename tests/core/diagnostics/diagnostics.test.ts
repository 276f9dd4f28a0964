/**
 * The diagnostics file: what the owner sends when something goes wrong, with no customer data in it. A real
 * core writes its log through main's log file (the app's path), the demo workspace's customers write and get
 * answers, and the zip is read back.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createVirtualClock } from '../../../electron/core/clock';
import { createCore } from '../../../electron/core/create-core';
import { logDirectory } from '../../../electron/core/diagnostics/log-files';
import { scrubLogLine } from '../../../electron/core/diagnostics/diagnostics';
import { createNodePorts } from '../../../electron/core/node-ports';
import { createLogFile } from '../../../electron/main/adapters/log-file';
import { call, fastArgon2, tempDir } from '../helpers';

async function coreWithLogFile() {
  const dataDir = tempDir();
  const clock = createVirtualClock(Date.now());
  const logFile = createLogFile(logDirectory(dataDir));
  const ports = createNodePorts({
    dataDir,
    transport: 'preview',
    appVersion: '2.3.4',
    clock,
    logger: { log: (level, message, fields) => logFile.write('core', { level, message, fields }) },
  });
  const core = createCore(ports, { argon2: fastArgon2, idleClock: createVirtualClock(), demoSeed: 11, demoCustomerIntervalMs: 0 });
  onTestFinished(() => core.close());
  return { core, ports, clock, dataDir, logFile };
}

async function exportZip(setup: Awaited<ReturnType<typeof coreWithLogFile>>) {
  const path = join(tempDir(), 'diagnostics.zip');
  setup.ports.dialogs.preset('chooseSaveFile', path);
  expect(await call(setup.core, 'desktop:export-diagnostics')).toEqual({ fileName: 'diagnostics.zip' });
  const files = unzipSync(readFileSync(path));
  return Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, strFromU8(bytes)]));
}

describe('the diagnostics file', () => {
  it('holds the version, platform, settings without secrets, health and the recent log', async () => {
    const setup = await coreWithLogFile();
    await call(setup.core, 'workspace:open-demo');
    await setup.ports.settings.set('autoLockMinutes', 15);
    await setup.ports.settings.set('relayToken', 'rt_9f8e7d6c5b4a39281706f5e4d3c2b1a0');
    const files = await exportZip(setup);

    expect(Object.keys(files).sort()).toEqual(['README.txt', 'about.json', 'health.json', 'logs/frontdesk.log', 'settings.json']);
    const about = JSON.parse(files['about.json']!);
    expect(about).toMatchObject({ app: 'Frontdesk', version: '2.3.4', platform: process.platform, transport: 'preview', log: { days: 7 } });
    expect(about.log.lines).toBeGreaterThan(0);
    const settings = JSON.parse(files['settings.json']!);
    expect(settings).toMatchObject({ autoLockMinutes: 15, relayToken: '[redacted]' });
    expect(files['settings.json']).not.toContain('rt_9f8e7d6c5b4a');
    const health = JSON.parse(files['health.json']!);
    expect(health.workspace).toEqual({ open: { kind: 'demo' }, locked: false, autoLockMinutes: expect.any(Number) });
    expect(health.health).toMatchObject({ offline: false, tokenRejected: false });
    expect(files['logs/frontdesk.log']).toContain('"message":"Workspace unlocked"');
  });

  it('a cancelled save writes nothing', async () => {
    const setup = await coreWithLogFile();
    expect(await call(setup.core, 'desktop:export-diagnostics')).toEqual({ fileName: null });
  });

  it('works while the workspace is locked, without its health', async () => {
    const setup = await coreWithLogFile();
    await call(setup.core, 'workspace:open-demo');
    await call(setup.core, 'vault:lock');
    const health = JSON.parse((await exportZip(setup))['health.json']!);
    expect(health.workspace.locked).toBe(true);
    expect(health.health).toMatch(/not available/);
  });

  it('never carries message texts, names, numbers, tokens or keys — from a day of demo traffic or a line that slipped through', async () => {
    const setup = await coreWithLogFile();
    await call(setup.core, 'workspace:open-demo');
    const demo = setup.core.services.demo()!;
    for (const [kind, customer] of [['text', 0], ['text', 1], ['image', 2], ['text', 3]] as const) demo.customers.act(kind, customer);
    const archive = setup.core.services.workspaces.current()!.archive;
    const messageCount = () => (archive.db.prepare("SELECT count(*) AS n FROM messages WHERE direction = 'in'").get() as { n: number }).n;
    await expect.poll(messageCount, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
    const { conversationId } = archive.db.prepare('SELECT conversation_id AS conversationId FROM messages ORDER BY id LIMIT 1').get() as { conversationId: number };
    const reply = 'Your table for four is ready, 您的座位已准备好';
    await call(setup.core, 'messages:send', { kind: 'text', conversationId, text: reply });
    setup.clock.advance(60_000);
    await new Promise((resolve) => setTimeout(resolve, 200));

    // A line an older version (or a careless one) might have written, straight into the file.
    const token = demo.credentials.accessToken;
    appendFileSync(
      join(logDirectory(setup.dataDir), 'frontdesk.log'),
      `${JSON.stringify({
        at: new Date().toISOString(),
        source: 'core',
        level: 'error',
        message: 'Sending failed',
        error: `Graph said "Re: ${reply}" for +44 7700 900123 with Bearer ${token}`,
        detail: `token=${token} app secret ${demo.credentials.appSecret} mail lin.wang@example.com`,
        body: reply,
        nested: { text: reply },
      })}\n`,
    );

    const secrets = [token, demo.credentials.appSecret, reply, '7700 900123', 'lin.wang@example.com'];
    const people = archive.db.prepare('SELECT wa_id, phone, profile_name, saved_name FROM contacts').all() as Array<Record<string, string | null>>;
    const texts = archive.db.prepare("SELECT text FROM messages WHERE text IS NOT NULL AND text <> ''").all() as Array<{ text: string }>;
    expect(people.length).toBeGreaterThanOrEqual(3);
    expect(texts.length).toBeGreaterThanOrEqual(4);
    for (const person of people) for (const value of Object.values(person)) if (value && value.length >= 4) secrets.push(value);
    for (const { text } of texts) secrets.push(text);

    const files = await exportZip(setup);
    const everything = Object.values(files).join('\n');
    expect(files['logs/frontdesk.log']).toContain('Sending failed');
    for (const secret of secrets) expect(everything).not.toContain(secret);
    // The log on disk itself, as the app writes it, has none of what the archive holds either.
    const raw = readFileSync(join(logDirectory(setup.dataDir), 'frontdesk.log'), 'utf8').split('\n').slice(0, -2).join('\n');
    for (const secret of secrets.slice(5)) expect(raw).not.toContain(secret);
  });

  it('keeps what says what went wrong: levels, messages, codes, counts', () => {
    const at = new Date(1_000_000).toISOString();
    const line = scrubLogLine(JSON.stringify({ at, source: 'core', level: 'warn', message: 'outbox: send failed', code: 'meta_throttled', retryInMs: 4000, offline: false }), 0);
    expect(JSON.parse(line!)).toEqual({ at, source: 'core', level: 'warn', message: 'outbox: send failed', code: 'meta_throttled', retryInMs: 4000, offline: false });
    expect(scrubLogLine(JSON.stringify({ at, level: 'info', message: 'old' }), 2_000_000)).toBeNull();
    expect(scrubLogLine('not json', 0)).toBeNull();
  });
});
