import { describe, expect, it } from 'vitest';
import { createUnreadBadge } from '../../electron/main/unread-badge';

describe('the dock/taskbar badge', () => {
  it('shows the unread total core announces, clears at zero, and ignores other events and bad payloads', () => {
    const counts: Array<number | undefined> = [];
    const badge = createUnreadBadge({ setBadgeCount: (n) => (counts.push(n), true) });
    badge('inbox:unread', { unreadMessages: 7, unreadConversations: 3 });
    badge('messages:received', { unreadMessages: 99 });
    badge('inbox:unread', { unreadMessages: -1, unreadConversations: 0 });
    badge('inbox:unread', { unreadMessages: 0, unreadConversations: 0 });
    expect(counts).toEqual([7, 0]);
  });
});
