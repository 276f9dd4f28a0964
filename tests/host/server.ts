/**
 * The preview host (DESIGN: "The preview host"): core in this Node process, the built renderer served on
 * 127.0.0.1, and /bridge.js + a WebSocket standing in for Electron's preload and IPC. A development and
 * test host only; never packaged.
 *
 * Who may talk to it: whoever opens the printed URL first. Its one-time token becomes an HttpOnly,
 * SameSite=Strict session cookie that every page, script, media and WebSocket request must carry. Because
 * SameSite does not separate ports of 127.0.0.1 (they are one site), WebSocket handshakes must also come
 * from exactly this origin, and scripts/media refuse cross-origin loads (Fetch Metadata + CORP).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readFileSync, realpathSync } from 'node:fs';
import { createAdjustableWallClock } from '../../electron/core/clock';
import { createCore } from '../../electron/core/create-core';
import { startSandboxGraph } from '../../electron/core/sandbox/graph-server';
import { sandboxCredentials } from './sandbox-credentials';
import type { Core } from '../../electron/core/create-core';
import { createLogger } from '../../electron/core/logger';
import { createNodePorts, createStreamLogger } from '../../electron/core/node-ports';
import type { NodePorts } from '../../electron/core/node-ports';
import type { LoggerPort } from '../../electron/core/ports';
import { contentSecurityPolicy } from '../../shared/security/csp';
import { mediaContentType } from '../../shared/security/content-types';
import { AppError } from '../../electron/core/errors';
import { PreviewAuth, randomToken } from './auth';
import { bridgeScript } from './bridge-bundle';
import { createBridgeServer } from './bridge-server';
import type { BridgeServer } from './bridge-server';
import { bridgePath } from './protocol';
import { injectBridge, lookupStatic } from './static-files';
import { handleTestControl } from './test-control-endpoint';
import './controls';

const repoRoot = resolve(import.meta.dirname, '../..');
const appVersion = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

export const defaultRendererDir = join(repoRoot, 'dist/renderer');


export interface PreviewHostOptions {
  /** Where the workspace data lives; default: a new temp dir, removed again on close. */
  dataDir?: string;
  port?: number;
  host?: string;
  /** Enables `POST /__test/<name>`; without it that path is a plain 404. */
  testControls?: boolean;
  /** The built renderer to serve (default dist/renderer, from `vite build --mode preview`). */
  rendererDir?: string;
  /** Open the demo workspace at start; `seed` makes its simulated customers deterministic. */
  demo?: boolean;
  seed?: number;
  /** Where core's and the host's log lines go; default JSON lines on stderr. */
  logger?: LoggerPort;
  /** Largest WebSocket frame, bytes. */
  maxPayload?: number;
  /** Cheap Argon2id so end-to-end tests can set up and unlock workspaces quickly; never for real data. */
  fastKdf?: boolean;
}

export interface PreviewHost {
  /** The URL to open, with the one-time token. */
  url: string;
  origin: string;
  port: number;
  dataDir: string;
  testControlsToken?: string;
  core: Core;
  ports: NodePorts;
  bridge: Pick<BridgeServer, 'connections' | 'badFrames' | 'dropAll'>;
  options: { demo: boolean; seed: number | undefined };
  close(): Promise<void>;
}

