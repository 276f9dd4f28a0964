import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { createElectronPrinter, printWindowOptions } from '../../../electron/main/adapters/printer';
import type { PrintWindow } from '../../../electron/main/adapters/printer';

type RequestFilter = (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void;

function fakeSession() {
  let filter: RequestFilter | null = null;
  const session = {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
    webRequest: {
      onBeforeRequest: vi.fn((_filter: unknown, listener: RequestFilter) => {
        filter = listener;
      }),
    },
  };
  const decide = (url: string) =>
    new Promise<boolean>((resolve) => {
      filter!({ url }, ({ cancel }) => resolve(!cancel));
    });
  return { session, decide };
}

function fakeWindow(outcome: { success: boolean }, seen: { allowedDuringLoad?: boolean }, decide: (url: string) => Promise<boolean>) {
  const window = {
    destroyed: false,
    loadURL: vi.fn(async (url: string) => {
      seen.allowedDuringLoad = await decide(url);
    }),
    webContents: {
      print: vi.fn((_options: unknown, callback?: (success: boolean, reason: string) => void) => callback?.(outcome.success, outcome.success ? '' : 'cancelled')),
    },
    isDestroyed() {
      return this.destroyed;
    },
    destroy() {
      this.destroyed = true;
    },
  };
  return window;
}

describe('the print port over Electron', () => {
  it('loads the file in a hidden window with scripts off and a locked-down session, prints, and closes it', async () => {
    const { session, decide } = fakeSession();
    const seen: { allowedDuringLoad?: boolean } = {};
    const windows: Array<ReturnType<typeof fakeWindow>> = [];
    const options: unknown[] = [];
    const printer = createElectronPrinter({
      session: () => session as never,
      createWindow: (o) => {
        options.push(o);
        const window = fakeWindow({ success: true }, seen, decide);
        windows.push(window);
        return window as unknown as PrintWindow;
      },
    });
    const path = '/tmp/frontdesk-print-abc/transcript.html';
    await expect(printer.printHtmlFile({ path, title: 'Transcript - Mei' })).resolves.toEqual({ printed: true });

    const window = windows[0]!;
    expect(window.loadURL).toHaveBeenCalledWith(pathToFileURL(path).href);
    expect(seen.allowedDuringLoad, 'the file itself may load').toBe(true);
    expect(window.webContents.print).toHaveBeenCalledWith(expect.objectContaining({ silent: false }), expect.any(Function));
    expect(window.destroyed).toBe(true);
    expect(options[0]).toMatchObject({ show: false, webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true } });
    expect((options[0] as { webPreferences: Record<string, unknown> }).webPreferences).not.toHaveProperty('preload');

    // Nothing else loads in that session, before, during or after: no network, no other file.
    expect(await decide('https://example.com/pixel.png')).toBe(false);
    expect(await decide('file:///etc/passwd')).toBe(false);
    expect(await decide(pathToFileURL(path).href)).toBe(false);
    expect(await decide('data:image/png;base64,AAAA')).toBe(true);
    // Every permission is refused.
    const permission = session.setPermissionRequestHandler.mock.calls[0]![0] as (c: unknown, p: string, cb: (allowed: boolean) => void) => void;
    const answer = vi.fn();
    permission(null, 'media', answer);
    expect(answer).toHaveBeenCalledWith(false);
  });

  it('answers printed: false when the dialog is cancelled, and still closes the window', async () => {
    const { session, decide } = fakeSession();
    const windows: Array<ReturnType<typeof fakeWindow>> = [];
    const printer = createElectronPrinter({
      session: () => session as never,
      createWindow: () => {
        const window = fakeWindow({ success: false }, {}, decide);
        windows.push(window);
        return window as unknown as PrintWindow;
      },
    });
    await expect(printer.printHtmlFile({ path: '/tmp/x/transcript.html', title: 't' })).resolves.toEqual({ printed: false });
    expect(windows[0]!.destroyed).toBe(true);
    // The session is hardened once, not per print.
    await printer.printHtmlFile({ path: '/tmp/y/transcript.html', title: 't' });
    expect(session.webRequest.onBeforeRequest).toHaveBeenCalledTimes(1);
  });

  it('has no preload and keeps every safe default in its options', () => {
    const prefs = printWindowOptions({} as never).webPreferences!;
    expect(prefs).toMatchObject({ nodeIntegrationInSubFrames: false, webviewTag: false, allowRunningInsecureContent: false });
    expect(prefs.preload).toBeUndefined();
  });
});
