import { describe, expect, it, vi } from 'vitest';
import { appOrigin } from '../../electron/main/app-origin';
import { blockedRequestUrls, hardenSession, hardenWebContents, openExternalSafely, secureWebPreferences } from '../../electron/main/security';

function fakeShell(outcome: 'opens' | 'fails' = 'opens') {
  return { openExternal: vi.fn(async (_url: string) => (outcome === 'fails' ? Promise.reject(new Error('no handler')) : undefined)) };
}

describe('openExternalSafely', () => {
  it.each([
    ['https://example.com/help', 'https://example.com/help'],
    ['mailto:desk@example.com', 'mailto:desk@example.com'],
    ['tel:+15551234567', 'tel:+15551234567'],
    ['HTTPS://EXAMPLE.COM', 'https://example.com/'],
    ['https://user@evil.example/', 'https://user@evil.example/'],
    ['  https://example.com/padded  ', 'https://example.com/padded'],
  ])('opens %j as %j', async (input, opened) => {
    const shell = fakeShell();
    await expect(openExternalSafely(input, shell)).resolves.toBe(true);
    expect(shell.openExternal).toHaveBeenCalledExactlyOnceWith(opened);
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'java\tscript:alert(1)',
    ' javascript:alert(1)',
    'file:///etc/passwd',
    'FILE:///C:/Windows/System32/calc.exe',
    'http://example.com',
    'smb://fileserver/share',
    'ms-msdt:/id PCWDiagnostic',
    'frontdesk://open',
    'vscode://file/etc/passwd',
    'data:text/html,<script>alert(1)</script>',
    'app://frontdesk/index.html',
    'https:',
    'https://exa mple.com',
    '//example.com/no-scheme',
    'not a url',
    '',
    '   ',
    `https://example.com/${'a'.repeat(9000)}`,
  ])('refuses %j', async (input) => {
    const shell = fakeShell();
    await expect(openExternalSafely(input, shell)).resolves.toBe(false);
    expect(shell.openExternal).not.toHaveBeenCalled();
  });

  it.each([undefined, null, 42, true, { href: 'https://example.com' }, ['https://example.com'], new URL('https://example.com')])(
    'refuses the non-string %j',
    async (input) => {
      const shell = fakeShell();
      await expect(openExternalSafely(input, shell)).resolves.toBe(false);
      expect(shell.openExternal).not.toHaveBeenCalled();
    },
  );

  it('reports false when the OS could not open an allowed URL', async () => {
    await expect(openExternalSafely('https://example.com', fakeShell('fails'))).resolves.toBe(false);
  });
});

type Listener = (...args: unknown[]) => unknown;

function fakeContents() {
  const listeners = new Map<string, Listener[]>();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  const contents = {
    on: vi.fn((name: string, listener: Listener) => {
      listeners.set(name, [...(listeners.get(name) ?? []), listener]);
      return contents;
    }),
    setWindowOpenHandler: vi.fn((handler: typeof openHandler) => {
      openHandler = handler;
    }),
  };
  /** Fires an event the way Electron does (Event object carrying the URL, plus the deprecated positional url); true when prevented. */
  const fire = (name: string, url: string): boolean => {
    const event = { url, preventDefault: vi.fn() };
    for (const listener of listeners.get(name) ?? []) listener(event, url, false, true, 1, 1);
    return event.preventDefault.mock.calls.length > 0;
  };
  return { contents, fire, openWindow: (url: string) => openHandler!({ url }) };
}

function hardened() {
  const fake = fakeContents();
  const shell = fakeShell();
  hardenWebContents(fake.contents as never, appOrigin, shell);
  return { ...fake, shell };
}

