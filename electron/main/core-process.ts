/**
 * Core in its own Electron utilityProcess, talked to over one MessagePort (protocol: electron/core/
 * remote-ports.ts). Main answers the ports that need Electron (keychain, settings, dialogs, print), forwards core's
 * events to the windows, writes core's log, and restarts core if it dies — a bounded number of times.
 */
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import type { MessageChannelMain, MessagePortMain, utilityProcess } from 'electron';
import { fail } from '../../shared/ipc';
import type { ChannelName, Result } from '../../shared/ipc';
import { createRpcPeer, RpcError } from '../../shared/rpc/peer';
import type { RpcHandlers, RpcPeer } from '../../shared/rpc/peer';
import type { DesktopPort, DialogsPort, KeychainPort, PrintPort, SettingsPort } from '../core/ports';
import { coreMethods, mainMethods, notifications } from '../core/remote-ports';
import type { CoreInit } from '../core/remote-ports';
import { parseLogEntry } from './adapters/log-file';
import type { LogEntry } from './adapters/log-file';

/** Main's end of the port (Electron's MessagePortMain). */
export interface CorePort {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  off(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

/** The running core process (Electron's UtilityProcess). */
export interface CoreChild {
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export type LaunchCore = () => { child: CoreChild; port: CorePort };

export interface UtilityLauncherOptions {
  utilityProcess: Pick<typeof utilityProcess, 'fork'>;
  MessageChannelMain: new () => Pick<MessageChannelMain, 'port1' | 'port2'>;
  /** dist-electron/core.js */
  entryPath: string;
  init: CoreInit;
}

/** Forks core and hands it its end of a fresh MessageChannel with the init message. */
export function createUtilityLauncher(options: UtilityLauncherOptions): LaunchCore {
  return () => {
    const child = options.utilityProcess.fork(options.entryPath, [], { serviceName: 'Frontdesk core' });
    const { port1, port2 } = new options.MessageChannelMain();
    child.postMessage({ type: 'init', init: options.init }, [port2 as MessagePortMain]);
    return { child, port: port1 };
  };
}

export interface MainSidePorts {
  keychain: KeychainPort;
  settings: SettingsPort;
  dialogs: DialogsPort;
  print: PrintPort;
  desktop: DesktopPort;
}

const enabledArgs = z.object({ enabled: z.boolean() }).strict();
const keyArgs = z.object({ key: z.string().min(1).max(200) }).strict();
const setArgs = z.object({ key: z.string().min(1).max(200), value: z.unknown() }).strict();
const folderArgs = z.object({ title: z.string().max(500), defaultPath: z.string().max(4096).optional() }).strict();
const saveArgs = z.object({ title: z.string().max(500), defaultName: z.string().min(1).max(1024) }).strict();
const openFileArgs = z
  .object({
    title: z.string().max(500),
    filters: z.array(z.object({ name: z.string().max(200), extensions: z.array(z.string().regex(/^[a-z0-9*]{1,16}$/i)).max(20) }).strict()).max(10).optional(),
  })
  .strict();
/** Only an HTML file core wrote, by its absolute path. */
const printArgs = z
  .object({ path: z.string().min(1).max(4096).refine(isAbsolute).refine((p) => p.toLowerCase().endsWith('.html')), title: z.string().max(500) })
  .strict();

function parse<T>(schema: z.ZodType<T>, args: unknown, method: string): T {
  const parsed = schema.safeParse(args);
  if (!parsed.success) throw new RpcError('invalid_request', `Invalid arguments for ${method}`);
  return parsed.data;
}

function toBytes(value: unknown, method: string): Uint8Array {
  // Structured clone hands a Buffer over as a plain Uint8Array; either is fine.
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw new RpcError('invalid_request', `${method} takes bytes`);
}

/** What main answers when core calls one of `mainMethods`; arguments are checked, core is a process boundary. */
export function createMainMethodHandlers(ports: MainSidePorts): RpcHandlers {
  return {
    [mainMethods.keychainIsAvailable]: () => ports.keychain.isAvailable(),
    [mainMethods.keychainWrap]: (args) => ports.keychain.wrap(toBytes(args, mainMethods.keychainWrap)),
    [mainMethods.keychainUnwrap]: (args) => ports.keychain.unwrap(toBytes(args, mainMethods.keychainUnwrap)),
    [mainMethods.settingsGet]: (args) => ports.settings.get(parse(keyArgs, args, mainMethods.settingsGet).key),
    [mainMethods.settingsSet]: (args) => {
      const { key, value } = parse(setArgs, args, mainMethods.settingsSet);
      return ports.settings.set(key, value);
    },
    [mainMethods.settingsDelete]: (args) => ports.settings.delete(parse(keyArgs, args, mainMethods.settingsDelete).key),
    [mainMethods.settingsAll]: () => ports.settings.all(),
    [mainMethods.chooseFolder]: (args) => ports.dialogs.chooseFolder(parse(folderArgs, args, mainMethods.chooseFolder)),
    [mainMethods.chooseSaveFile]: (args) => ports.dialogs.chooseSaveFile(parse(saveArgs, args, mainMethods.chooseSaveFile)),
    [mainMethods.chooseOpenFile]: (args) => ports.dialogs.chooseOpenFile(parse(openFileArgs, args, mainMethods.chooseOpenFile)),
    [mainMethods.printHtmlFile]: (args) => ports.print.printHtmlFile(parse(printArgs, args, mainMethods.printHtmlFile)),
    [mainMethods.desktopState]: () => ports.desktop.state(),
    [mainMethods.desktopSetLaunchAtLogin]: (args) => ports.desktop.setLaunchAtLogin(parse(enabledArgs, args, mainMethods.desktopSetLaunchAtLogin).enabled),
    [mainMethods.desktopCheckForUpdates]: () => ports.desktop.checkForUpdates(),
    [mainMethods.desktopRestartToUpdate]: () => ports.desktop.restartToUpdate(),
    [mainMethods.desktopSetPrivacyMode]: (args) => ports.desktop.setPrivacyMode(parse(enabledArgs, args, mainMethods.desktopSetPrivacyMode).enabled),
  };
}

export interface CoreProcessOptions {
  launch: LaunchCore;
  ports: MainSidePorts;
  /** A core event (name and payload still to be checked against the contract). */
  onEvent(name: unknown, payload: unknown): void;
  log(source: 'core' | 'main', entry: LogEntry): void;
  /** Core kept crashing and will not be restarted again. */
  onGiveUp(): void;
  now?: () => number;
  maxCrashes?: number;
  crashWindowMs?: number;
  /** How long `stop` waits for core to close cleanly before killing it. */
  stopTimeoutMs?: number;
}

export interface CoreProcess {
  invoke(channel: ChannelName, payload: unknown): Promise<Result<unknown>>;
  /** Closes core cleanly (or kills it after a timeout); an exit after this is not a crash. */
  stop(): Promise<void>;
  /** Tells core the OS locked the screen (it locks every open workspace). */
  notifyScreenLocked(): void;
  /** A stored media file, decrypted by core (app-media://); rejects with core's error code. */
  readMedia(mediaId: number): Promise<{ mime: string; bytes: Uint8Array; fileName: string }>;
  /** Whether a message is on its way to Meta right now (false when core is not running). */
  isSending(): Promise<boolean>;
  /** Launches so far, restarts included. */
  readonly launches: number;
}

export function startCoreProcess(options: CoreProcessOptions): CoreProcess {
  const now = options.now ?? Date.now;
  const maxCrashes = options.maxCrashes ?? 3;
  const crashWindowMs = options.crashWindowMs ?? 60_000;
  const handlers = createMainMethodHandlers(options.ports);
  let crashes: number[] = [];
  let current: { child: CoreChild; port: CorePort; peer: RpcPeer } | null = null;
  let stopping = false;
  let gaveUp = false;
  let launches = 0;

  const onNotification = (topic: string, payload: unknown) => {
    if (topic === notifications.event) {
      const { name, payload: eventPayload } = (payload ?? {}) as { name?: unknown; payload?: unknown };
      options.onEvent(name, eventPayload);
    } else if (topic === notifications.log) {
      const entry = parseLogEntry(payload);
      if (entry) options.log('core', entry);
    }
  };

  const launch = () => {
    launches += 1;
    const { child, port } = options.launch();
    const peer = createRpcPeer(
      {
        post: (message) => port.postMessage(message),
        listen(handler) {
          const listener = (event: { data: unknown }) => handler(event.data);
          port.on('message', listener);
          return () => void port.off('message', listener);
        },
      },
      handlers,
      onNotification,
    );
    const instance = { child, port, peer };
    current = instance;
    child.on('exit', (code) => onExit(instance, code));
    port.start();
  };

  const onExit = (instance: NonNullable<typeof current>, code: number) => {
    instance.peer.close('Frontdesk core exited');
    instance.port.close();
    if (stopping || current !== instance) return;
    current = null;
    const at = now();
    crashes = [...crashes.filter((t) => at - t < crashWindowMs), at];
    const giveUp = crashes.length >= maxCrashes;
    options.log('main', {
      level: 'error',
      message: giveUp ? 'Core exited unexpectedly too often; not restarting' : 'Core exited unexpectedly; restarting',
      fields: { code, crashesInWindow: crashes.length },
    });
    if (giveUp) {
      gaveUp = true;
      options.onGiveUp();
    } else {
      launch();
    }
  };

  launch();

  return {
    get launches() {
      return launches;
    },
    notifyScreenLocked() {
      current?.peer.notify(notifications.screenLocked, null);
    },
    async readMedia(mediaId) {
      const running = current;
      if (!running || gaveUp) throw new RpcError('transport_unavailable', 'Frontdesk core is not running');
      return running.peer.call(coreMethods.readMedia, { mediaId });
    },
    async isSending() {
      const running = current;
      if (!running || gaveUp) return false;
      return running.peer.call<boolean>(coreMethods.sending).catch(() => false);
    },
    async invoke(channel, payload) {
      const running = current;
      if (!running || gaveUp) return fail('transport_unavailable', 'Frontdesk core is not running');
      try {
        return await running.peer.call<Result<unknown>>(coreMethods.invoke, { channel, payload });
      } catch {
        return fail('transport_unavailable', 'Frontdesk core stopped before it answered');
      }
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      const running = current;
      current = null;
      if (!running) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, options.stopTimeoutMs ?? 3000);
      });
      try {
        await Promise.race([running.peer.call(coreMethods.close).catch(() => undefined), timeout]);
      } finally {
        clearTimeout(timer);
        running.peer.close('Frontdesk is quitting');
        running.port.close();
        running.child.kill();
      }
    },
  };
}
