import { eventNames } from '../../shared/ipc';
import { createRpcPeer, RpcError } from '../../shared/rpc/peer';
import type { MessageEndpoint } from '../../shared/rpc/peer';
import { createWallClock } from './clock';
import { createCore } from './create-core';
import type { Core } from './create-core';
import type { CorePorts, HostInfo } from './ports';

/** What main sends with the MessagePort when it starts core. */
export interface CoreInit {
  dataDir: string;
  host: HostInfo;
}

/**
 * The core side of the main ↔ core MessagePort. Main answers the Electron-backed ports (keychain, settings,
 * dialogs, print, logger) and notifies OS events (screen locked); core answers `invoke` and notifies events. The method names here are the whole protocol:
 * electron/main/core-process.ts serves the same names.
 */
export const mainMethods = {
  keychainIsAvailable: 'keychain.isAvailable',
  keychainWrap: 'keychain.wrap',
  keychainUnwrap: 'keychain.unwrap',
  settingsGet: 'settings.get',
  settingsSet: 'settings.set',
  settingsDelete: 'settings.delete',
  settingsAll: 'settings.all',
  chooseFolder: 'dialogs.chooseFolder',
  chooseSaveFile: 'dialogs.chooseSaveFile',
  chooseOpenFile: 'dialogs.chooseOpenFile',
  printHtmlFile: 'print.htmlFile',
  desktopState: 'desktop.state',
  desktopSetLaunchAtLogin: 'desktop.setLaunchAtLogin',
  desktopCheckForUpdates: 'desktop.checkForUpdates',
  desktopRestartToUpdate: 'desktop.restartToUpdate',
  desktopSetPrivacyMode: 'desktop.setPrivacyMode',
} as const;
/**
 * `media.read` serves main's app-media:// protocol: a stored file of the open, unlocked workspace, decrypted.
 * `outbox.sending` tells main's updater whether a message is on its way to Meta (no restart then).
 */
export const coreMethods = { invoke: 'invoke', close: 'close', readMedia: 'media.read', sending: 'outbox.sending' } as const;
export const notifications = { event: 'event', log: 'log', screenLocked: 'system.screen-locked' } as const;

export function startCoreOverEndpoint(endpoint: MessageEndpoint, init: CoreInit): Core {
  let core: Core | null = null;
  const screenLockListeners = new Set<() => void>();
  const peer = createRpcPeer(endpoint, {
    [coreMethods.invoke]: (args) => {
      const { channel, payload } = (args ?? {}) as { channel?: unknown; payload?: unknown };
      return core!.invoke(channel, payload);
    },
    [coreMethods.close]: () => core!.close(),
    [coreMethods.readMedia]: (args) => {
      const mediaId = (args as { mediaId?: unknown } | null)?.mediaId;
      if (typeof mediaId !== 'number' || !Number.isSafeInteger(mediaId) || mediaId <= 0) throw new RpcError('invalid_request', 'media.read takes a media id');
      return core!.services.readMedia(mediaId);
    },
    [coreMethods.sending]: () => core!.services.sending(),
  }, (topic) => {
    if (topic === notifications.screenLocked) screenLockListeners.forEach((listener) => listener());
  });
  const ports: CorePorts = {
    keychain: {
      isAvailable: () => peer.call<boolean>(mainMethods.keychainIsAvailable),
      wrap: (plain) => peer.call<Uint8Array>(mainMethods.keychainWrap, plain),
      unwrap: (wrapped) => peer.call<Uint8Array>(mainMethods.keychainUnwrap, wrapped),
    },
    settings: {
      get: (key) => peer.call(mainMethods.settingsGet, { key }),
      set: (key, value) => peer.call<void>(mainMethods.settingsSet, { key, value }),
      delete: (key) => peer.call<void>(mainMethods.settingsDelete, { key }),
      all: () => peer.call<Record<string, unknown>>(mainMethods.settingsAll),
    },
    dialogs: {
      chooseFolder: (options) => peer.call<string | null>(mainMethods.chooseFolder, options),
      chooseSaveFile: (options) => peer.call<string | null>(mainMethods.chooseSaveFile, options),
      chooseOpenFile: (options) => peer.call<string | null>(mainMethods.chooseOpenFile, options),
    },
    print: {
      printHtmlFile: (options) => peer.call<{ printed: boolean }>(mainMethods.printHtmlFile, options),
    },
    logger: { log: (level, message, fields) => peer.notify(notifications.log, { level, message, fields }) },
    events: {
      emit: (name, payload) => {
        if (eventNames.includes(name)) peer.notify(notifications.event, { name, payload });
      },
    },
    system: {
      onScreenLocked(listener) {
        screenLockListeners.add(listener);
        return () => void screenLockListeners.delete(listener);
      },
    },
    desktop: {
      state: () => peer.call(mainMethods.desktopState),
      setLaunchAtLogin: (enabled) => peer.call(mainMethods.desktopSetLaunchAtLogin, { enabled }),
      checkForUpdates: () => peer.call(mainMethods.desktopCheckForUpdates),
      restartToUpdate: () => peer.call<void>(mainMethods.desktopRestartToUpdate),
      setPrivacyMode: (enabled) => peer.call<void>(mainMethods.desktopSetPrivacyMode, { enabled }),
    },
    clock: createWallClock(),
    paths: { dataDir: init.dataDir },
    host: init.host,
  };
  core = createCore(ports);
  return core;
}
