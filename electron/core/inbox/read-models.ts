import type { Archive } from '../archive';
import { createChatPageRepository } from './repositories/chat-page';
import type { ChatPageRepository } from './repositories/chat-page';
import { createInboxListRepository } from './repositories/inbox-list';
import type { InboxListRepository } from './repositories/inbox-list';

export interface InboxReadModels {
  list: InboxListRepository;
  chat: ChatPageRepository;
}

// Statements are prepared once per open archive (a workspace switch opens another).
const cache = new WeakMap<Archive, InboxReadModels>();

export function inboxReadModels(archive: Archive): InboxReadModels {
  let models = cache.get(archive);
  if (!models) {
    models = { list: createInboxListRepository(archive.db), chat: createChatPageRepository(archive.db) };
    cache.set(archive, models);
  }
  return models;
}
