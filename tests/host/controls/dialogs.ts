import { z } from 'zod';
import { registerTestControl } from '../test-controls';

/** Queues the answer the next dialog of that kind gives: a path, or null for "the user cancels". */
registerTestControl(
  'dialogs/preset',
  z
    .object({
      kind: z.enum(['chooseFolder', 'chooseSaveFile', 'chooseOpenFile']),
      answer: z.string().min(1).max(4096).nullable(),
    })
    .strict(),
  ({ kind, answer }, { ports }) => {
    ports.dialogs.preset(kind, answer);
    return { queued: kind };
  },
);