const securityHeaders: OutgoingHttpHeaders = {
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

const unauthorisedText =
  'Frontdesk preview: not signed in.\n\n' +
  'Open the URL that `npm run preview` printed ("Frontdesk preview: http://127.0.0.1:…/?token=…").\n' +
  'It works once, in one browser; if it was already used, stop the preview and start it again.\n';

export async function startPreviewHost(options: PreviewHostOptions = {}): Promise<PreviewHost> {
  const host = options.host ?? '127.0.0.1';
  const rendererDir = await checkRendererDir(options.rendererDir ?? defaultRendererDir);
  const script = await bridgeScript();
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'frontdesk-preview-')));
  const loggerPort = options.logger ?? createStreamLogger();
  const logger = createLogger(loggerPort);
  // With test controls, core's clock can be moved forward (the 24-hour window closing, a late status).
  const clock = options.testControls ? createAdjustableWallClock() : undefined;
  const ports = createNodePorts({ dataDir, transport: 'preview', appVersion, logger: loggerPort, ...(clock ? { clock } : {}) });
  // The preview host's WhatsApp is the sandbox: Meta's Graph API as a local stand-in (no network needed).
  const sandboxGraph = await startSandboxGraph({ clock: ports.clock, seed: options.seed ?? 1, validToken: sandboxCredentials.accessToken, phoneNumberId: sandboxCredentials.phoneNumberId, wabaId: sandboxCredentials.wabaId, appId: sandboxCredentials.appId });
  const core = createCore(ports, {
    graphBaseUrl: sandboxGraph.baseUrl,
    ...(options.seed !== undefined ? { demoSeed: options.seed } : {}),
    ...(options.fastKdf ? { argon2: { opslimit: 1, memlimit: 8192 } } : {}),
  });
  const bridge = createBridgeServer({ core, events: ports.events, logger, maxPayload: options.maxPayload ?? 64 * 1024 * 1024 });
  const testControlsToken = options.testControls ? randomToken() : undefined;
  const demo = options.demo ?? false;
  if (demo) {
    const opened = await core.invoke('workspace:open-demo', undefined);
    if (!opened.ok) logger.error('The demo workspace did not open', { code: opened.error.code });
  }

  const dropBridgeConnections = () => {
    const dropped = bridge.connections;
    bridge.dropAll();
    return dropped;
  };

  // Filled in once listening (the origin and cookie name need the port).
  let site: { origin: string; hostHeader: string; auth: PreviewAuth } | null = null;

  const server = createServer((request, response) => {
    void handleRequest(request, response).catch((error: unknown) => {
      logger.error('The preview host failed a request', { error: error instanceof Error ? error.message : 'unknown' });
      if (!response.headersSent) sendText(response, 500, 'Internal error; see the host log.\n');
      else response.destroy();
    });
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    handleUpgrade(request, socket, head);
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!site) return sendText(response, 503, 'Starting.\n');
    if (request.headers.host !== site.hostHeader) {
      // Also refuses DNS rebinding (a foreign name resolving to 127.0.0.1).
      return sendText(response, 421, `Open the address exactly as printed: ${site.origin}/…\n`);
    }
    const url = parseRequestUrl(request.url, site.origin);
    if (!url) return sendText(response, 400, 'Bad request.\n');
    const path = url.pathname;

    if (path === '/__test' || path.startsWith('/__test/')) {
      if (!testControlsToken) return sendText(response, 404, 'Not found.\n');
      return handleTestControl(request, response, {
        name: path.slice('/__test/'.length),
        token: testControlsToken,
        origin: site.origin,
        context: { core, ports, host: { dropBridgeConnections, clock: clock ?? null } },
        logger,
        headers: securityHeaders,
      });
    }

    // Fetch Metadata: another site (or another port of 127.0.0.1, which is the same *site*) may send the
    // browser here as a top-level navigation, but may not load our scripts or media, fetch, or frame us.
    const fetchSite = request.headers['sec-fetch-site'];
    const topLevelNavigation = request.headers['sec-fetch-mode'] === 'navigate' && (request.headers['sec-fetch-dest'] ?? 'document') === 'document';
    if ((fetchSite === 'cross-site' || fetchSite === 'same-site') && !topLevelNavigation) {
      return sendText(response, 403, 'Cross-origin requests are refused.\n');
    }

    // Only a GET spends the token: a HEAD (a link checker, a preview fetcher) must not use it up.
    const token = path === '/' && request.method === 'GET' ? url.searchParams.get('token') : null;
    if (token !== null) {
      if (site.auth.hasSession(request)) return redirectHome(response);
      const cookie = site.auth.exchange(token);
      if (!cookie) {
        logger.warn('Refused a wrong or already used URL token');
        return sendText(response, 401, unauthorisedText);
      }
      logger.info('Preview session started');
      return redirectHome(response, cookie);
    }
    if (!site.auth.hasSession(request)) return sendText(response, 401, unauthorisedText);

    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return sendText(response, 405, 'Method not allowed.\n', { Allow: 'GET, HEAD' });
    }
    if (path === '/bridge.js') return sendBody(request, response, 200, 'text/javascript; charset=utf-8', script);
    if (path === bridgePath) return sendText(response, 426, 'This is the WebSocket endpoint.\n', { Upgrade: 'websocket' });
    if (path.startsWith('/media/')) return sendMedia(request, response, core, path);

    const found = await lookupStatic(rendererDir, path);
    if (found.kind === 'bad-path') return sendText(response, 400, 'Bad path.\n');
    if (found.kind === 'not-found') return sendText(response, 404, 'Not found.\n');
    const isIndex = found.path === join(rendererDir, 'index.html');
    const body = isIndex ? injectBridge(found.body.toString('utf8'), '/bridge.js') : found.body;
    return sendBody(request, response, 200, found.contentType, body);
  }

  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!site) return refuseUpgrade(socket, 503, 'Starting');
    const url = parseRequestUrl(request.url, site.origin);
    if (!url || url.pathname !== bridgePath) return refuseUpgrade(socket, 404, 'Not found');
    if (request.headers.host !== site.hostHeader) return refuseUpgrade(socket, 421, 'Wrong host');
    if (!site.auth.hasSession(request)) {
      logger.warn('Refused a WebSocket without the session cookie');
      return refuseUpgrade(socket, 401, 'Not signed in');
    }
    if (request.headers.origin !== site.origin) {
      logger.warn('Refused a WebSocket from another origin', { origin: String(request.headers.origin ?? 'none').slice(0, 100) });
      return refuseUpgrade(socket, 403, 'Wrong origin');
    }
    bridge.accept(request, socket, head);
  }

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  }).catch(async (error: unknown) => {
    await bridge.close();
    await core.close();
    await sandboxGraph.close();
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  });

  const port = (server.address() as AddressInfo).port;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const hostHeader = `${hostPart}:${port}`;
  const origin = `http://${hostHeader}`;
  const auth = new PreviewAuth(`frontdesk_session_${port}`);
  site = { origin, hostHeader, auth };
  const url = `${origin}/?token=${auth.pendingToken!}`;
  logger.info('Preview host listening', { port, rendererDir, dataDir, testControls: Boolean(testControlsToken) });

  let closing: Promise<void> | null = null;
  return {
    url,
    origin,
    port,
    dataDir,
    testControlsToken,
    core,
    ports,
    bridge,
    options: { demo, seed: options.seed },
    close() {
      closing ??= (async () => {
        await bridge.close();
        await new Promise<void>((resolveClose) => {
          server.close(() => resolveClose());
          server.closeAllConnections();
        });
        await core.close();
        await sandboxGraph.close();
        if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
        logger.info('Preview host stopped');
      })();
      return closing;
    },
  };
}

