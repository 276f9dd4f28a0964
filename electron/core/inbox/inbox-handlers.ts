import { createConversationHandlers } from './conversation-handlers';
import type { InboxDeps } from './inbox-deps';
import { createMessageHandlers } from './message-handlers';

export type { InboxDeps } from './inbox-deps';

type InboxChannels = ReturnType<typeof createConversationHandlers> & ReturnType<typeof createMessageHandlers>;

/** Every inbox:*, conversations:* and messages:* channel (PRODUCT §2). */
export function createInboxHandlers(deps: InboxDeps): InboxChannels {
  return { ...createConversationHandlers(deps), ...createMessageHandlers(deps) };
}
