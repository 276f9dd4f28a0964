/** Helpers for the host's own tests: a host on the fixture renderer, a signed-in cookie, raw requests, sockets. */
import { request as httpRequest } from 'node:http';
import type { OutgoingHttpHeaders } from 'node:http';
import { resolve } from 'node:path';
import { WebSocket } from 'ws';
import { createMemoryLogger } from '../../electron/core/node-ports';
import type { MemoryLogger } from '../../electron/core/node-ports';
import { startPreviewHost } from './server';
import type { PreviewHost, PreviewHostOptions } from './server';
import { bridgePath, decodeFrame, encodeFrame } from './protocol';

export const fixtureRendererDir = resolve(import.meta.dirname, 'fixture');

export interface TestHost extends PreviewHost {
  logger: MemoryLogger;
}

export async function startTestHost(options: PreviewHostOptions = {}): Promise<TestHost> {
  const logger = createMemoryLogger();
  const host = await startPreviewHost({ rendererDir: fixtureRendererDir, logger, ...options });
  return Object.assign(host, { logger });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request exactly as given: no path normalisation, unlike fetch (needed for traversal tests). */
export function rawRequest(
  origin: string,
  path: string,
  options: { method?: string; headers?: OutgoingHttpHeaders; body?: string } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolveResponse, reject) => {
    const req = httpRequest({ hostname, port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolveResponse({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Exchanges the URL token for the session cookie ("name=value"). */
export async function signIn(host: PreviewHost): Promise<string> {
  const url = new URL(host.url);
  const response = await rawRequest(host.origin, `${url.pathname}${url.search}`);
  if (response.status !== 303) throw new Error(`Sign-in answered ${response.status}`);
  const setCookie = response.headers['set-cookie']?.[0];
  if (!setCookie) throw new Error('Sign-in set no cookie');
  return setCookie.split(';')[0]!;
}

export function bridgeUrl(host: PreviewHost): string {
  return `${host.origin.replace(/^http/, 'ws')}${bridgePath}`;
}

export function openSocket(host: PreviewHost, options: { cookie?: string; origin?: string } = {}): WebSocket {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  return new WebSocket(bridgeUrl(host), { headers, ...(options.origin ? { origin: options.origin } : {}) });
}

/** Resolves 'open', or the HTTP status the handshake was refused with. */
export function handshake(socket: WebSocket): Promise<'open' | number> {
  return new Promise((resolveOutcome) => {
    socket.once('open', () => resolveOutcome('open'));
    socket.once('unexpected-response', (_request, response) => {
      resolveOutcome(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', () => resolveOutcome(-1));
  });
}

/** A connected, signed-in socket that collects every frame it receives. */
export async function connectedSocket(host: PreviewHost, cookie: string) {
  const socket = openSocket(host, { cookie, origin: host.origin });
  const frames: unknown[] = [];
  const waiters: Array<{ test: (frame: unknown) => boolean; resolve: (frame: unknown) => void }> = [];
  socket.on('message', (data) => {
    const frame = decodeFrame(String(data));
    frames.push(frame);
    for (const waiter of [...waiters]) {
      if (waiter.test(frame)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      }
    }
  });
  const outcome = await handshake(socket);
  if (outcome !== 'open') throw new Error(`Handshake refused: ${outcome}`);
  let nextId = 1;
  const next = <T>(test: (frame: unknown) => boolean, timeoutMs = 5_000) =>
    new Promise<T>((resolveFrame, reject) => {
      const found = frames.find(test);
      if (found) return resolveFrame(found as T);
      const timer = setTimeout(() => reject(new Error('No such frame arrived')), timeoutMs);
      waiters.push({ test, resolve: (frame) => (clearTimeout(timer), resolveFrame(frame as T)) });
    });
  return {
    socket,
    frames,
    next,
    async request(channel: string, payload?: unknown) {
      const id = nextId++;
      socket.send(encodeFrame({ id, channel, payload }));
      return next<{ id: number; result: { ok: boolean; value?: unknown; error?: { code: string; message: string } } }>(
        (frame) => (frame as { id?: unknown }).id === id,
      );
    },
  };
}

export function closed(socket: WebSocket): Promise<number> {
  return new Promise((resolveClose) => {
    if (socket.readyState === WebSocket.CLOSED) return resolveClose(socket.readyState);
    socket.once('close', (code) => resolveClose(code));
  });
}
