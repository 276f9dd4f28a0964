/**
 * A faithful local stand-in for Meta's Graph API, on 127.0.0.1 port 0: the endpoints Frontdesk's Graph
 * client calls, answering in Meta's shapes (the fixtures') and with Meta's errors — a bad token is 190 with
 * HTTP 401, an unknown object 100/33, throughput 130429, pair rate 131056, an unknown template 132001; a
 * free-form message outside the 24-hour window is accepted and then fails with 131047 (reported through
 * `sent[].failure` and `onSent`, from which the webhook half of the sandbox builds the `failed` status).
 *
 * Requests are validated with the same zod schemas the client checks its own requests with. Time comes
 * from the injected clock, ids from the seed. Faults can be injected for the next requests: HTTP 429
 * (130429), HTTP 500 (code 2, transient), and two timeouts — before Meta accepts (nothing happens, no
 * answer) and after (the request is carried out, the answer never comes).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClockPort } from '../ports';
import { createSandboxRandom } from './graph-ids';
import { metaError, metaErrors } from './graph-meta-errors';
import { createAccountRoute } from './graph-route-account';
import type { PhoneNumberState, ProfileState } from './graph-route-account';
import { createMediaRoute } from './graph-route-media';
import { createMessageRoute } from './graph-route-messages';
import { createTemplateRoute } from './graph-route-templates';
import type { TemplateRouteOptions, TemplateStatusChange } from './graph-route-templates';
import type { SandboxContext, SandboxReply, SandboxRequest, SandboxSentMessage, SandboxTemplate, StoredMedia, StoredUpload } from './graph-types';

export type { SandboxSentMessage, SandboxStatusError, SandboxTemplate } from './graph-types';
export type { TemplateStatusChange } from './graph-route-templates';

export type GraphFaultKind = '429' | '500' | 'timeout-before-accept' | 'timeout-after-accept';

export interface SandboxGraphOptions {
  clock: ClockPort;
  seed: number;
  host?: string;
  port?: number;
  /** The access token Meta would accept; a function lets a test revoke it. */
  validToken: string | (() => string);
  phoneNumberId: string;
  wabaId: string;
  appId: string;
  appName?: string;
  phone?: Partial<PhoneNumberState>;
  profile?: ProfileState;
  /** Messages per second for the number (Meta's default: 80). */
  throughputPerSecond?: number;
  /** How long a new template stays PENDING on the sandbox clock. */
  templateReviewMs?: number;
  reviewTemplate?: TemplateRouteOptions['review'];
  /** Start with Meta's `hello_world` sample template, approved (true unless told otherwise). */
  helloWorld?: boolean;
  onSent?(message: SandboxSentMessage): void;
  onTemplateStatus?(change: TemplateStatusChange): void;
}

export interface SandboxGraph {
  /** Without a version: the client appends `/v25.0/...`. */
  baseUrl: string;
  close(): Promise<void>;
  faults: {
    /** The next `count` Graph requests (not media downloads) meet this fault. */
    inject(kind: GraphFaultKind, count?: number): void;
    pending(): number;
    clear(): void;
  };
  /** Every message accepted, in order. */
  sent: SandboxSentMessage[];
  /** Read receipts (and typing indicators) received. */
  reads: Array<{ messageId: string; typing: boolean; at: number }>;
  /** A customer wrote at `at` (ms on the clock): their 24-hour window runs from there. Phone or BSUID. */
  noteInbound(customer: string, at: number): void;
  isWindowOpen(customer: string): boolean;
  media: { add(bytes: Uint8Array, mimeType: string, fileName?: string): string; get(id: string): StoredMedia | undefined };
  uploads: { get(handle: string): StoredUpload | undefined };
  templates: {
    list(): SandboxTemplate[];
    seed(template: Parameters<ReturnType<typeof createTemplateRoute>['seed']>[0]): SandboxTemplate;
    setStatus(id: string, status: string, reason?: string): void;
  };
  account: { phone: PhoneNumberState; profile: ProfileState; isSubscribed(): boolean };
  /** Exceptions inside the sandbox itself (answered as Meta's code 1); a test expects none. */
  internalErrors: unknown[];
}

