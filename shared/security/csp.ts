/**
 * The one Content-Security-Policy of every Frontdesk page: injected as a <meta> by the build, and sent as a
 * header by main's app:// protocol and by the preview host. Nothing remote: scripts, styles, fonts and images
 * come from the app itself; media from the app's own media route; connections only back to the same origin
 * (the preview host's WebSocket is same-origin).
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob: app-media:",
  "media-src 'self' blob: app-media:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
