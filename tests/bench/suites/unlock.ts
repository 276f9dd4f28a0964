import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { InboxPage, WorkspaceDraft, WorkspaceState } from '../../../shared/ipc';
import { openArchive } from '../../../electron/core/archive';
import { createCore } from '../../../electron/core/create-core';
import { createMemoryLogger, createNodePorts } from '../../../electron/core/node-ports';
import { deriveKeyFromPassphrase, moderateArgon2 } from '../../../electron/core/vault/argon2';
import { fillArchive } from '../../support/seed-archive';
import { row } from '../harness';
import type { BenchRow, Measurement, Suite } from '../harness';

const passphrase = 'correct horse battery staple';

function sizes(): number[] {
  return (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
}

function summarise(name: string, samples: number[]): Measurement {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
  return { name, unit: 'ms', iterations: samples.length, p50: at(50), p95: at(95), p99: at(99), mean, rate: 1000 / mean };
}

async function unwrapOk<T>(promise: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value as T;
}

/**
 * Unlock to first inbox page: Argon2id at MODERATE (what every real workspace uses), opening the encrypted
 * archive, and the first page of the conversation list — beside opening the same archive unencrypted.
 */
export const unlockToInbox: Suite = {
  name: 'unlock',
  async run() {
    const rows: BenchRow[] = [];
    const kdf: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await deriveKeyFromPassphrase(passphrase, new Uint8Array(16), moderateArgon2);
      kdf.push(performance.now() - t0);
    }
    rows.push(row('unlock', summarise('Argon2id MODERATE (worker)', kdf), undefined, { note: 'ops 3, 256 MiB, libsodium WASM' }));

    for (const size of sizes()) {
      const dataDir = mkdtempSync(join(tmpdir(), 'frontdesk-bench-unlock-'));
      try {
        const ports = createNodePorts({ dataDir, transport: 'preview', appVersion: 'bench', logger: createMemoryLogger() });
        const core = createCore(ports, { argon2: moderateArgon2 });
        const draft = await unwrapOk<WorkspaceDraft>(core.invoke('workspace:prepare', { name: 'Bench', passphrase, keychainUnlock: false }));
        const groups = draft.recoveryKey.split(' ');
        const state = await unwrapOk<WorkspaceState>(
          core.invoke('workspace:create', { draftId: draft.draftId, confirmations: [groups[draft.confirmGroups[0] - 1], groups[draft.confirmGroups[1] - 1]] }),
        );
        const workspaceId = state.open!.id;
        console.error(`bench: unlock: filling ${size} messages…`);
        fillArchive(core.services.workspaces.current()!.archive, { messages: size, seed: 11 });
        await unwrapOk(core.invoke('workspace:close', undefined));

        const encrypted: number[] = [];
        for (let i = 0; i < 3; i++) {
          const t0 = performance.now();
          await unwrapOk(core.invoke('vault:unlock', { workspaceId, method: 'passphrase', passphrase }));
          // The page the inbox shows first, through the same channel the renderer calls.
          const page = await unwrapOk<InboxPage>(core.invoke('inbox:list', { offset: 0, limit: 50 }));
          encrypted.push(performance.now() - t0);
          if (page.rows.length === 0) throw new Error('the inbox page is empty');
          await unwrapOk(core.invoke('workspace:close', undefined));
        }
        await core.close();

        // Baseline: the same amount of data in an unencrypted file, opened with no key derivation at all.
        const plainPath = join(dataDir, 'plain.db');
        const plain = openArchive({ path: plainPath, key: null });
        fillArchive(plain, { messages: size, seed: 11 });
        plain.close();
        const unencrypted: number[] = [];
        for (let i = 0; i < 3; i++) {
          const t0 = performance.now();
          const archive = openArchive({ path: plainPath, key: null });
          archive.conversations.page({ limit: 50 });
          unencrypted.push(performance.now() - t0);
          archive.close();
        }
        rows.push(
          row('unlock', summarise(`unlock → first inbox page @${size}`, encrypted), summarise(`unencrypted open → page @${size}`, unencrypted), {
            target: size >= 1_000_000 ? '≤ 1500 ms' : undefined,
          }),
        );
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
    return rows;
  },
};
