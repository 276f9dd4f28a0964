import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVirtualClock } from '../../../electron/core/clock';
import { createCore } from '../../../electron/core/create-core';
import { createMemoryLogger, createNodePorts } from '../../../electron/core/node-ports';
import { measure, row } from '../harness';
import type { Suite } from '../harness';

/** What one IPC request costs inside core (lookup, zod validation, handler, envelope) beside a bare call. */
export const ipcDispatch: Suite = {
  name: 'ipc-dispatch',
  async run() {
    const dataDir = mkdtempSync(join(tmpdir(), 'frontdesk-bench-'));
    try {
      const ports = createNodePorts({ dataDir, transport: 'preview', appVersion: 'bench', clock: createVirtualClock(), logger: createMemoryLogger() });
      const core = createCore(ports);
      const payload = { message: '您好，您的订单已发货 — your order has shipped' };
      const bare = async (p: { message: string }) => ({ ok: true, value: { message: p.message, at: 0 } });
      const baseline = await measure('direct async call', () => bare(payload), { iterations: 20_000 });
      const subject = await measure('core.invoke app:ping', () => core.invoke('app:ping', payload), { iterations: 20_000 });
      await core.close();
      return [row('ipc-dispatch', subject, baseline, { note: 'per-request overhead of the contract' })];
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
