import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openArchive } from '../../../electron/core/archive/connection';
import { drainSpool } from '../../../electron/core/cloud/spool';
import { deriveWorkspaceKeys } from '../../../electron/core/vault/keys';
import { loadSodium } from '../../../electron/core/vault/sodium';
import { createTestArchive } from '../../support/archive-helpers';
import { tempDir } from '../helpers';
import type { ChildConfig } from './receiver-child';
import { postWebhook, repoRoot, testAppSecret, textWebhook } from './receiver-support';

function startChild(config: ChildConfig): Promise<{ child: ChildProcess; port: number; exited: Promise<NodeJS.Signals | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'receiver-child.ts'), JSON.stringify(config)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onTestFinished(() => void child.kill('SIGKILL'));
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /listening (\d+)/.exec(stdout);
      if (match) resolve({ child, port: Number(match[1]), exited });
    });
    child.on('error', reject);
    void exited.then(() => reject(new Error(`receiver child exited early: ${stderr}`)));
  });
}

/**
 * 20 keep-alive connections keep posting; the moment the `killAfter`-th 200 arrives the child is SIGKILLed,
 * with other requests still in flight (those may or may not be stored: they were never acknowledged).
 */
async function postUntilKilled(child: ChildProcess, port: number, killAfter: number) {
  const url = `http://127.0.0.1:${port}/webhook`;
  const total = killAfter * 3;
  const acknowledged: Buffer[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 20 });
  onTestFinished(() => agent.destroy());
  let sent = 0;
  let killed = false;
  const worker = async () => {
    while (!killed && sent < total) {
      const body = textWebhook(sent++, `kill test ${sent}`);
      try {
        const result = await postWebhook(url, body, undefined, agent);
        if (result.status === 200 && !killed) {
          acknowledged.push(body);
          if (acknowledged.length >= killAfter) {
            killed = true;
            child.kill('SIGKILL');
          }
        }
      } catch {
        // connection reset by the kill
      }
    }
  };
  await Promise.all(Array.from({ length: 20 }, worker));
  return { acknowledged, sent };
}

function missingFrom(stored: Buffer[], acknowledged: Buffer[]): Buffer[] {
  const set = new Set(stored.map((b) => b.toString('hex')));
  return acknowledged.filter((b) => !set.has(b.toString('hex')));
}

// A wide group-commit window (200 ms): an acknowledgement sent before its commit would be caught by the kill.
const maxDelayMs = 200;

describe('a receiver killed right after answering 200', () => {
  it('loses nothing it acknowledged into the archive (SIGKILL in a child process, then reopen and count)', { timeout: 60_000 }, async () => {
    const { archive, path, key } = createTestArchive();
    archive.close();
    const { child, port, exited } = await startChild({ mode: 'archive', path, keyHex: Buffer.from(key).toString('hex'), appSecret: testAppSecret, maxDelayMs });
    const { acknowledged, sent } = await postUntilKilled(child, port, 150);
    expect(await exited).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(150);

    const reopened = openArchive({ path, key });
    try {
      expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = reopened.db.prepare<[], Buffer>('SELECT body FROM webhook_inbox').pluck().all();
      expect(missingFrom(stored, acknowledged)).toEqual([]);
      expect(stored.length).toBeGreaterThanOrEqual(acknowledged.length);
      expect(stored.length).toBeLessThanOrEqual(sent);
    } finally {
      reopened.close();
    }
  });

  it('loses nothing it acknowledged into the sealed spool while closed; the drain at unlock brings it all', { timeout: 60_000 }, async () => {
    const sodium = await loadSodium();
    const keys = deriveWorkspaceKeys(sodium, sodium.randombytes_buf(32));
    const spoolPath = join(tempDir('frontdesk-spool-kill-'), 'webhooks.spool');
    const { child, port, exited } = await startChild({
      mode: 'spool',
      path: spoolPath,
      publicKeyHex: Buffer.from(keys.boxPublicKey).toString('hex'),
      appSecret: testAppSecret,
      maxDelayMs,
    });
    const { acknowledged, sent } = await postUntilKilled(child, port, 150);
    expect(await exited).toBe('SIGKILL');

    const { archive } = createTestArchive();
    const result = await drainSpool(spoolPath, { publicKey: keys.boxPublicKey, secretKey: keys.boxSecretKey }, archive, { appSecret: testAppSecret });
    expect(result.unreadable).toBe(0);
    const stored = archive.db.prepare<[], Buffer>('SELECT body FROM webhook_inbox').pluck().all();
    expect(missingFrom(stored, acknowledged)).toEqual([]);
    expect(stored.length).toBeGreaterThanOrEqual(acknowledged.length);
    expect(stored.length).toBeLessThanOrEqual(sent);
  });
});
