import { z } from 'zod';
import { fillArchive } from '../../support/seed-archive';
import { registerTestControl, TestControlError } from '../test-controls';

/** Writes N generated messages (Chinese and English, many contacts) into the open workspace's archive. */
registerTestControl(
  'archive/seed-messages',
  z.object({ count: z.number().int().min(1).max(200_000), seed: z.number().int().min(0).optional() }).strict(),
  ({ count, seed }, { core }) => {
    const workspace = core.services.workspaces.current();
    if (!workspace) throw new TestControlError('invalid_request', 'Open a workspace first', 409);
    const result = fillArchive(workspace.archive, { messages: count, seed: seed ?? 1 });
    return { written: result.messagesWritten, contacts: result.contactIds.length };
  },
);

/** Acts as if the operating system locked the screen. */
registerTestControl('system/lock-screen', z.object({}).strict(), (_input, { ports }) => {
  ports.system.lockScreen();
  return { signalled: true };
});
