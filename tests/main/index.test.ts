// Main's entry with every Electron API replaced: checks the wiring order and what reaches Electron.
import type { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { channelNames } from '../../shared/ipc';

const fake = vi.hoisted(() => {
  const state = {
    calls: [] as string[],
    gotLock: true,
    ready: null as null | (() => void),
    windows: [] as Array<{ options: Record<string, unknown>; loadURL: ReturnType<typeof vi.fn> }>,
    handlers: new Map<string, unknown>(),
    forks: [] as Array<{ path: string; options: unknown }>,
  };
  return state;
});

vi.mock('electron-store', () => ({
  default: class {
    store = new Map<string, unknown>();
    get = (key: string) => this.store.get(key);
    set = (key: string, value: unknown) => void this.store.set(key, value);
    delete = (key: string) => void this.store.delete(key);
  },
}));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const app = Object.assign(new Emitter(), {
    requestSingleInstanceLock: () => (fake.calls.push('requestSingleInstanceLock'), fake.gotLock),
    quit: () => void fake.calls.push('quit'),
    enableSandbox: () => void fake.calls.push('enableSandbox'),
    whenReady: () => new Promise<void>((resolve) => (fake.ready = resolve)),
    getPath: (name: string) => `/tmp/frontdesk-index-test/${name}`,
    getVersion: () => '1.2.3',
  });
  class BrowserWindow extends Emitter {
    webContents = { id: 1 };
    loadURL = vi.fn(async () => undefined);
    show = vi.fn();
    constructor(readonly options: Record<string, unknown>) {
      super();
      fake.windows.push(this);
    }
    isDestroyed = () => false;
  }
  class MessageChannelMain {
    port1 = Object.assign(new Emitter(), { postMessage: vi.fn(), start: vi.fn(), close: vi.fn() });
    port2 = Object.assign(new Emitter(), { postMessage: vi.fn(), start: vi.fn(), close: vi.fn() });
  }
  return {
    app,
    BrowserWindow,
    MessageChannelMain,
    dialog: { showErrorBox: vi.fn(), showOpenDialog: vi.fn(), showSaveDialog: vi.fn() },
    ipcMain: { handle: (channel: string, handler: unknown) => void fake.handlers.set(channel, handler), removeHandler: vi.fn() },
    nativeTheme: { shouldUseDarkColors: false },
    powerMonitor: new Emitter(),
    protocol: {
      registerSchemesAsPrivileged: () => void fake.calls.push('registerSchemesAsPrivileged'),
      handle: (scheme: string) => void fake.calls.push(`protocol.handle:${scheme}`),
    },
    safeStorage: { isEncryptionAvailable: () => false, getSelectedStorageBackend: () => 'basic_text', encryptString: vi.fn(), decryptString: vi.fn() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => void fake.calls.push('setPermissionRequestHandler'),
        setPermissionCheckHandler: () => void fake.calls.push('setPermissionCheckHandler'),
        setDevicePermissionHandler: vi.fn(),
        webRequest: { onBeforeRequest: vi.fn() },
      },
    },
    shell: { openExternal: vi.fn() },
    utilityProcess: {
      fork: (path: string, _args: string[], options: unknown) => {
        fake.forks.push({ path, options });
        return Object.assign(new Emitter(), { postMessage: vi.fn(), kill: vi.fn(() => true) });
      },
    },
  };
});

async function loadMain() {
  vi.resetModules();
  const electron = await import('electron');
  // The mocked module outlives resetModules: start each test with an app nobody listens to yet.
  (electron.app as unknown as EventEmitter).removeAllListeners();
  await import('../../electron/main/index');
  return electron as unknown as { app: EventEmitter };
}

beforeEach(() => {
  fake.calls.length = 0;
  fake.windows.length = 0;
  fake.handlers.clear();
  fake.forks.length = 0;
  fake.gotLock = true;
  fake.ready = null;
});

describe('main/index', () => {
  it('quits at once, touching nothing, when another Frontdesk is running', async () => {
    fake.gotLock = false;
    await loadMain();
    expect(fake.calls).toEqual(['requestSingleInstanceLock', 'quit']);
  });

  it('registers the app scheme and the sandbox before ready, then hardens and opens the window', async () => {
    const { app } = await loadMain();
    expect(fake.calls).toEqual(['requestSingleInstanceLock', 'registerSchemesAsPrivileged', 'enableSandbox']);
    expect(app.listenerCount('web-contents-created')).toBe(1);
    expect(fake.windows).toHaveLength(0);

    fake.ready!();
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
    expect(fake.calls).toEqual(expect.arrayContaining(['setPermissionRequestHandler', 'setPermissionCheckHandler', 'protocol.handle:app']));
    expect(fake.forks).toEqual([{ path: expect.stringMatching(/core\.js$/), options: { serviceName: 'Frontdesk core' } }]);
    expect([...fake.handlers.keys()].sort()).toEqual([...channelNames].sort());
    const [window] = fake.windows;
    expect(window!.loadURL).toHaveBeenCalledWith('app://frontdesk/index.html');
    expect(window!.options).toMatchObject({
      width: 1280,
      height: 800,
      minWidth: 960,
      minHeight: 600,
      show: false,
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, preload: expect.stringMatching(/preload\.cjs$/) },
    });
  });

  it('hardens every webContents that is created', async () => {
    const { app } = await loadMain();
    const contents = { on: vi.fn(), setWindowOpenHandler: vi.fn() };
    app.emit('web-contents-created', {}, contents);
    expect(contents.setWindowOpenHandler).toHaveBeenCalledOnce();
    expect(contents.on).toHaveBeenCalledWith('will-navigate', expect.any(Function));
    expect(contents.on).toHaveBeenCalledWith('will-attach-webview', expect.any(Function));
  });
});
