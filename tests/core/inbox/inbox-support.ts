/**
 * Helpers for the inbox tests: a real core with the demo workspace open (the sandbox as Meta on 127.0.0.1,
 * simulated customers who write only when told), its events, and conversations written straight through
 * the archive's repositories for list tests that need many of them.
 */
import { onTestFinished } from 'vitest';
import type { EventName } from '../../../shared/ipc';
import type { Archive } from '../../../electron/core/archive';
import { createVirtualClock } from '../../../electron/core/clock';
import { createCore } from '../../../electron/core/create-core';
import { createMemoryLogger, createNodePorts } from '../../../electron/core/node-ports';
import { call, fastArgon2, tempDir } from '../helpers';

export { call };

export interface CapturedEvent {
  event: EventName;
  payload: Record<string, unknown>;
}

/** The demo workspace open in a fresh core on a virtual clock that starts now. */
export async function openDemoInbox(options: { seed?: number; graphTimeoutMs?: number } = {}) {
  const clock = createVirtualClock(Date.UTC(2026, 2, 2, 10, 0, 0));
  const logger = createMemoryLogger();
  const ports = createNodePorts({ dataDir: tempDir(), transport: 'preview', appVersion: 'test', clock, logger });
  const core = createCore(ports, { argon2: fastArgon2, idleClock: createVirtualClock(), demoSeed: options.seed ?? 3, demoCustomerIntervalMs: 0, ...(options.graphTimeoutMs ? { graphTimeoutMs: options.graphTimeoutMs } : {}) });
  onTestFinished(() => core.close());
  const events: CapturedEvent[] = [];
  ports.events.subscribe((event, payload) => events.push({ event, payload: payload as Record<string, unknown> }));
  await call(core, 'workspace:open-demo');
  const archive = (): Archive => core.services.workspaces.current()!.archive;
  const demo = () => core.services.demo()!;
  const of = (name: EventName) => events.filter((e) => e.event === name).map((e) => e.payload);
  return { core, ports, clock, logger, events, of, archive, demo };
}

export type DemoInbox = Awaited<ReturnType<typeof openDemoInbox>>;

/** A simulated customer writes (through a signed webhook to the receiver); resolves with their conversation. */
export async function customerWrites(inbox: DemoInbox, customer: number, kind: 'text' | 'image' | 'document' = 'text') {
  const before = inbox.of('messages:received').length;
  const action = inbox.demo().customers.act(kind, customer);
  await waitFor(() => inbox.of('messages:received').length > before && inbox.archive().messages.getByWamid(action.wamid) !== undefined);
  const message = inbox.archive().messages.getByWamid(action.wamid)!;
  return { conversationId: message.conversationId, messageId: message.id, wamid: action.wamid };
}

/** Polls until `check` holds (real time: HTTP on 127.0.0.1 and the processor run asynchronously). */
export async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('Timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Lets the virtual clock run (status webhooks come on the sandbox's clock) until `check` holds. */
export async function advanceUntil(inbox: DemoInbox, check: () => boolean, stepMs = 30_000, steps = 60): Promise<void> {
  for (let i = 0; i < steps && !check(); i++) {
    inbox.clock.advance(stepMs);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await waitFor(check, 2000);
}

export interface SeedOptions {
  name?: string | null;
  savedName?: string;
  phone?: string | null;
  username?: string;
  userId?: string;
  /** Minutes before now of the customer's last message (null: they never wrote). */
  inboundMinutesAgo?: number | null;
  /** Minutes before now of a staff answer. */
  staffMinutesAgo?: number;
  /** Minutes before now of an automatic reply. */
  automaticMinutesAgo?: number;
  text?: string;
  unread?: boolean;
}

let seeded = 0;

/** A conversation written through the repositories, as the processor and outbox would leave it. */
export function seedConversation(archive: Archive, now: number, options: SeedOptions = {}): number {
  seeded++;
  const phone = options.phone === undefined ? `4479112${String(seeded).padStart(5, '0')}` : options.phone;
  const { id: contactId } = archive.contacts.upsertByIdentity({
    waId: phone,
    phone,
    userId: options.userId ?? (phone ? null : `US.${String(seeded).padStart(19, '1')}`),
    username: options.username ?? null,
    profileName: options.name === undefined ? `Customer ${seeded}` : options.name,
  });
  if (options.savedName) archive.contacts.update(contactId, { savedName: options.savedName });
  const { conversation } = archive.conversations.getOrCreateForContact(contactId);
  const minute = 60_000;
  const inbound = options.inboundMinutesAgo === undefined ? 10 : options.inboundMinutesAgo;
  if (inbound !== null) {
    archive.messages.insert(
      { conversationId: conversation.id, wamid: `wamid.seed.${seeded}.in`, direction: 'in', type: 'text', text: options.text ?? `hello ${seeded}`, timestamp: now - inbound * minute },
      { countsAsUnread: options.unread ?? false },
    );
  }
  if (options.automaticMinutesAgo !== undefined) {
    archive.messages.insert({ conversationId: conversation.id, clientId: `auto-${seeded}`, direction: 'out', type: 'text', text: 'We are closed', status: 'sent', automatic: 'away', timestamp: now - options.automaticMinutesAgo * minute });
  }
  if (options.staffMinutesAgo !== undefined) {
    archive.messages.insert({ conversationId: conversation.id, clientId: `staff-${seeded}`, direction: 'out', type: 'text', text: 'On it', status: 'delivered', senderStaffId: 'x', timestamp: now - options.staffMinutesAgo * minute });
  }
  return conversation.id;
}
