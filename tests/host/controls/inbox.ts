import { z } from 'zod';
import type { Archive } from '../../../electron/core/archive';
import type { TestControlContext } from '../test-controls';
import { registerTestControl, TestControlError } from '../test-controls';

function openArchive({ core }: TestControlContext): Archive {
  const workspace = core.services.workspaces.current();
  if (!workspace) throw new TestControlError('invalid_request', 'Open a workspace first', 409);
  return workspace.archive;
}

/** Creates a label (PRODUCT §8) in the open workspace; returns its id. */
registerTestControl(
  'labels/create',
  z.object({ name: z.string().min(1).max(100), colour: z.number().int().min(0).max(19) }).strict(),
  ({ name, colour }, context) => ({ id: openArchive(context).labels.create({ name, colour }).id }),
);

/** Puts a label on a conversation, and tells the renderer the row changed. */
registerTestControl(
  'labels/assign',
  z.object({ conversationId: z.number().int().positive(), labelId: z.number().int().positive() }).strict(),
  ({ conversationId, labelId }, context) => {
    const archive = openArchive(context);
    if (!archive.conversations.get(conversationId)) throw new TestControlError('not_found', `No conversation ${conversationId}`, 404);
    if (!archive.labels.get(labelId)) throw new TestControlError('not_found', `No label ${labelId}`, 404);
    archive.labels.assignToConversations(labelId, [conversationId]);
    context.ports.events.emit('conversations:changed', { ids: [conversationId] });
    return { conversationId, labelId };
  },
);