describe('hardenWebContents', () => {
  const foreign = [
    'https://evil.example/',
    'http://frontdesk/',
    'file:///etc/passwd',
    'app://evil/index.html',
    'app://frontdesk@evil/index.html',
    'app://frontdesk.evil.example/index.html',
    'javascript:alert(1)',
    'about:blank',
    'not a url',
  ];

  it.each(['will-navigate', 'will-redirect', 'will-frame-navigate'])('%s stops every foreign URL', (name) => {
    const { fire } = hardened();
    for (const url of foreign) expect(fire(name, url), url).toBe(true);
  });

  it.each(['will-navigate', 'will-redirect', 'will-frame-navigate'])('%s lets the app move within app://frontdesk', (name) => {
    const { fire } = hardened();
    expect(fire(name, 'app://frontdesk/index.html')).toBe(false);
    expect(fire(name, 'app://frontdesk/index.html#/inbox/42')).toBe(false);
  });

  it('never lets a <webview> attach', () => {
    const { fire } = hardened();
    expect(fire('will-attach-webview', 'https://example.com')).toBe(true);
  });

  it('denies every new window and hands https links to the system browser instead', async () => {
    const { openWindow, shell } = hardened();
    expect(openWindow('https://example.com/docs')).toEqual({ action: 'deny' });
    expect(openWindow('mailto:desk@example.com')).toEqual({ action: 'deny' });
    await vi.waitFor(() => expect(shell.openExternal).toHaveBeenCalledTimes(2));
    expect(shell.openExternal).toHaveBeenCalledWith('https://example.com/docs');
  });

  it('denies new windows for anything else without opening it', async () => {
    const { openWindow, shell } = hardened();
    for (const url of ['app://frontdesk/index.html', 'http://example.com', 'file:///etc/passwd', 'javascript:alert(1)', 'about:blank']) {
      expect(openWindow(url)).toEqual({ action: 'deny' });
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(shell.openExternal).not.toHaveBeenCalled();
  });
});

describe('hardenSession', () => {
  function hardenedSession() {
    const session = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
      webRequest: { onBeforeRequest: vi.fn() },
    };
    hardenSession(session as never);
    return session;
  }

  it.each(['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'hid', 'unknown'])('denies a request for %s', (permission) => {
    const session = hardenedSession();
    const handler = session.setPermissionRequestHandler.mock.calls[0]![0] as (c: unknown, p: string, cb: (granted: boolean) => void) => void;
    const callback = vi.fn();
    handler({}, permission, callback);
    expect(callback).toHaveBeenCalledExactlyOnceWith(false);
  });

  it('lets only the app’s own page show notifications, and nothing else', () => {
    const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn(), setDevicePermissionHandler: vi.fn(), webRequest: { onBeforeRequest: vi.fn() } };
    hardenSession(session as never, 'app://frontdesk');
    const request = session.setPermissionRequestHandler.mock.calls[0]![0] as (c: unknown, p: string, cb: (granted: boolean) => void, d: { requestingUrl: string }) => void;
    const check = session.setPermissionCheckHandler.mock.calls[0]![0] as (c: unknown, p: string, origin: string) => boolean;
    const answers: boolean[] = [];
    request({}, 'notifications', (granted) => answers.push(granted), { requestingUrl: 'app://frontdesk/index.html' });
    request({}, 'notifications', (granted) => answers.push(granted), { requestingUrl: 'https://evil.example/' });
    request({}, 'media', (granted) => answers.push(granted), { requestingUrl: 'app://frontdesk/index.html' });
    expect(answers).toEqual([true, false, false]);
    expect(check({}, 'notifications', 'app://frontdesk')).toBe(true);
    expect(check({}, 'notifications', 'app://other')).toBe(false);
    expect(check({}, 'geolocation', 'app://frontdesk')).toBe(false);
  });

  it('answers every permission check and device request with no', () => {
    const session = hardenedSession();
    const check = session.setPermissionCheckHandler.mock.calls[0]![0] as (...args: unknown[]) => boolean;
    expect(check(null, 'media', 'app://frontdesk', {})).toBe(false);
    expect(check(null, 'notifications', 'app://frontdesk', {})).toBe(false);
    const device = session.setDevicePermissionHandler.mock.calls[0]![0] as (...args: unknown[]) => boolean;
    expect(device({ deviceType: 'usb', origin: 'app://frontdesk' })).toBe(false);
  });

  it('cancels page requests to the network and to local files', () => {
    const session = hardenedSession();
    const [filter, listener] = session.webRequest.onBeforeRequest.mock.calls[0]! as [{ urls: string[] }, (d: unknown, cb: (r: unknown) => void) => void];
    expect(filter.urls).toEqual(expect.arrayContaining(['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file://*/*']));
    expect(filter.urls).toEqual(blockedRequestUrls);
    const callback = vi.fn();
    listener({ url: 'https://tracker.example/pixel.gif' }, callback);
    expect(callback).toHaveBeenCalledWith({ cancel: true });
  });
});

describe('secureWebPreferences', () => {
  it('turns on every item of the security checklist and sets the preload', () => {
    expect(secureWebPreferences('/app/dist-electron/preload.cjs')).toMatchObject({
      preload: '/app/dist-electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
    });
  });
});