async function checkRendererDir(dir: string): Promise<string> {
  const real = (() => {
    try {
      return realpathSync(dir);
    } catch {
      return null;
    }
  })();
  const index = real ? await stat(join(real, 'index.html')).catch(() => null) : null;
  if (!real || !index?.isFile()) {
    throw new Error(`No built renderer at ${dir} (index.html missing): run \`npx vite build --mode preview\` first`);
  }
  return real;
}

function parseRequestUrl(raw: string | undefined, origin: string): URL | null {
  // Only origin-form targets ("/path?query"); "//host/…" or absolute URLs are not ours to interpret.
  if (!raw || !raw.startsWith('/') || raw.startsWith('//')) return null;
  try {
    return new URL(raw, origin);
  } catch {
    return null;
  }
}

function sendBody(request: IncomingMessage, response: ServerResponse, status: number, contentType: string, body: string | Buffer) {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  response.writeHead(status, { ...securityHeaders, 'Content-Type': contentType, 'Content-Length': bytes.length });
  response.end(request.method === 'HEAD' ? undefined : bytes);
}

const mediaRefusals: Record<string, number> = { not_found: 404, locked: 403, no_workspace_open: 403 };

/** `/media/<id>`: core's decrypted file of the open, unlocked workspace, as main's app-media:// serves it. */
async function sendMedia(request: IncomingMessage, response: ServerResponse, core: Core, path: string): Promise<void> {
  const match = /^\/media\/(\d{1,15})$/.exec(path);
  if (!match) return sendText(response, 404, 'No such media.\n');
  let file;
  try {
    file = await core.services.readMedia(Number(match[1]));
  } catch (error) {
    const status = error instanceof AppError ? (mediaRefusals[error.code] ?? 500) : 500;
    return sendText(response, status, status === 404 ? 'No such media.\n' : 'Media unavailable.\n');
  }
  return sendBody(request, response, 200, mediaContentType(file.mime), Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
}

function sendText(response: ServerResponse, status: number, text: string, extra: OutgoingHttpHeaders = {}) {
  const bytes = Buffer.from(text, 'utf8');
  response.writeHead(status, { ...securityHeaders, ...extra, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': bytes.length });
  response.end(response.req.method === 'HEAD' ? undefined : bytes);
}

function redirectHome(response: ServerResponse, cookie?: string) {
  response.writeHead(303, { ...securityHeaders, Location: '/', 'Content-Length': 0, ...(cookie ? { 'Set-Cookie': cookie } : {}) });
  response.end();
}

const statusText: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  421: 'Misdirected Request',
  503: 'Service Unavailable',
};

function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = `${message}.\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${statusText[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
