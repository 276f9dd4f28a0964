/**
 * Main's entry: wiring only. Every decision lives in a module that takes the Electron APIs it needs as
 * parameters (and is tested with fakes); this file hands it the real ones.
 */
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, MessageChannelMain, nativeTheme, powerMonitor, protocol, safeStorage, session, shell, utilityProcess } from 'electron';
import Store from 'electron-store';
import { createElectronDialogs } from './adapters/dialogs';
import { createSafeStorageKeychain } from './adapters/keychain';
import { createLogFile } from './adapters/log-file';
import { createElectronPrinter, printPartition } from './adapters/printer';
import { createStoreSettings, settingsStoreOptions } from './adapters/settings';
import { appOrigin } from './app-origin';
import { handleAppProtocol, registerAppScheme } from './app-protocol';
import { createUtilityLauncher, startCoreProcess } from './core-process';
import { handleMediaProtocol, mediaSchemePrivileges } from './media-protocol';
import type { CoreProcess } from './core-process';
import { createEventForwarder, registerIpcRelay } from './ipc-relay';
import { createUnreadBadge } from './unread-badge';
import { hardenSession, hardenWebContents } from './security';
import { createWindowRegistry, mainWindowOptions, openMainWindow } from './window';

// dist-electron/: main.js, core.js and preload.cjs sit side by side; the renderer is built to dist/renderer.
const buildDir = import.meta.dirname;
const rendererDir = join(buildDir, '..', 'dist', 'renderer');

const windows = createWindowRegistry<BrowserWindow>();
const createWindow = () =>
  openMainWindow((options) => new BrowserWindow(options), windows, mainWindowOptions(join(buildDir, 'preload.cjs'), nativeTheme.shouldUseDarkColors));

function focusExisting(): void {
  const window = windows.first();
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

if (!app.requestSingleInstanceLock()) {
  // Another Frontdesk owns the archive; it has been asked to come forward ('second-instance').
  app.quit();
} else {
  // Before 'ready': scheme privileges and the sandbox can only be set then.
  registerAppScheme(protocol, [mediaSchemePrivileges]);
  app.enableSandbox();

  app.on('second-instance', focusExisting);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, appOrigin, shell));

  let core: CoreProcess | null = null;

  void app.whenReady().then(() => {
    hardenSession(session.defaultSession, appOrigin);
    handleAppProtocol(protocol, rendererDir);

    const logFile = createLogFile(join(app.getPath('userData'), 'logs'));
    core = startCoreProcess({
      launch: createUtilityLauncher({
        utilityProcess,
        MessageChannelMain,
        entryPath: join(buildDir, 'core.js'),
        init: {
          dataDir: app.getPath('userData'),
          host: { appVersion: app.getVersion(), platform: process.platform, transport: 'electron' },
        },
      }),
      ports: {
        keychain: createSafeStorageKeychain(safeStorage),
        settings: createStoreSettings(new Store<Record<string, unknown>>(settingsStoreOptions)),
        dialogs: createElectronDialogs(dialog, () => windows.first()),
        print: createElectronPrinter({ session: () => session.fromPartition(printPartition), createWindow: (options) => new BrowserWindow(options) }),
      },
      onEvent: (() => {
        const forward = createEventForwarder(() => windows.contents());
        const badge = createUnreadBadge(app);
        return (name: unknown, payload: unknown) => {
          forward(name, payload);
          badge(name, payload);
        };
      })(),
      log: (source, entry) => logFile.write(source, entry),
      onGiveUp() {
        dialog.showErrorBox(
          'Frontdesk stopped working',
          `Frontdesk's background service stopped several times in a row, so Frontdesk will close. Your archive is safe. Details are in ${logFile.path}.`,
        );
        app.quit();
      },
    });
    const running = core;
    handleMediaProtocol(protocol, (mediaId) => running.readMedia(mediaId));
    // A locked computer means a locked Frontdesk: core locks every open workspace.
    powerMonitor.on('lock-screen', () => running.notifyScreenLocked());
    registerIpcRelay({ ipcMain, invokeCore: (channel, payload) => running.invoke(channel, payload), isOurContents: windows.isOurContents });

    createWindow();
    app.on('activate', () => {
      if (windows.all().length === 0) createWindow();
    });
  });

  app.on('window-all-closed', () => {
    // macOS apps stay in the Dock with no window; elsewhere closing the last window quits.
    if (process.platform !== 'darwin') app.quit();
  });

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !core) return;
    // Let core close the archive cleanly before the process goes.
    event.preventDefault();
    quitting = true;
    void core.stop().finally(() => app.quit());
  });
}
