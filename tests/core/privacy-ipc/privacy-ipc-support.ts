/**
 * The privacy channels on a real core: the demo workspace open (encrypted archive in a temp folder, the
 * sandbox as Meta, simulated customers who write through signed webhooks when told), the preset dialogs and the
 * recording printer of the plain-Node ports.
 */
import { expect } from 'vitest';
import type { IpcError } from '../../../shared/ipc';
import { customerWrites } from '../inbox/inbox-support';
import type { DemoInbox } from '../inbox/inbox-support';

export { call, customerWrites, openDemoInbox, waitFor } from '../inbox/inbox-support';
export type { DemoInbox };

/** Invokes a channel that must fail; returns its error. */
export async function fails(inbox: DemoInbox, channel: string, payload?: unknown): Promise<IpcError> {
  const result = (await inbox.core.invoke(channel as never, payload as never)) as { ok: boolean; error?: IpcError };
  expect(result.ok, `${channel} should have failed`).toBe(false);
  return result.error!;
}

/** A customer of the demo writes a text; returns their conversation, contact and the text as stored. */
export async function customerText(inbox: DemoInbox, customer: number) {
  const written = await customerWrites(inbox, customer, 'text');
  const message = inbox.archive().messages.get(written.messageId)!;
  const conversation = inbox.archive().conversations.get(written.conversationId)!;
  expect(message.text, 'the simulated customer wrote some text').toBeTruthy();
  return { ...written, contactId: conversation.contactId!, text: message.text! };
}

/** Lets promises and microtasks (event flushes) settle. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** The audit entries, newest first. */
export function auditActions(inbox: DemoInbox): Array<{ action: string; subject: string | null; details: Record<string, unknown> }> {
  return inbox.archive().audit.page({ limit: 200 });
}
