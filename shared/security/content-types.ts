/**
 * Content types of the files the app's pages load, for main's app:// protocol and the preview host alike.
 * Served with `nosniff`, so a file is what its extension says, never what the browser guesses.
 */
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.mp4': 'video/mp4',
};

export function contentTypeFor(path: string): string {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  return (dot > 0 ? contentTypes[name.slice(dot).toLowerCase()] : undefined) ?? 'application/octet-stream';
}

/** Types a page only displays or plays: served as they are. */
const inertMedia = /^(image\/(jpeg|png|gif|webp|avif|bmp|heic|heif)|audio\/[a-z0-9.+-]+|video\/[a-z0-9.+-]+|application\/pdf)$/;

/**
 * The Content-Type a stored media file (a customer's upload: untrusted) is served with, for main's
 * app-media:// protocol and the preview host's /media/ route: its own type when it is one a page only
 * displays or plays, plain text for text, and bytes (`application/octet-stream`) for anything a browser
 * could run or render as a document — HTML, SVG, XML, scripts. Always served with `nosniff`.
 */
export function mediaContentType(mime: string | null): string {
  const type = (mime ?? '').split(';')[0]!.trim().toLowerCase();
  if (inertMedia.test(type)) return type;
  if (type === 'text/plain') return 'text/plain; charset=utf-8';
  return 'application/octet-stream';
}
