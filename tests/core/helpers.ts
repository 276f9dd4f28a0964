import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { createVirtualClock } from '../../electron/core/clock';
import { createCore } from '../../electron/core/create-core';
import { createMemoryLogger, createNodePorts } from '../../electron/core/node-ports';

/** A fresh temp folder removed when the test ends. */
export function tempDir(prefix = 'frontdesk-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Cheap Argon2id for tests (DESIGN: tests may pass lower parameters); the app always uses MODERATE. */
export const fastArgon2 = { opslimit: 1, memlimit: 8192 };

/**
 * A real core on plain-Node ports with virtual clocks (core's and the idle clock) and a memory logger;
 * closed when the test ends. Pass `dataDir` to start a second core on the same files (a restart).
 */
export function startTestCore(options: { dataDir?: string } = {}) {
  const clock = createVirtualClock();
  const idleClock = createVirtualClock();
  const logger = createMemoryLogger();
  const dataDir = options.dataDir ?? tempDir();
  const ports = createNodePorts({ dataDir, transport: 'preview', appVersion: '9.9.9-test', clock, logger });
  const core = createCore(ports, { argon2: fastArgon2, idleClock });
  onTestFinished(() => core.close());
  return { core, ports, clock, idleClock, logger, dataDir };
}

/** Invokes a channel and returns the value, failing the test with the error when the Result is not ok. */
export async function call<T = unknown>(core: { invoke(c: unknown, p: unknown): Promise<unknown> }, channel: string, payload?: unknown): Promise<T> {
  const result = (await core.invoke(channel, payload)) as { ok: boolean; value?: T; error?: unknown };
  if (!result.ok) throw new Error(`${channel} failed: ${JSON.stringify(result.error)}`);
  return result.value as T;
}
