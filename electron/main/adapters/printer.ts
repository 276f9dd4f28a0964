/**
 * The print port (core/ports.ts) over Electron: the HTML file core wrote is loaded in a hidden window of its
 * own — sandboxed, JavaScript off, no preload, in a private in-memory session that loads nothing but that one
 * file (and the data: URLs inside it; the file's own Content-Security-Policy says the same) — and
 * `webContents.print()` opens the system print dialog, where "Save as PDF" is one of the printers.
 */
import { pathToFileURL } from 'node:url';
import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import type { PrintPort } from '../../core/ports';

/** The session's name: not `persist:`, so nothing it loads is kept on disk. */
export const printPartition = 'frontdesk-print';

export type PrintSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'> & {
  webRequest: Pick<Session['webRequest'], 'onBeforeRequest'>;
};

export interface PrintWindow {
  readonly webContents: Pick<WebContents, 'print'>;
  loadURL(url: string): Promise<void>;
  isDestroyed(): boolean;
  destroy(): void;
}

export interface ElectronPrinterDeps {
  /** `session.fromPartition(printPartition)`; asked for at the first print (after app 'ready'). */
  session: () => PrintSession & Session;
  createWindow: (options: BrowserWindowConstructorOptions) => PrintWindow;
}

/** A window that shows a document and runs nothing: every flag is the safe choice, scripts off. */
export function printWindowOptions(session: Session): BrowserWindowConstructorOptions {
  return {
    show: false,
    width: 900,
    height: 1200,
    title: 'Frontdesk',
    webPreferences: {
      session,
      javascript: false,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      images: true,
    },
  };
}

/** Denies every permission and every request but the files being printed (and data: URLs). */
export function hardenPrintSession(session: PrintSession, allowed: ReadonlySet<string>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) => {
    callback({ cancel: !(allowed.has(details.url) || details.url.startsWith('data:')) });
  });
}

export function createElectronPrinter(deps: ElectronPrinterDeps): PrintPort {
  const allowed = new Set<string>();
  let session: (PrintSession & Session) | null = null;
  const printSession = () => {
    if (!session) {
      session = deps.session();
      hardenPrintSession(session, allowed);
    }
    return session;
  };

  return {
    async printHtmlFile({ path }) {
      const url = pathToFileURL(path).href;
      allowed.add(url);
      const window = deps.createWindow(printWindowOptions(printSession()));
      try {
        await window.loadURL(url);
        const printed = await new Promise<boolean>((resolve) => {
          window.webContents.print({ silent: false, printBackground: true }, (success) => resolve(success));
        });
        return { printed };
      } finally {
        allowed.delete(url);
        if (!window.isDestroyed()) window.destroy();
      }
    },
  };
}
