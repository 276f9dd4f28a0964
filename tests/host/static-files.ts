import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

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

export function contentTypeOf(path: string): string {
  return contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticLookup =
  | { kind: 'file'; path: string; body: Buffer; contentType: string }
  | { kind: 'not-found' }
  | { kind: 'bad-path' };

/**
 * Finds the file a URL path names inside `rootDir` (a real, resolved path). Anything that could leave the
 * folder — `..` (also percent-encoded), backslashes, NUL, absolute paths, symlinks pointing out — is a
 * bad path; dotfiles are not served.
 */
export async function lookupStatic(rootDir: string, urlPath: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'bad-path' };
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return { kind: 'bad-path' };
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '..' || segment === '.')) return { kind: 'bad-path' };
  if (segments.some((segment) => segment.startsWith('.'))) return { kind: 'not-found' };
  const relative = segments.length === 0 ? 'index.html' : segments.join('/');
  const candidate = resolve(rootDir, relative);
  if (!candidate.startsWith(rootDir + sep)) return { kind: 'bad-path' };
  try {
    const real = await realpath(candidate);
    if (!real.startsWith(rootDir + sep)) return { kind: 'bad-path' };
    if (!(await stat(real)).isFile()) return { kind: 'not-found' };
    return { kind: 'file', path: real, body: await readFile(real), contentType: contentTypeOf(real) };
  } catch {
    return { kind: 'not-found' };
  }
}

/** Puts the bridge before the app's first script, so `window.frontdesk` exists before the renderer runs. */
export function injectBridge(html: string, bridgeSrc: string): string {
  const tag = `<script src="${bridgeSrc}"></script>`;
  const firstScript = html.search(/<script\b/i);
  if (firstScript >= 0) return `${html.slice(0, firstScript)}${tag}\n    ${html.slice(firstScript)}`;
  const headEnd = html.search(/<\/head>/i);
  if (headEnd >= 0) return `${html.slice(0, headEnd)}${tag}\n${html.slice(headEnd)}`;
  return `${tag}\n${html}`;
}
