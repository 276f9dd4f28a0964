// Main's entry with every Electron API replaced: checks the wiring order and what reaches Electron.
import type { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { channelNames } from '../../shared/ipc';

const fake = vi.hoisted(() => {
  const state = {
    calls: [] as string[],
    gotLock: true,
    ready: null as null | (() => void),
    windows: [] as Array<FakeWindow>,
    handlers: new Map<string, unknown>(),
    forks: [] as Array<{ path: string; options: unknown; child: { postMessage: ReturnType<typeof vi.fn> } }>,
    ports: [] as Array<{ postMessage: ReturnType<typeof vi.fn> }>,
    trays: [] as Array<{ image: { name: string }; menu: Array<Record<string, unknown>>; tooltip: string; emit(event: string): boolean }>,
    messageBoxes: [] as unknown[],
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

interface FakeWindow extends EventEmitter {
  options: Record<string, unknown>;
  loadURL: ReturnType<typeof vi.fn>;
  show: ReturnType<typeof vi.fn>;
  hide: ReturnType<typeof vi.fn>;
  focus: ReturnType<typeof vi.fn>;
  restore: ReturnType<typeof vi.fn>;
  minimized: boolean;
}

vi.mock('electron-updater', () => ({ default: { autoUpdater: { on: vi.fn(), checkForUpdates: vi.fn() } } }));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const app = Object.assign(new Emitter(), {
    requestSingleInstanceLock: () => (fake.calls.push('requestSingleInstanceLock'), fake.gotLock),
    quit: () => void fake.calls.push('quit'),
    enableSandbox: () => void fake.calls.push('enableSandbox'),
    whenReady: () => new Promise<void>((resolve) => (fake.ready = resolve)),
    getPath: (name: string) => `/tmp/frontdesk-index-test/${name}`,
    getVersion: () => '1.2.3',
    getLocale: () => 'en-US',
    isPackaged: false,
    setBadgeCount: vi.fn(() => true),
    getLoginItemSettings: () => ({ openAtLogin: false, wasOpenedAtLogin: false }),
    setLoginItemSettings: vi.fn(),
  });
  class BrowserWindow extends Emitter {
    webContents = { id: 1, isDestroyed: () => false, getURL: () => 'app://frontdesk/index.html', send: vi.fn() };
    loadURL = vi.fn(async () => undefined);
    show = vi.fn();
    hide = vi.fn();
    focus = vi.fn();
    restore = vi.fn();
    minimized = false;
    isMinimized = () => this.minimized;
    setOverlayIcon = vi.fn();
    constructor(readonly options: Record<string, unknown>) {
      super();
      fake.windows.push(this as unknown as FakeWindow);
    }
    isDestroyed = () => false;
  }
  class Tray extends Emitter {
    menu: Array<Record<string, unknown>> = [];
    tooltip = '';
    constructor(public image: { name: string }) {
      super();
      fake.trays.push(this);
    }
    setImage = (image: { name: string }) => void (this.image = image);
    setToolTip = (text: string) => void (this.tooltip = text);
    setTitle = vi.fn();
    setContextMenu = (menu: Array<Record<string, unknown>>) => void (this.menu = menu);
    destroy = vi.fn();
  }
  class Notification {
    static isSupported = () => true;
    show = vi.fn();
  }
  class MessageChannelMain {
    port1 = Object.assign(new Emitter(), { postMessage: vi.fn(), start: vi.fn(), close: vi.fn() });
    port2 = Object.assign(new Emitter(), { postMessage: vi.fn(), start: vi.fn(), close: vi.fn() });
    constructor() {
      fake.ports.push(this.port1);
    }
  }
  return {
    app,
    BrowserWindow,
    MessageChannelMain,
    Tray,
    Notification,
    Menu: { buildFromTemplate: (template: unknown) => template },
    nativeImage: { createFromPath: (path: string) => ({ name: path.split('/').pop()!.replace('.png', ''), setTemplateImage: vi.fn() }) },
    dialog: {
      showErrorBox: vi.fn(),
      showOpenDialog: vi.fn(),
      showSaveDialog: vi.fn(),
      showMessageBox: vi.fn(async (options: unknown) => (fake.messageBoxes.push(options), { response: 0 })),
    },
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
        const child = Object.assign(new Emitter(), { postMessage: vi.fn(), kill: vi.fn(() => true) });
        fake.forks.push({ path, options, child });
        return child;
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
  fake.ports.length = 0;
  fake.trays.length = 0;
  fake.messageBoxes.length = 0;
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
    expect(fake.forks).toEqual([{ path: expect.stringMatching(/core\.js$/), options: { serviceName: 'Frontdesk core' }, child: expect.anything() }]);
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

  describe('on the desktop', () => {
    async function started() {
      const electron = (await loadMain()) as unknown as { app: EventEmitter & { setBadgeCount: ReturnType<typeof vi.fn> }; powerMonitor: EventEmitter };
      fake.ready!();
      await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
      const port = fake.ports[0] as unknown as EventEmitter & { postMessage: ReturnType<typeof vi.fn> };
      const coreEvent = (name: string, payload: unknown) => port.emit('message', { data: { t: 'note', topic: 'event', payload: { name, payload } } });
      const sentToCore = () => port.postMessage.mock.calls.map(([message]) => message as Record<string, unknown>);
      return { ...electron, window: fake.windows[0]!, tray: fake.trays[0]!, coreEvent, sentToCore };
    }
    const close = (window: FakeWindow) => {
      const event = { preventDefault: vi.fn() };
      window.emit('close', event);
      return event;
    };

    it('closing the window hides it in the tray, with a note the first time only; quitting closes for real', async () => {
      const { app, window } = await started();
      expect(close(window).preventDefault).toHaveBeenCalled();
      expect(close(window).preventDefault).toHaveBeenCalled();
      expect(window.hide).toHaveBeenCalledTimes(2);
      expect(fake.messageBoxes).toEqual([expect.objectContaining({ message: 'Frontdesk is still running' })]);

      app.emit('before-quit', { preventDefault: vi.fn() });
      expect(close(window).preventDefault).not.toHaveBeenCalled();
    });

    it('a second launch brings the first window forward, from the tray or minimised', async () => {
      const { app, window } = await started();
      close(window);
      window.minimized = true;
      app.emit('second-instance');
      expect(window.restore).toHaveBeenCalledOnce();
      expect(window.show).toHaveBeenCalled();
      expect(window.focus).toHaveBeenCalledOnce();
      expect(fake.windows).toHaveLength(1);
    });

    it('locks Frontdesk when the computer locks or sleeps', async () => {
      const { powerMonitor, sentToCore } = await started();
      powerMonitor.emit('lock-screen');
      powerMonitor.emit('suspend');
      expect(sentToCore().filter((m) => m.t === 'note' && m.topic === 'system.screen-locked')).toHaveLength(2);
    });

    it('shows the unread count on the tray icon and the badge; the tray menu opens, locks and quits', async () => {
      const { app, tray, window, coreEvent, sentToCore } = await started();
      expect(tray.image.name).toBe(process.platform === 'darwin' ? 'tray-template' : 'tray');
      coreEvent('inbox:unread', { unreadMessages: 4, unreadConversations: 2 });
      if (process.platform === 'linux') {
        expect(tray.image.name).toBe('tray-4');
        expect(app.setBadgeCount).toHaveBeenLastCalledWith(4);
      }
      expect(tray.tooltip).toBe('Frontdesk — 4 unread');

      const item = (id: string) => tray.menu.find((entry) => entry.id === id) as { enabled?: boolean; click(): void };
      expect(item('lock').enabled).toBe(false);
      coreEvent('workspace:state', { open: { id: 'w1', name: 'Demo', kind: 'demo', keychainUnlock: true }, locked: false, autoLockMinutes: 10 });
      expect(item('lock').enabled).toBe(true);
      item('lock').click();
      expect(sentToCore()).toContainEqual(expect.objectContaining({ t: 'req', method: 'invoke', args: { channel: 'vault:lock', payload: undefined } }));

      close(window);
      item('open').click();
      expect(window.show).toHaveBeenCalled();

      item('quit').click();
      expect(fake.calls).toContain('quit');
    });
  });
});
