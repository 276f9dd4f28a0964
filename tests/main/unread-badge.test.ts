import { describe, expect, it } from 'vitest';
import { createUnreadBadge, unreadFromEvent } from '../../electron/main/unread-badge';

function recordingTargets(platform: NodeJS.Platform) {
  const counts: number[] = [];
  const overlays: Array<[string | null, string]> = [];
  const badge = createUnreadBadge({
    platform,
    setBadgeCount: (n) => (counts.push(n), true),
    setOverlayIcon: (image, description) => void overlays.push([image, description]),
  }, (unread) => `${unread} unread`);
  return { badge, counts, overlays };
}

describe('the dock/taskbar badge', () => {
  it('takes the unread total from inbox:unread only, and only when it matches the contract', () => {
    expect(unreadFromEvent('inbox:unread', { unreadMessages: 7, unreadConversations: 3 })).toBe(7);
    expect(unreadFromEvent('messages:received', { unreadMessages: 99 })).toBeNull();
    expect(unreadFromEvent('inbox:unread', { unreadMessages: -1, unreadConversations: 0 })).toBeNull();
    expect(unreadFromEvent('inbox:unread', { unreadMessages: 0, unreadConversations: 0 })).toBe(0);
  });

  it('shows the count on the Dock (macOS) and the launcher (Linux), and clears it at zero', () => {
    for (const platform of ['darwin', 'linux'] as const) {
      const { badge, counts, overlays } = recordingTargets(platform);
      badge(7);
      badge(0);
      expect(counts).toEqual([7, 0]);
      expect(overlays).toEqual([]);
    }
  });

  it('puts an overlay with the count on the Windows taskbar button, "9+" past nine, and removes it at zero', () => {
    const { badge, counts, overlays } = recordingTargets('win32');
    badge(3);
    badge(12);
    badge(0);
    expect(overlays).toEqual([
      ['overlay-3', '3 unread'],
      ['overlay-9plus', '12 unread'],
      [null, ''],
    ]);
    expect(counts).toEqual([]);
  });
});
