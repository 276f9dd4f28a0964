import { events } from '../../shared/ipc/contract';
import { countLabel } from './tray';

/**
 * The unread total core announces as the `inbox:unread` event (unmuted conversations, PRODUCT §2), checked
 * against the contract first; null for any other event or a payload that does not match.
 */
export function unreadFromEvent(name: unknown, payload: unknown): number | null {
  if (name !== 'inbox:unread') return null;
  const parsed = events['inbox:unread'].safeParse(payload);
  return parsed.success ? parsed.data.unreadMessages : null;
}

/** What the badge needs of Electron (parameters, so the module stays testable without Electron). */
export interface BadgeTargets {
  platform: NodeJS.Platform;
  /** `app.setBadgeCount`: the Dock on macOS, the launcher on Linux desktops that show counts. */
  setBadgeCount(count: number): boolean;
  /** Windows has no taskbar count: an overlay image on the window's button (`win.setOverlayIcon`); null clears it. */
  setOverlayIcon(image: string | null, description: string): void;
}

/**
 * The dock/taskbar badge: shows the count, clears at zero. `describe` words the count for screen readers (the
 * Windows overlay's description), in the shell's language.
 */
export function createUnreadBadge(targets: BadgeTargets, describe: (unread: number) => string): (unread: number) => void {
  return (unread) => {
    if (targets.platform === 'win32') {
      targets.setOverlayIcon(unread > 0 ? `overlay-${countLabel(unread)}` : null, unread > 0 ? describe(unread) : '');
    } else {
      targets.setBadgeCount(unread);
    }
  };
}
