import { readFile, realpath, stat } from 'node:fs/promises';
import { contentTypeFor } from '../../shared/security/content-types';
import { resolve, sep } from 'node:path';


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
    return { kind: 'file', path: real, body: await readFile(real), contentType: contentTypeFor(real) };
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