const maxBodyBytes = 110 * 1024 * 1024;
const versionPattern = /^v\d+\.\d+$/;

function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        resolve(undefined);
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(size > maxBodyBytes ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function presentedToken(request: IncomingMessage, query: URLSearchParams): string | undefined {
  const header = request.headers.authorization;
  // Graph takes `Bearer` and `OAuth` (the resumable upload API's documented scheme), or the query parameter.
  const match = header ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header) : null;
  return match?.[1]?.trim() ?? query.get('access_token') ?? undefined;
}

function write(response: ServerResponse, reply: SandboxReply): void {
  if (reply.json !== undefined) {
    const text = JSON.stringify(reply.json);
    response.writeHead(reply.status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
    response.end(text);
    return;
  }
  const bytes = reply.bytes ?? new Uint8Array();
  response.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'application/octet-stream', 'Content-Length': bytes.byteLength });
  response.end(bytes);
}

const helloWorld = {
  name: 'hello_world',
  language: 'en_US',
  category: 'UTILITY',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Hello World' },
    {
      type: 'BODY',
      text: 'Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta. Thank you for taking the time to test with us.',
    },
    { type: 'FOOTER', text: 'WhatsApp Business Platform sample message' },
  ],
};

export async function startSandboxGraph(options: SandboxGraphOptions): Promise<SandboxGraph> {
  const random = createSandboxRandom(options.seed);
  const token = typeof options.validToken === 'function' ? options.validToken : () => options.validToken as string;
  let baseUrl = '';
  const ctx: SandboxContext = {
    clock: options.clock,
    random,
    phoneNumberId: options.phoneNumberId,
    wabaId: options.wabaId,
    appId: options.appId,
    baseUrl: () => baseUrl,
    error: (status, spec) => metaError(status, spec, `A${random.token(22)}`),
    ok: (json) => ({ status: 200, json }),
    uploadsByHandle: new Map(),
  };

  const phone: PhoneNumberState = {
    display_phone_number: '+1 555-010-0100',
    verified_name: 'Frontdesk Sandbox',
    quality_rating: 'GREEN',
    code_verification_status: 'VERIFIED',
    name_status: 'APPROVED',
    status: 'CONNECTED',
    whatsapp_business_manager_messaging_limit: 'TIER_250',
    throughput: { level: 'STANDARD' },
    platform_type: 'CLOUD_API',
    account_mode: 'LIVE',
    ...options.phone,
  };
  const account = createAccountRoute(ctx, { phone, profile: options.profile ?? { about: 'Hello from the sandbox', vertical: 'OTHER' }, appName: options.appName ?? 'Frontdesk' });
  const media = createMediaRoute(ctx);
  const templates = createTemplateRoute(ctx, {
    reviewMs: options.templateReviewMs ?? 60_000,
    review: options.reviewTemplate,
    onStatus: options.onTemplateStatus,
  });
  if (options.helloWorld !== false) templates.seed(helloWorld);
  const messages = createMessageRoute(ctx, {
    throughputPerSecond: options.throughputPerSecond ?? 80,
    ownNumberDigits: phone.display_phone_number.replace(/\D/g, ''),
    findTemplate: templates.find,
    onSent: (message) => options.onSent?.(message),
  });

  const pendingFaults: GraphFaultKind[] = [];
  const held = new Set<ServerResponse>();
  const internalErrors: unknown[] = [];

  function route(request: SandboxRequest): SandboxReply | Promise<SandboxReply> {
    const [node = '', edge, ...rest] = request.segments;
    const knownNode = [ctx.phoneNumberId, ctx.wabaId, ctx.appId].includes(node) || media.has(node) || templates.has(node);
    if (rest.length > 0) return ctx.error(400, metaErrors.unknownEdge(`${edge}/${rest.join('/')}`));
    if (edge === undefined) {
      if (node === ctx.phoneNumberId) return account.phoneNumber(request);
      if (media.isUploadSession(node)) return media.uploadNode(request, node);
      if (media.has(node)) return media.node(request, node);
      if (templates.has(node)) return templates.node(request, node);
      return ctx.error(400, metaErrors.unsupported(request.method, node));
    }
    if (node === ctx.phoneNumberId) {
      if (edge === 'messages') return messages.handle(request);
      if (edge === 'media') return media.upload(request);
      if (edge === 'whatsapp_business_profile') return account.profile(request);
    }
    if (node === ctx.wabaId) {
      if (edge === 'phone_numbers') return account.phoneNumbers(request);
      if (edge === 'subscribed_apps') return account.subscribedApps(request);
      if (edge === 'message_templates') return templates.collection(request);
    }
    if (node === ctx.appId && edge === 'uploads') return media.startUpload(request);
    return knownNode ? ctx.error(400, metaErrors.unknownEdge(edge)) : ctx.error(400, metaErrors.unsupported(request.method, node));
  }

  function hold(response: ServerResponse): void {
    // Never answered: the client's own time limit ends it (or close()).
    held.add(response);
    response.on('close', () => held.delete(response));
  }

  async function handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(incoming.url ?? '/', 'http://sandbox.invalid');
    const body = await readBody(incoming);
    if (!body) return write(response, ctx.error(413, metaErrors.invalidParameter('The request body is too large.')));
    let segments: string[];
    try {
      segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      return write(response, ctx.error(400, metaErrors.invalidParameter('Malformed path.')));
    }
    const method = incoming.method ?? 'GET';
    const presented = presentedToken(incoming, url.searchParams);
    const request: SandboxRequest = { method, version: undefined, segments, query: url.searchParams, headers: incoming.headers, body };

    // Media downloads and profile pictures live on Meta's CDN hosts: no version, no injected faults.
    if (segments[0] === 'whatsapp_business' && segments[1] === 'attachments' && method === 'GET') {
      return write(response, media.download(request, presented === token()));
    }
    if (segments[0] === 'pps' && segments.length === 2 && method === 'GET') return write(response, media.profilePicture(segments[1] ?? ''));

    if (segments[0] && versionPattern.test(segments[0])) request.version = segments.shift();
    const fault = pendingFaults.shift();
    if (fault === 'timeout-before-accept') return hold(response);
    if (fault === '429') return write(response, ctx.error(429, metaErrors.throughput()));
    if (fault === '500') return write(response, ctx.error(500, metaErrors.unavailable()));

    if (presented === undefined) return write(response, ctx.error(401, metaErrors.noToken()));
    if (presented !== token()) return write(response, ctx.error(401, metaErrors.badToken()));

    let reply: SandboxReply;
    try {
      reply = await route(request);
    } catch (error) {
      internalErrors.push(error);
      reply = ctx.error(500, { code: 1, message: 'An unknown error has occurred.', isTransient: true });
    }
    if (fault === 'timeout-after-accept') return hold(response);
    write(response, reply);
  }

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      internalErrors.push(error);
      if (!response.headersSent) write(response, ctx.error(500, { code: 1, message: 'An unknown error has occurred.', isTransient: true }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;

  return {
    baseUrl,
    async close() {
      for (const response of held) response.socket?.destroy();
      held.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    faults: {
      inject(kind, count = 1) {
        for (let i = 0; i < count; i++) pendingFaults.push(kind);
      },
      pending: () => pendingFaults.length,
      clear: () => void pendingFaults.splice(0),
    },
    sent: messages.sent,
    reads: messages.reads,
    noteInbound: messages.noteInbound,
    isWindowOpen: messages.isWindowOpen,
    media: { add: media.add, get: media.get },
    uploads: { get: (handle) => ctx.uploadsByHandle.get(handle) },
    templates: { list: templates.list, seed: templates.seed, setStatus: templates.setStatus },
    account: { phone: account.phone, profile: account.currentProfile, isSubscribed: account.isSubscribed },
    internalErrors,
  };
}
