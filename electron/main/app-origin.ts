/**
 * The app's own origin. Pages load from `app://frontdesk/index.html` (never file://), and every trust decision
 * in main (navigation, IPC senders, event delivery) compares a URL against it.
 */
export const appScheme = 'app';
export const appHost = 'frontdesk';
export const appOrigin = `${appScheme}://${appHost}`;
export const appEntryUrl = `${appOrigin}/index.html`;

/**
 * True when `url` is on `origin`. Node's URL gives the opaque origin "null" for schemes it does not know
 * (`app:`), so scheme and host are compared instead of `.origin`; credentials are never part of our URLs.
 */
export function isOnOrigin(url: unknown, origin: string = appOrigin): boolean {
  if (typeof url !== 'string') return false;
  try {
    const candidate = new URL(url);
    const own = new URL(origin);
    return (
      candidate.protocol === own.protocol &&
      // Node leaves the host of a non-special scheme as written; Chromium lowercases it for standard schemes.
      candidate.host.toLowerCase() === own.host.toLowerCase() &&
      candidate.host !== '' &&
      candidate.username === '' &&
      candidate.password === ''
    );
  } catch {
    return false;
  }
}
