import { basename } from 'node:path';
import { isErrorCode } from '../../../shared/ipc';
import type { CloudStatus, HealthState, WorkspaceState } from '../../../shared/ipc';
import { RpcError } from '../../../shared/rpc/peer';
import type { ChannelHandlers } from '../dispatcher';
import { localDateOf } from '../automation/hours';
import { computerTimezone } from '../automation/settings';
import { AppError } from '../errors';
import type { CorePorts } from '../ports';
import { writeFileAtomically } from '../transcript';
import { buildDiagnosticsZip } from './diagnostics';

type DesktopChannels = Pick<
  ChannelHandlers,
  'desktop:state' | 'desktop:set-launch-at-login' | 'desktop:check-for-updates' | 'desktop:restart-to-update' | 'desktop:privacy-mode' | 'desktop:export-diagnostics'
>;

export interface DesktopHandlerDeps {
  ports: Pick<CorePorts, 'desktop' | 'dialogs' | 'settings' | 'clock' | 'host' | 'paths'>;
  /** A message is on its way to Meta right now. */
  sending(): boolean;
  workspace(): WorkspaceState;
  /** Health and the webhook line's counters of the open, unlocked workspace; null otherwise. */
  health(): { health: HealthState; cloud: CloudStatus } | null;
}

/** The renderer's side of desktop integration: main does the work through the desktop port. */
export function createDesktopHandlers(deps: DesktopHandlerDeps): DesktopChannels {
  const { ports } = deps;
  return {
    'desktop:state': () => ports.desktop.state(),
    'desktop:set-launch-at-login': async ({ enabled }) => {
      const state = await ports.desktop.setLaunchAtLogin(enabled);
      if (state.launchAtLogin.supported && state.launchAtLogin.enabled !== enabled) {
        throw new AppError('desktop_unavailable', 'The operating system did not change the login item');
      }
      return state;
    },
    'desktop:check-for-updates': () => ports.desktop.checkForUpdates(),
    'desktop:restart-to-update': async () => {
      const { update } = await ports.desktop.state();
      if (update.status !== 'ready') throw new AppError('update_not_ready', 'No update has been downloaded');
      // A restart mid-request would leave that message "not confirmed"; queued ones simply wait in the outbox.
      if (deps.sending()) throw new AppError('update_waiting_for_sends', 'A message is being sent; restart once it has gone');
      try {
        await ports.desktop.restartToUpdate();
      } catch (error) {
        // Main checks again (a send may have started since) and answers with the same codes.
        if (error instanceof RpcError && isErrorCode(error.code)) throw new AppError(error.code, error.message);
        throw error;
      }
    },
    'desktop:privacy-mode': ({ enabled }) => ports.desktop.setPrivacyMode(enabled),
    'desktop:export-diagnostics': async () => {
      const now = ports.clock.now();
      const path = await ports.dialogs.chooseSaveFile({ title: 'Save diagnostics', defaultName: `frontdesk-diagnostics-${localDateOf(now, computerTimezone())}.zip` });
      if (path === null) return { fileName: null };
      const snapshot = deps.health();
      const zip = await buildDiagnosticsZip({
        dataDir: ports.paths.dataDir,
        now,
        about: ports.host,
        settings: await ports.settings.all(),
        workspace: deps.workspace(),
        health: snapshot?.health ?? null,
        cloud: snapshot?.cloud ?? null,
      });
      try {
        await writeFileAtomically(path, [zip]);
      } catch (error) {
        const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
        throw new AppError('export_failed', `The diagnostics file could not be written (${code ?? 'unknown'})`);
      }
      return { fileName: basename(path) };
    },
  };
}
