/**
 * The `app-media://media/<id>` protocol: pages show images, play voice notes and videos from the encrypted
 * media store. Main only relays: core reads and decrypts the file (for the open, unlocked workspace only)
 * and the bytes are answered from memory — nothing decrypted touches disk, and nothing is cached.
 */
import type { Protocol } from 'electron';
import { contentSecurityPolicy } from '../../shared/security/csp';
import { mediaContentType } from '../../shared/security/content-types';

export const mediaScheme = 'app-media';
const mediaHost = 'media';

/** For `protocol.registerSchemesAsPrivileged` (with app:, in one call before `ready`). */
export const mediaSchemePrivileges = {
  scheme: mediaScheme,
  // standard: a real host and path; stream: <video>/<audio> play from it. Not bypassCSP: the page's CSP lists app-media:.
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
};

export interface MediaFile {
  mime: string;
  bytes: Uint8Array;
  fileName: string;
}

/** Core's answer for a media id; rejects with an error whose `code` is core's (not_found, locked, …). */
export type ReadMedia = (mediaId: number) => Promise<MediaFile>;

const baseHeaders = {
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...baseHeaders, 'Content-Type': 'text/plain; charset=utf-8' } });
}

const refusals: Record<string, number> = { not_found: 404, locked: 403, no_workspace_open: 403, invalid_request: 400 };

export function createMediaRequestHandler(readMedia: ReadMedia): (request: Request) => Promise<Response> {
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return textResponse(400, 'Bad request');
    }
    if (url.protocol !== `${mediaScheme}:` || url.host !== mediaHost) return textResponse(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method not allowed');
    const match = /^\/(\d{1,15})$/.exec(url.pathname);
    if (!match) return textResponse(404, 'Not found');
    let file: MediaFile;
    try {
      file = await readMedia(Number(match[1]));
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      return textResponse(typeof code === 'string' ? (refusals[code] ?? 500) : 500, 'No such media');
    }
    const headers = { ...baseHeaders, 'Content-Type': mediaContentType(file.mime), 'Content-Length': String(file.bytes.byteLength) };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(file.bytes), { status: 200, headers });
  };
}

/** Serves app-media:// from core. Call after `ready`. */
export function handleMediaProtocol(protocol: Pick<Protocol, 'handle'>, readMedia: ReadMedia): void {
  protocol.handle(mediaScheme, createMediaRequestHandler(readMedia));
}
