/**
 * The `app://frontdesk/` protocol: serves the built renderer (dist/renderer) so pages have a real origin
 * instead of file://, where every local file would be same-origin with the app.
 */
import { readFile, stat } from 'node:fs/promises';
import { contentTypeFor } from '../../shared/security/content-types';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Protocol } from 'electron';
import { contentSecurityPolicy } from '../../shared/security/csp';
import { appOrigin, appScheme, isOnOrigin } from './app-origin';

/**
 * Must run before the app's `ready` event: privileges can only be granted then, and in one call (a second
 * call replaces the first), so other schemes (app-media:) come in through `others`.
 */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>, others: Parameters<Protocol['registerSchemesAsPrivileged']>[0] = []): void {
  protocol.registerSchemesAsPrivileged([
    // standard: real origin and relative URLs; secure: counts as a secure context like https.
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ...others,
  ]);
}


function baseHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy,
    // A file is what its extension says, never what the browser guesses.
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
}

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...baseHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });
}

/**
 * The file under `rootDir` a request path names, or null when the path is malformed or leaves `rootDir`
 * (`..`, encoded `%2e%2e` or `%2f`, backslashes, NUL bytes).
 */
export function resolveInside(rootDir: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded.split('/').some((segment) => segment === '..')) return null;
  const relativePath = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const root = resolve(rootDir);
  const target = resolve(root, relativePath);
  const fromRoot = relative(root, target);
  if (fromRoot === '' || fromRoot.startsWith(`..${sep}`) || fromRoot === '..' || isAbsolute(fromRoot)) return null;
  return target;
}

/** The handler for `protocol.handle('app', ...)`: GET/HEAD of files under `rootDir`, CSP on every response. */
export function createAppRequestHandler(rootDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return textResponse(400, 'Bad request');
    }
    if (!isOnOrigin(url.href, appOrigin)) return textResponse(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method not allowed');
    const filePath = resolveInside(rootDir, url.pathname);
    if (!filePath) return textResponse(404, 'Not found');
    try {
      const info = await stat(filePath);
      if (!info.isFile()) return textResponse(404, 'Not found');
      const headers = { ...baseHeaders(), 'Content-Type': contentTypeFor(filePath), 'Content-Length': String(info.size) };
      if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
      const body = await readFile(filePath);
      return new Response(new Uint8Array(body), { status: 200, headers });
    } catch {
      return textResponse(404, 'Not found');
    }
  };
}

/** Serves `rootDir` on app://frontdesk/. Call after `ready`. */
export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, rootDir: string): void {
  protocol.handle(appScheme, createAppRequestHandler(rootDir));
}
