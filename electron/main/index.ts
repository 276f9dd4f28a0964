/**
 * Main's entry: wiring only. Every decision lives in a module that takes the Electron APIs it needs as
 * parameters (and is tested with fakes); this file hands it the real ones.
 */
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  MessageChannelMain,
  nativeImage,
  nativeTheme,
  Notification,
  powerMonitor,
  protocol,
  safeStorage,
  session,
  shell,
  Tray,
  utilityProcess,
} from 'electron';
import Store from 'electron-store';
import electronUpdater from 'electron-updater';
import { createElectronDialogs } from './adapters/dialogs';
import { createSafeStorageKeychain } from './adapters/keychain';
import { createLogFile } from './adapters/log-file';
import { logDirectory } from '../core/diagnostics/log-files';
import { createElectronPrinter, printPartition } from './adapters/printer';
import { createStoreSettings, settingsStoreOptions } from './adapters/settings';
import { appOrigin } from './app-origin';
import { handleAppProtocol, registerAppScheme } from './app-protocol';
import { createUtilityLauncher, startCoreProcess } from './core-process';
import { handleMediaProtocol, mediaSchemePrivileges } from './media-protocol';
import type { CoreProcess } from './core-process';
import { createEventForwarder, registerIpcRelay } from './ipc-relay';
import { createDesktopShell, electronTray } from './desktop-shell';
import type { DesktopShell } from './desktop-shell';
import { createLaunchAtLogin, xdgAutostartFile } from './launch-at-login';
import { hardenSession, hardenWebContents } from './security';
import { shellLocale } from './shell-text';
import { bringForward, createWindowRegistry, mainWindowOptions, openMainWindow } from './window';

// dist-electron/: main.js, core.js and preload.cjs sit side by side; the renderer is built to dist/renderer,
// the tray and badge images are in assets/tray.
const buildDir = import.meta.dirname;
const rendererDir = join(buildDir, '..', 'dist', 'renderer');
const trayImageDir = join(buildDir, '..', 'assets', 'tray');

const windows = createWindowRegistry<BrowserWindow>();
let desktop: DesktopShell | null = null;
function createWindow(show = true): BrowserWindow {
  const window = openMainWindow((options) => new BrowserWindow(options), windows, mainWindowOptions(join(buildDir, 'preload.cjs'), nativeTheme.shouldUseDarkColors), show);
  window.on('close', (event) => desktop?.onWindowClose(event, window));
  return window;
}

/** A second launch, the tray's "Open", the Dock icon: the window comes forward (made anew if there is none). */
function showWindow(): void {
  const window = windows.first();
  if (window) bringForward(window);
  else createWindow();
}

function trayImage(name: string): Electron.NativeImage {
  const image = nativeImage.createFromPath(join(trayImageDir, `${name}.png`));
  // The macOS menu bar tints template images itself (dark and light menu bars).
  if (name.endsWith('template')) image.setTemplateImage(true);
  return image;
}

/**
 * Updates only in an installed app; a development build never replaces itself. Where updates come from (GitHub
 * releases or a generic server) is the build's `publish` configuration (README: Releasing).
 */
function createUpdater() {
  if (!app.isPackaged) return null;
  const { autoUpdater } = electronUpdater;
  // Its console logging could print URLs and paths; the flow logs what matters, scrubbed.
  autoUpdater.logger = null;
  return autoUpdater;
}

if (!app.requestSingleInstanceLock()) {
  // Another Frontdesk owns the archive; it has been asked to come forward ('second-instance').
  app.quit();
} else {
  // Before 'ready': scheme privileges and the sandbox can only be set then.
  registerAppScheme(protocol, [mediaSchemePrivileges]);
  app.enableSandbox();

  app.on('second-instance', showWindow);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, appOrigin, shell));

  let core: CoreProcess | null = null;
  /** Quitting has begun: a window's close is then a real close, not "keep running in the tray". */
  let quitting = false;
  /** Core is closing (or closed) the archive: 'before-quit' need not wait for it again. */
  let coreStopping = false;

  void app.whenReady().then(() => {
    hardenSession(session.defaultSession, appOrigin);
    handleAppProtocol(protocol, rendererDir);

    const logFile = createLogFile(logDirectory(app.getPath('userData')));
    const settingsStore = new Store<Record<string, unknown>>(settingsStoreOptions);
    const forward = createEventForwarder(() => windows.contents());
    const launchAtLogin = createLaunchAtLogin({
      app,
      platform: process.platform,
      isPackaged: app.isPackaged,
      autostart: xdgAutostartFile(app.getPath('home')),
      // An AppImage runs from a temporary mount: the login entry must start the AppImage file itself.
      executable: process.env.APPIMAGE ?? process.execPath,
    });
    desktop = createDesktopShell({
      platform: process.platform,
      locale: shellLocale(app.getLocale()),
      createTray: electronTray({ image: trayImage, newTray: (image) => new Tray(image), buildMenu: (template) => Menu.buildFromTemplate(template) }),
      showWindow,
      sendToWindows: (name, payload) => void forward(name, payload),
      badge: {
        setBadgeCount: (count) => app.setBadgeCount(count),
        setOverlayIcon: (image, description) => windows.first()?.setOverlayIcon(image ? trayImage(image) : null, description),
      },
      settings: { get: (key) => settingsStore.get(key), set: (key, value) => settingsStore.set(key, value) },
      showMessage: (title, detail, button) => void dialog.showMessageBox({ type: 'info', message: title, detail, buttons: [button] }),
      notify(title, body) {
        if (Notification.isSupported()) new Notification({ title, body }).show();
      },
      powerMonitor,
      launchAtLogin,
      updater: createUpdater(),
      core: {
        lock: () => void running.invoke('vault:lock', undefined),
        screenLocked: () => running.notifyScreenLocked(),
        isSending: () => running.isSending(),
        stop: () => running.stop(),
      },
      quit: () => app.quit(),
      isQuitting: () => quitting,
      // The updater stops core itself before the installer takes over: 'before-quit' then lets the quit through.
      beginQuit() {
        quitting = true;
        coreStopping = true;
      },
      log: (level, message, fields) => logFile.write('main', { level, message, fields }),
    });
    const shell = desktop;
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
        settings: createStoreSettings(settingsStore),
        dialogs: createElectronDialogs(dialog, () => windows.first()),
        print: createElectronPrinter({ session: () => session.fromPartition(printPartition), createWindow: (options) => new BrowserWindow(options) }),
        desktop: shell.port,
      },
      onEvent(name, payload) {
        forward(name, payload);
        shell.onCoreEvent(name, payload);
      },
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
    registerIpcRelay({ ipcMain, invokeCore: (channel, payload) => running.invoke(channel, payload), isOurContents: windows.isOurContents });

    // Started by the login item: the desk is ready in the tray, the screen stays clear.
    createWindow(!launchAtLogin.startedAtLogin(process.argv));
    shell.updates.start();
    app.on('activate', showWindow);
  });

  app.on('window-all-closed', () => {
    // macOS apps stay in the Dock with no window; elsewhere closing the last window quits.
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('before-quit', (event) => {
    quitting = true;
    if (coreStopping || !core) return;
    // Let core close the archive cleanly before the process goes.
    event.preventDefault();
    coreStopping = true;
    desktop?.stop();
    void core.stop().finally(() => app.quit());
  });
}
