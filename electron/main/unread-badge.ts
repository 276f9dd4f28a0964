import { events } from '../../shared/ipc/contract';

/** What the badge needs of Electron's `app` (a parameter so the module stays testable without Electron). */
export interface BadgeApp {
  setBadgeCount(count?: number): boolean;
}

/**
 * The dock/taskbar badge (PRODUCT §2): core announces the unread total of unmuted conversations as the
 * `inbox:unread` event; the badge shows it, and clears when it is zero. Checked against the contract first.
 */
export function createUnreadBadge(app: BadgeApp): (name: unknown, payload: unknown) => void {
  return (name, payload) => {
    if (name !== 'inbox:unread') return;
    const parsed = events['inbox:unread'].safeParse(payload);
    if (parsed.success) app.setBadgeCount(parsed.data.unreadMessages);
  };
}
