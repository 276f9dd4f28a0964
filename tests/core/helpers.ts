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

/** A real core on plain-Node ports, a virtual clock and a memory logger; closed when the test ends. */
export function startTestCore() {
  const clock = createVirtualClock();
  const logger = createMemoryLogger();
  const ports = createNodePorts({ dataDir: tempDir(), transport: 'preview', appVersion: '9.9.9-test', clock, logger });
  const core = createCore(ports);
  onTestFinished(() => core.close());
  return { core, ports, clock, logger };
}
