/** Main's side of core's desktop port: launch at login, updates and the tray's privacy tick. */
import type { DesktopState } from '../../shared/ipc';
import { RpcError } from '../../shared/rpc/peer';
import type { DesktopPort } from '../core/ports';
import type { LaunchAtLogin } from './launch-at-login';
import type { UpdateFlow } from './update-flow';

export interface MainDesktopOptions {
  launchAtLogin: LaunchAtLogin;
  updates: UpdateFlow;
  onPrivacyMode(enabled: boolean): void;
}

export function desktopStateOf(launchAtLogin: LaunchAtLogin, updates: UpdateFlow): DesktopState {
  return { launchAtLogin: launchAtLogin.state(), update: updates.state() };
}

export function createMainDesktopPort(options: MainDesktopOptions): DesktopPort {
  const state = () => desktopStateOf(options.launchAtLogin, options.updates);
  return {
    state: async () => state(),
    async setLaunchAtLogin(enabled) {
      options.launchAtLogin.set(enabled);
      return state();
    },
    async checkForUpdates() {
      await options.updates.check();
      return state();
    },
    async restartToUpdate() {
      // Core asked a moment ago; a send may have started since.
      const outcome = await options.updates.restart();
      if (outcome === 'waiting-for-sends') throw new RpcError('update_waiting_for_sends', 'A message is being sent');
      if (outcome === 'not-ready') throw new RpcError('update_not_ready', 'No update has been downloaded');
    },
    async setPrivacyMode(enabled) {
      options.onPrivacyMode(enabled);
    },
  };
}
