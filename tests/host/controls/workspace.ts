import { z } from 'zod';
import { fillArchive } from '../../support/seed-archive';
import { registerTestControl, TestControlError } from '../test-controls';

/**
 * Writes N generated messages (Chinese and English) into the open workspace's archive, spread over
 * `contacts` contacts and their conversations (default one per 50 messages; 100,000 for the inbox's list).
 */
registerTestControl(
  'archive/seed-messages',
  z.object({ count: z.number().int().min(1).max(200_000), contacts: z.number().int().min(1).max(200_000).optional(), seed: z.number().int().min(0).optional() }).strict(),
  ({ count, contacts, seed }, { core }) => {
    const workspace = core.services.workspaces.current();
    if (!workspace) throw new TestControlError('invalid_request', 'Open a workspace first', 409);
    const result = fillArchive(workspace.archive, { messages: count, seed: seed ?? 1, ...(contacts ? { contacts } : {}) });
    return { written: result.messagesWritten, contacts: result.contactIds.length };
  },
);

/** Acts as if the operating system locked the screen. */
registerTestControl('system/lock-screen', z.object({}).strict(), (_input, { ports }) => {
  ports.system.lockScreen();
  return { signalled: true };
});
