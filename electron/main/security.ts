/**
 * Electron's security checklist as code: the window's webPreferences, the guards every webContents gets,
 * the session's permission and network rules, and the one gate to `shell.openExternal`.
 */
import type { Session, Shell, WebContents, WebPreferences } from 'electron';
import { isOnOrigin } from './app-origin';

/** Preferences for every Frontdesk window; each flag is the safe choice even where it is already the default. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
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
    // Spell-check dictionaries are downloaded from a Google CDN; no remote fetches at all.
    spellcheck: false,
  };
}

const externalProtocols = new Set(['https:', 'mailto:', 'tel:']);
/** Longer than any link staff would click; refuses pathological inputs before they reach the OS. */
const maxExternalUrlLength = 8192;

/**
 * The ONE way Frontdesk opens anything outside itself. Only https, mailto and tel, after parsing with
 * `new URL` — never file:, javascript:, plain http:, smb: or custom schemes, which the OS would hand to
 * whatever program claims them. Resolves to whether the URL was handed to the OS.
 */
export async function openExternalSafely(url: unknown, shell: Pick<Shell, 'openExternal'>): Promise<boolean> {
  const parsed = parseExternalUrl(url);
  if (!parsed) return false;
  try {
    // The normalised href, not the raw input: what was checked is what opens.
    await shell.openExternal(parsed.href);
    return true;
  } catch {
    return false;
  }
}

/** The URL `openExternalSafely` would open, or null when it refuses. */
export function parseExternalUrl(url: unknown): URL | null {
  if (typeof url !== 'string' || url.length === 0 || url.length > maxExternalUrlLength) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!externalProtocols.has(parsed.protocol)) return null;
  if (parsed.protocol === 'https:' && parsed.hostname === '') return null;
  return parsed;
}

type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * Guards one webContents: navigation and redirects stay on the app's origin, new windows are always denied
 * (links go to the openExternal gate instead), and `<webview>` can never attach.
 */
export function hardenWebContents(contents: HardenableContents, appOrigin: string, shell: Pick<Shell, 'openExternal'>): void {
  const keepOnOrigin = (event: { preventDefault(): void; url?: string }, legacyUrl?: string) => {
    const url = event.url ?? legacyUrl;
    if (!isOnOrigin(url, appOrigin)) event.preventDefault();
  };
  contents.on('will-navigate', (event, url) => keepOnOrigin(event, url));
  contents.on('will-redirect', (event, url) => keepOnOrigin(event, url));
  // Covers subframes too, which 'will-navigate' does not.
  contents.on('will-frame-navigate', (event) => keepOnOrigin(event));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    void openExternalSafely(url, shell);
    return { action: 'deny' };
  });
}

/** Schemes pages may never fetch: the renderer has no business with the network or the local disk. */
export const blockedRequestUrls = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file://*/*'];

type HardenableSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'> & {
  webRequest: Pick<Session['webRequest'], 'onBeforeRequest'>;
};

/** The one permission the app's own page gets: desktop notifications for new messages (PRODUCT §2). */
function allowedPermission(permission: string, requestingUrl: string | undefined, appOrigin: string | undefined): boolean {
  return permission === 'notifications' && appOrigin !== undefined && isOnOrigin(requestingUrl, appOrigin);
}

/**
 * Denies every permission (camera, microphone, geolocation, HID, serial, USB...) but notifications for the
 * app's own origin, and every http(s)/ws/file request from pages. Core talks to Meta from its own process,
 * which does not use this session.
 */
export function hardenSession(session: HardenableSession, appOrigin?: string): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(allowedPermission(permission, details?.requestingUrl, appOrigin)));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => allowedPermission(permission, requestingOrigin, appOrigin));
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest({ urls: blockedRequestUrls }, (_details, callback) => callback({ cancel: true }));
}
