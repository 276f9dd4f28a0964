import { randomBytes } from 'node:crypto';
import type { ClockPort } from '../ports';
import { startSandboxGraph } from './graph-server';
import type { SandboxGraph } from './graph-server';
import { startSimulatedCustomers } from './webhooks/customers';
import type { SimulatedCustomers } from './webhooks/customers';
import { createWebhookPoster } from './webhooks/poster';
import type { WebhookPoster } from './webhooks/poster';

/** The demo workspace's pretend number (DESIGN: the sandbox is the demo workspace). */
export const demoIds = { phoneNumberId: '106540352242922', wabaId: '102290129340398', appId: '1234567890123' };

export interface DemoSandbox {
  graph: SandboxGraph;
  customers: SimulatedCustomers;
  poster: WebhookPoster;
  /** What the demo's connection is saved with at every start (fresh secrets each time). */
  credentials: { accessToken: string; appSecret: string };
  stop(): Promise<void>;
}

/**
 * Meta for the demo: the sandbox Graph API on 127.0.0.1 and simulated customers who write to it, their
 * webhooks signed and posted to the workspace's own receiver — the same path a real number's webhooks take.
 */
export async function startDemoSandbox(options: { clock: ClockPort; seed: number; receiverUrl: () => string | null; meanIntervalMs?: number }): Promise<DemoSandbox> {
  const credentials = { accessToken: `EAADemo${randomBytes(24).toString('base64url')}`, appSecret: randomBytes(16).toString('hex') };
  let customers: SimulatedCustomers | null = null;
  const graph = await startSandboxGraph({
    clock: options.clock,
    seed: options.seed,
    validToken: credentials.accessToken,
    ...demoIds,
    onSent: (message) => customers?.onSent(message),
  });
  const poster = createWebhookPoster({ url: options.receiverUrl, appSecret: credentials.appSecret, clock: options.clock });
  customers = startSimulatedCustomers({
    clock: options.clock,
    seed: options.seed,
    graph,
    post: (webhook) => poster.post(webhook),
    appSecret: credentials.appSecret,
    phoneNumberId: demoIds.phoneNumberId,
    displayPhoneNumber: '+1 555-010-0100',
    wabaId: demoIds.wabaId,
    ...(options.meanIntervalMs !== undefined ? { meanIntervalMs: options.meanIntervalMs } : {}),
  });
  const started = customers;
  return {
    graph,
    customers: started,
    poster,
    credentials,
    async stop() {
      started.stop();
      poster.stop();
      await graph.close();
    },
  };
}
