import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureRendererDir, rawRequest } from './helpers';
import { exited, runCli, spawnHost } from './spawn-host';
import type { SpawnedHost } from './spawn-host';

async function output(args: string[]) {
  const child = runCli(args);
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => (out += String(chunk)));
  child.stderr!.on('data', (chunk) => (err += String(chunk)));
  const code = await exited(child);
  return { code, out, err };
}

describe('preview CLI', () => {
  let running: SpawnedHost | null = null;
  let dataDir: string | null = null;
  afterEach(async () => {
    await running?.stop();
    running = null;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    dataDir = null;
  });

  it('prints exactly the URL line and the token line on stdout, logs on stderr, and stops cleanly on SIGTERM', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'frontdesk-cli-test-'));
    running = await spawnHost(['--data', dataDir, '--test-controls', '--renderer', fixtureRendererDir, '--seed', '7', '--demo']);
    const lines = running.stdout().trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Frontdesk preview: http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    expect(lines[1]).toMatch(/^Test controls token: [A-Za-z0-9_-]{43}$/);
    expect(running.stderr()).toContain('Preview host listening');
    // --demo opened the demo workspace before the URL was printed.
    expect(running.stderr()).toContain('Workspace unlocked');
    expect(running.stderr()).not.toContain('did not open');

    const signIn = await rawRequest(running.origin, new URL(running.url).pathname + new URL(running.url).search);
    expect(signIn.status).toBe(303);
    const preset = await rawRequest(running.origin, '/__test/dialogs/preset', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-token': running.testControlsToken! },
      body: JSON.stringify({ kind: 'chooseFolder', answer: '/tmp/x' }),
    });
    expect(preset.status).toBe(200);

    expect(await running.stop()).toBe(0);
    expect(running.stderr()).toContain('Preview host stopped');
    // A folder it was given is kept.
    expect(existsSync(dataDir)).toBe(true);
  });

  it('refuses unknown flags and bad values with a clear message', async () => {
    const unknown = await output(['--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.out).toBe('');
    expect(unknown.err).toMatch(/Unknown option '--bogus'/);
    expect(unknown.err).toContain('--help');

    const port = await output(['--port', 'eighty']);
    expect(port.code).toBe(2);
    expect(port.err).toContain('--port takes a whole number');

    const positional = await output(['extra']);
    expect(positional.code).toBe(2);
  });

  it('explains itself with --help', async () => {
    const help = await output(['--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--data', '--port', '--demo', '--seed', '--test-controls']) expect(help.out).toContain(flag);
    expect(help.out).toMatch(/simulated customers/);
  });

  it('runs as `npm run preview` runs it: through the tsx binary', async () => {
    const { spawnSync } = await import('node:child_process');
    const { resolve } = await import('node:path');
    const root = resolve(import.meta.dirname, '../..');
    const result = spawnSync(resolve(root, 'node_modules/.bin/tsx'), ['tests/host/cli.ts', '--help'], { cwd: root, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: npm run preview');
  });

  it('fails with a hint when the renderer has not been built', async () => {
    const missing = await output(['--renderer', join(tmpdir(), 'frontdesk-no-renderer-here')]);
    expect(missing.code).toBe(1);
    expect(missing.out).toBe('');
    expect(missing.err).toContain('vite build --mode preview');
  });
});
