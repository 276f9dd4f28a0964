import type { DesktopState } from '../../../shared/ipc';
import type { DesktopPort } from '../ports';

export interface HeadlessDesktop extends DesktopPort {
  /** What the renderer last reported about privacy mode (the preview host has no tray to show it in). */
  readonly privacyMode: boolean;
}

/**
 * The desktop port where there is no desktop shell (the preview host, tests): nothing to launch at login,
 * and updates are off as in any development build.
 */
export function createHeadlessDesktop(): HeadlessDesktop {
  const state: DesktopState = { launchAtLogin: { supported: false, enabled: false }, update: { status: 'disabled', reason: 'development' } };
  let privacyMode = false;
  return {
    get privacyMode() {
      return privacyMode;
    },
    state: async () => state,
    setLaunchAtLogin: async () => state,
    checkForUpdates: async () => state,
    restartToUpdate: async () => {},
    setPrivacyMode: async (enabled) => {
      privacyMode = enabled;
    },
  };
}
