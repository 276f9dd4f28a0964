/**
 * The relay's HTTP server (issue 10; DESIGN: Messages in and out; REFERENCE §1), behind a TLS-terminating proxy.
 *
 * Meta's side, per workspace at `/meta/<workspace id>`:
 * - GET: the verification handshake (200 with the raw challenge when the verify token matches, else 403).
 * - POST: the raw body (limit → 413), `X-Hub-Signature-256` over exactly those bytes with the workspace's app
 *   secret in constant time (→ 401), a JSON object (→ 400); then the body is sealed to the workspace's public
 *   key and appended to the event log by group commit, and 200 is answered only once that commit is durable
 *   (a failed commit → 500 and Meta retries; no desk paired yet → 503 and Meta retries).
 *
 * The desks' side, under `/v1` (shared/relay/protocol.ts): pairing with the operator's one-time code, pulling
 * events after a cursor by long-poll, acknowledging, posting sealed copies of sent messages, linking a new desk,
 * unpairing. Every desk request carries `Authorization: Bearer <token>`; the relay keeps only its hash.
 *
 * Logs are structured and never carry a body, a token, a code or a key.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import { createGroupCommitter } from '../../electron/core/cloud/group-commit';
import type { GroupCommitStats } from '../../electron/core/cloud/group-commit';
import { checkSignature, secretsEqual, signatureHeader } from '../../electron/core/cloud/signature';
import { isJsonObject, readBody } from '../../electron/core/cloud/webhook-body';
import type { Logger } from '../../electron/core/logger';
import { loadSodium } from '../../electron/core/vault/sodium';
import {
  ackRequestSchema,
  deskMessageRequestSchema,
  linkApproveSchema,
  linkRequestSchema,
  maxEventsPerPull,
  maxLongPollMs,
  normaliseLinkCode,
  normalisePairingCode,
  pairRequestSchema,
  relayApiPrefix,
  relayMetaPrefix,
} from '../../shared/relay/protocol';
import type { RelayErrorCode } from '../../shared/relay/protocol';
import { encodeEnvelope } from '../../shared/relay/sealed-envelope';
import type { RelayConfig } from './config';
import { deskIdOfToken, newDeskToken, newId, newLinkCode, sha256, tokenMatches } from './credentials';
import { createRateLimiter } from './rate-limit';
import { createSealer } from './seal';
import type { DeskRecord, NewEvent, RelayStore, StoredEvent, WorkspaceRecord } from './store/types';

export interface RelayServerOptions {
  config: RelayConfig;
  store: RelayStore;
  logger: Logger;
  now?: () => number;
}

export interface RelayCounters {
  metaReceived: number;
  metaAccepted: number;
  metaRefused: Record<'too_large' | 'signature' | 'malformed_json' | 'unknown_workspace' | 'not_ready' | 'store_failed' | 'rate_limited', number>;
  deskRequests: number;
  deskRefused: number;
}

export interface RelayServer {
  readonly port: number;
  /** `http://host:port`, what the proxy forwards to. */
  readonly url: string;
  counters(): RelayCounters;
  commitStats(): GroupCommitStats;
  close(): Promise<void>;
}

/** How long a link request waits for an existing desk's approval. */
const linkLifetimeMs = 10 * 60_000;
/** Workspace records (app secret, public key) are read again after this long: another instance may have paired. */
const workspaceCacheMs = 5_000;
const pruneEveryMs = 60_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: RelayErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A path segment decoded, or null when its percent-encoding is malformed. */
function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}


/** Webhooks reach 3 MB: one pull answers with at most this many sealed bytes (always at least one event); the desk pulls again. */
const maxPullBytes = 16 * 1024 * 1024;

function withinResponseBudget(events: StoredEvent[]): StoredEvent[] {
  let bytes = 0;
  const end = events.findIndex((e, i) => (bytes += e.sealed.length) > maxPullBytes && i > 0);
  return end < 0 ? events : events.slice(0, end);
}

const commonHeaders = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...commonHeaders, ...headers });
  res.end(text);
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...commonHeaders, ...headers });
  res.end(JSON.stringify(value));
}

interface PendingEvent {
  event: NewEvent;
  seq?: number;
}

export async function startRelayServer(options: RelayServerOptions): Promise<RelayServer> {
  const { config, store, logger } = options;
  const now = options.now ?? Date.now;
  const seal = createSealer(await loadSodium());
  const startedAt = now();
  const limits = config.limits;

  const counts: RelayCounters = {
    metaReceived: 0,
    metaAccepted: 0,
    metaRefused: { too_large: 0, signature: 0, malformed_json: 0, unknown_workspace: 0, not_ready: 0, store_failed: 0, rate_limited: 0 },
    deskRequests: 0,
    deskRefused: 0,
  };

  const failures = createRateLimiter({ capacity: limits.failuresPerMinute, perMs: 60_000 });
  const pairing = createRateLimiter({ capacity: limits.pairingPerMinute, perMs: 60_000 });
  const deskRate = createRateLimiter({ capacity: limits.deskRequestsPerSecond, perMs: 1_000 });

  // One durable commit for every event that arrived meanwhile (DESIGN: group commit before 200).
  const committer = createGroupCommitter<PendingEvent>(async (items) => {
    const seqs = await store.appendEvents(items.map((i) => i.event));
    items.forEach((item, i) => (item.seq = seqs[i]));
  });

  // Long-polls waiting for a workspace's next commit (by this instance or, through the store, another one).
  const waiters = new Map<string, Set<() => void>>();
  let shuttingDown = false;
  const unsubscribe = store.subscribe((workspaceId) => wakeWorkspace(workspaceId));

  const workspaceCache = new Map<string, { record: WorkspaceRecord | null; until: number }>();
  async function workspace(id: string): Promise<WorkspaceRecord | null> {
    const cached = workspaceCache.get(id);
    const at = performance.now();
    if (cached && cached.until > at) return cached.record;
    const record = await store.getWorkspace(id);
    if (workspaceCache.size > 10_000) workspaceCache.clear();
    workspaceCache.set(id, { record, until: at + workspaceCacheMs });
    return record;
  }

  const sourceOf = (req: IncomingMessage): string => {
    if (config.trustProxy) {
      const forwarded = req.headers['x-forwarded-for'];
      // The proxy appends the address it saw: the last entry is the one a client cannot forge.
      const nearest = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)?.split(',').at(-1)?.trim();
      if (nearest) return nearest;
    }
    return req.socket.remoteAddress ?? 'unknown';
  };

  const refuse = (source: string, error: HttpError): never => {
    failures.take(source);
    throw error;
  };

  // ---- Meta's side ----

  function verification(ws: WorkspaceRecord | null, query: URLSearchParams, res: ServerResponse, source: string): void {
    if (!failures.allows(source)) {
      sendText(res, 429, 'Too Many Requests', { 'Retry-After': '60' });
      return;
    }
    const challenge = query.get('hub.challenge');
    const token = query.get('hub.verify_token');
    if (ws && query.get('hub.mode') === 'subscribe' && challenge !== null && token !== null && secretsEqual(token, ws.verifyToken)) {
      logger.info('Meta verification answered', { workspace: ws.id });
      sendText(res, 200, challenge);
      return;
    }
    failures.take(source);
    logger.warn('Meta verification refused', { workspace: ws?.id ?? 'unknown' });
    sendText(res, 403, 'Forbidden');
  }

  async function metaDelivery(ws: WorkspaceRecord | null, req: IncomingMessage, res: ServerResponse, source: string): Promise<void> {
    counts.metaReceived++;
    // Meta posts every workspace from the same addresses: one workspace's wrong app secret must not hold up
    // the others, so a known workspace's refusals are counted per source and workspace.
    const bucket = ws ? `${source}|${ws.id}` : source;
    if (!failures.allows(bucket)) {
      counts.metaRefused.rate_limited++;
      sendText(res, 429, 'Too Many Requests', { 'Retry-After': '60', Connection: 'close' });
      return;
    }
    const read = await readBody(req, limits.metaBodyBytes);
    if (read.kind === 'aborted') return;
    if (read.kind === 'too_large') {
      counts.metaRefused.too_large++;
      sendText(res, 413, 'Payload Too Large', { Connection: 'close' });
      return;
    }
    if (!ws) {
      counts.metaRefused.unknown_workspace++;
      failures.take(source);
      sendText(res, 404, 'Not Found');
      return;
    }
    const header = req.headers[signatureHeader];
    const check = checkSignature(read.body, header, ws.appSecret);
    if (check !== 'ok') {
      counts.metaRefused.signature++;
      failures.take(bucket);
      logger.warn('Meta webhook refused', { workspace: ws.id, reason: `signature_${check}` });
      sendText(res, 401, 'Unauthorized');
      return;
    }
    if (!isJsonObject(read.body)) {
      counts.metaRefused.malformed_json++;
      sendText(res, 400, 'Bad Request');
      return;
    }
    if (!ws.publicKey) {
      // No desk has paired: nothing could open the event. Meta retries for 7 days.
      counts.metaRefused.not_ready++;
      sendText(res, 503, 'Service Unavailable', { 'Retry-After': '60' });
      return;
    }
    const receivedAt = now();
    const sealed = seal(encodeEnvelope({ kind: 'meta', receivedAt, signature: header as string, payload: read.body }), ws.publicKey);
    try {
      await committer.submit({ event: { workspaceId: ws.id, kind: 'meta', fromDeskId: null, receivedAt, sealed } });
    } catch (error) {
      counts.metaRefused.store_failed++;
      logger.error('A webhook could not be stored; Meta will retry it', { workspace: ws.id, error: error instanceof Error ? error.message : String(error) });
      sendText(res, 500, 'Internal Server Error');
      return;
    }
    counts.metaAccepted++;
    sendText(res, 200, 'OK');
  }

  // ---- The desks' side ----

  async function json<S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<z.infer<S>> {
    const read = await readBody(req, limits.deskBodyBytes);
    if (read.kind === 'too_large') throw new HttpError(413, 'too_large', 'The request is too large', { Connection: 'close' });
    if (read.kind === 'aborted') throw new HttpError(400, 'invalid_request', 'The request was cut off');
    let value: unknown;
    try {
      value = JSON.parse(read.body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'invalid_request', 'The request is not JSON');
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new HttpError(400, 'invalid_request', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    return parsed.data;
  }

  async function authenticate(req: IncomingMessage, source: string): Promise<DeskRecord> {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const deskId = deskIdOfToken(token);
    const desk = deskId ? await store.getDesk(deskId) : null;
    // The hash is compared even when no desk was found, so the answer takes as long either way.
    const matches = tokenMatches(token, desk?.tokenHash ?? sha256('no desk'));
    if (!desk || !matches) return refuse(source, new HttpError(401, 'unauthorized', 'This desk is not paired with the relay'));
    if (!deskRate.take(desk.id)) throw new HttpError(429, 'rate_limited', 'Too many requests from this desk', { 'Retry-After': '1' });
    return desk;
  }

  /** Resolves when the workspace has a new commit, after `ms`, or when the client goes away. */
  function waitForEvents(workspaceId: string, ms: number, req: IncomingMessage): { promise: Promise<void>; cancel: () => void } {
    // Closing: a pull that reaches this point after the waiters were woken answers at once too.
    if (shuttingDown) return { promise: Promise.resolve(), cancel: () => undefined };
    let wake!: () => void;
    const promise = new Promise<void>((resolve) => (wake = resolve));
    let set = waiters.get(workspaceId);
    if (!set) waiters.set(workspaceId, (set = new Set()));
    const timer = setTimeout(() => done(), ms);
    const done = () => {
      clearTimeout(timer);
      waiters.get(workspaceId)?.delete(done);
      req.socket.off('close', done);
      wake();
    };
    set.add(done);
    req.socket.once('close', done);
    return { promise, cancel: done };
  }

  /** Ends the workspace's long-polls now: their desks learn of an unpairing or a new primary desk at once. */
  function wakeWorkspace(workspaceId: string): void {
    const set = waiters.get(workspaceId);
    waiters.delete(workspaceId);
    for (const wake of set ?? []) wake();
  }

  async function pull(desk: DeskRecord, query: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const after = Number(query.get('after') ?? desk.ackedSeq);
    const wait = Math.min(Number(query.get('wait') ?? 0), maxLongPollMs);
    const limit = Math.min(Number(query.get('limit') ?? maxEventsPerPull), maxEventsPerPull);
    if (!Number.isInteger(after) || after < 0 || !Number.isFinite(wait) || wait < 0 || !Number.isInteger(limit) || limit < 1) {
      throw new HttpError(400, 'invalid_request', 'after, wait and limit must be non-negative integers');
    }
    // Registered before reading, so a commit between the read and the wait still wakes this request.
    const waiting = wait > 0 ? waitForEvents(desk.workspaceId, wait, req) : null;
    let events = await store.readEvents(desk.workspaceId, after, limit);
    // A desk that still believes it is (or is not) primary hears otherwise at once, not after a quiet long-poll.
    const believesPrimary = query.get('primary');
    const primaryChanged = believesPrimary !== null && (believesPrimary === '1') !== desk.primary;
    if (events.length === 0 && waiting && !primaryChanged) {
      await waiting.promise;
      if (req.socket.destroyed) return;
      if (shuttingDown) res.setHeader('Connection', 'close');
      // The desk may have been unpaired (or made primary or not) while it waited.
      const current = await store.getDesk(desk.id);
      if (!current) throw new HttpError(401, 'unauthorized', 'This desk is not paired with the relay');
      desk = current;
      events = await store.readEvents(desk.workspaceId, after, limit);
    } else {
      waiting?.cancel();
    }
    events = withinResponseBudget(events);
    const ws = await store.getWorkspace(desk.workspaceId);
    void store.touchDesk(desk.id, now()).catch(() => undefined);
    sendJson(res, 200, {
      events: events.map((e) => ({ seq: e.seq, kind: e.kind, fromDeskId: e.fromDeskId, receivedAt: e.receivedAt, sealed: Buffer.from(e.sealed).toString('base64url') })),
      lastSeq: ws?.lastSeq ?? 0,
      primary: desk.primary,
    });
  }

  async function status(desk: DeskRecord, res: ServerResponse): Promise<void> {
    const [ws, desks] = await Promise.all([store.getWorkspace(desk.workspaceId), store.listDesks(desk.workspaceId)]);
    const lastSeq = ws?.lastSeq ?? 0;
    sendJson(res, 200, {
      workspaceId: desk.workspaceId,
      deskId: desk.id,
      primary: desk.primary,
      lastSeq,
      backlog: Math.max(0, lastSeq - desk.ackedSeq),
      desks: desks.map((d) => ({ id: d.id, name: d.name, primary: d.primary, ackedSeq: d.ackedSeq, pairedAt: d.pairedAt, lastSeenAt: d.lastSeenAt })),
    });
  }

  async function pair(req: IncomingMessage, res: ServerResponse, source: string): Promise<void> {
    if (!pairing.take(source)) throw new HttpError(429, 'rate_limited', 'Too many pairing attempts; wait a minute', { 'Retry-After': '60' });
    const input = await json(req, pairRequestSchema);
    const code = normalisePairingCode(input.code);
    if (!code) refuse(source, new HttpError(403, 'pairing_code_invalid', 'This pairing code is not valid (ask the relay’s operator for a new one)'));
    const deskId = newId();
    const token = newDeskToken(deskId);
    const result = await store.pairDesk({
      codeHash: sha256(code!),
      publicKey: Buffer.from(input.publicKey, 'base64url'),
      desk: { id: deskId, name: input.deskName, tokenHash: sha256(token), pairedAt: now() },
    });
    if (result.kind === 'invalid_code') refuse(source, new HttpError(403, 'pairing_code_invalid', 'This pairing code is not valid or was already used (ask the relay’s operator for a new one)'));
    if (result.kind === 'key_mismatch') throw new HttpError(409, 'workspace_key_mismatch', 'Another desk already paired this workspace: link this desk from it instead');
    if (result.kind !== 'paired') return;
    workspaceCache.delete(result.workspace.id);
    logger.info('Desk paired', { workspace: result.workspace.id, desk: deskId, primary: result.desk.primary });
    sendJson(res, 200, { workspaceId: result.workspace.id, deskId, token, primary: result.desk.primary });
  }

  async function postDeskMessage(desk: DeskRecord, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const input = await json(req, deskMessageRequestSchema);
    const pending: PendingEvent = { event: { workspaceId: desk.workspaceId, kind: 'desk', fromDeskId: desk.id, receivedAt: now(), sealed: Buffer.from(input.sealed, 'base64url') } };
    await committer.submit(pending);
    sendJson(res, 200, { seq: pending.seq });
  }

  async function createLink(req: IncomingMessage, res: ServerResponse, source: string): Promise<void> {
    if (!pairing.take(source)) throw new HttpError(429, 'rate_limited', 'Too many link requests; wait a minute', { 'Retry-After': '60' });
    const input = await json(req, linkRequestSchema);
    const id = newId();
    const secret = newId() + newId();
    const { code, display } = newLinkCode();
    const createdAt = now();
    await store.createLink({
      id,
      codeHash: sha256(code),
      secretHash: sha256(secret),
      publicKey: Buffer.from(input.publicKey, 'base64url'),
      deskName: input.deskName,
      createdAt,
      expiresAt: createdAt + linkLifetimeMs,
    });
    sendJson(res, 200, { linkId: id, code: display, secret, expiresAt: createdAt + linkLifetimeMs });
  }

  async function collectLink(linkId: string, query: URLSearchParams, req: IncomingMessage, res: ServerResponse, source: string): Promise<void> {
    const secret = req.headers['x-link-secret'];
    if (typeof secret !== 'string' || secret === '') refuse(source, new HttpError(401, 'unauthorized', 'The link secret is missing'));
    const wait = Math.min(Number(query.get('wait') ?? 0) || 0, maxLongPollMs);
    const until = performance.now() + wait;
    for (;;) {
      const deskId = newId();
      const token = newDeskToken(deskId);
      const link = await store.getLink(linkId);
      const result = await store.collectLink(linkId, sha256(secret as string), { id: deskId, name: link?.deskName ?? 'Desk', tokenHash: sha256(token), pairedAt: now() }, now());
      if (result.kind === 'gone') refuse(source, new HttpError(404, 'link_not_found', 'This link request expired or was already used'));
      if (result.kind === 'collected') {
        logger.info('Desk linked', { workspace: result.desk.workspaceId, desk: deskId });
        sendJson(res, 200, { status: 'approved', workspaceId: result.desk.workspaceId, deskId, token, sealedKeys: Buffer.from(result.link.sealedKeys!).toString('base64url') });
        return;
      }
      // Approval may come through another relay instance: look again shortly rather than wait for a signal.
      if (performance.now() >= until || req.socket.destroyed) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    sendJson(res, 200, { status: 'pending' });
  }

  async function linkByCode(desk: DeskRecord, rawCode: string, approve: boolean, req: IncomingMessage, res: ServerResponse, source: string): Promise<void> {
    const code = normaliseLinkCode(decodeSegment(rawCode) ?? '');
    const link = code ? await store.findLinkByCode(sha256(code), now()) : null;
    if (!link) refuse(source, new HttpError(404, 'link_not_found', 'No desk is waiting with this code (it expires after 10 minutes)'));
    if (!approve) {
      sendJson(res, 200, { deskName: link!.deskName, publicKey: Buffer.from(link!.publicKey).toString('base64url'), expiresAt: link!.expiresAt });
      return;
    }
    const input = await json(req, linkApproveSchema);
    const approved = await store.approveLink(link!.id, { workspaceId: desk.workspaceId, approvedBy: desk.id, sealedKeys: Buffer.from(input.sealedKeys, 'base64url') }, now());
    if (!approved) throw new HttpError(404, 'link_not_found', 'This link request expired or was already approved');
    logger.info('Desk link approved', { workspace: desk.workspaceId, by: desk.id });
    sendJson(res, 200, { approved: true });
  }

  async function deskApi(route: string, query: URLSearchParams, req: IncomingMessage, res: ServerResponse, source: string): Promise<void> {
    counts.deskRequests++;
    const method = req.method ?? 'GET';
    if (!failures.allows(source)) throw new HttpError(429, 'rate_limited', 'Too many refused requests; wait a minute', { 'Retry-After': '60' });
    if (route === '/pair' && method === 'POST') return pair(req, res, source);
    if (route === '/links' && method === 'POST') return createLink(req, res, source);
    const collect = /^\/links\/([A-Za-z0-9_-]{8,64})$/.exec(route);
    if (collect && method === 'GET') return collectLink(collect[1]!, query, req, res, source);

    const desk = await authenticate(req, source);
    if (route === '/events' && method === 'GET') return pull(desk, query, req, res);
    if (route === '/ack' && method === 'POST') {
      const input = await json(req, ackRequestSchema);
      await store.ack(desk.id, input.seq);
      const updated = await store.getDesk(desk.id);
      return sendJson(res, 200, { ackedSeq: updated?.ackedSeq ?? input.seq });
    }
    if (route === '/messages' && method === 'POST') return postDeskMessage(desk, req, res);
    if (route === '/status' && method === 'GET') return status(desk, res);
    if (route === '/primary' && method === 'POST') {
      await store.setPrimary(desk.id);
      wakeWorkspace(desk.workspaceId);
      logger.info('Primary desk changed', { workspace: desk.workspaceId, desk: desk.id });
      return status({ ...desk, primary: true }, res);
    }
    const byCode = /^\/links\/by-code\/([^/]+)(\/approve)?$/.exec(route);
    if (byCode && method === (byCode[2] ? 'POST' : 'GET')) return linkByCode(desk, byCode[1]!, Boolean(byCode[2]), req, res, source);
    const unpair = /^\/desks\/([A-Za-z0-9_-]{8,64})$/.exec(route);
    if (unpair && method === 'DELETE') {
      const target = await store.getDesk(unpair[1]!);
      if (!target || target.workspaceId !== desk.workspaceId) throw new HttpError(404, 'not_found', 'No such desk in this workspace');
      await store.removeDesk(target.id);
      wakeWorkspace(desk.workspaceId);
      logger.info('Desk unpaired', { workspace: desk.workspaceId, desk: target.id, by: desk.id });
      return sendJson(res, 200, { removed: true });
    }
    throw new HttpError(404, 'not_found', 'No such endpoint');
  }

  let eventStats: { value: { events: number; bytes: number }; until: number } | null = null;
  async function health(res: ServerResponse): Promise<void> {
    try {
      if (!eventStats || eventStats.until < performance.now()) eventStats = { value: await store.eventStats(), until: performance.now() + 5_000 };
      sendJson(res, 200, { ok: true, events: eventStats.value.events, uptimeSeconds: Math.round((now() - startedAt) / 1000) });
    } catch {
      sendJson(res, 503, { ok: false, events: 0, uptimeSeconds: Math.round((now() - startedAt) / 1000) });
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    const path = queryAt < 0 ? target : target.slice(0, queryAt);
    const query = new URLSearchParams(queryAt < 0 ? '' : target.slice(queryAt + 1));
    const source = sourceOf(req);
    // Closing: every answer from now on ends its connection, so keep-alive clients cannot hold the close up.
    if (shuttingDown) res.setHeader('Connection', 'close');

    if (path.startsWith(relayMetaPrefix)) {
      const id = decodeSegment(path.slice(relayMetaPrefix.length));
      const ws = id === null ? null : await workspace(id);
      if (req.method === 'GET') return verification(ws, query, res, source);
      if (req.method === 'POST') return metaDelivery(ws, req, res, source);
      sendText(res, 405, 'Method Not Allowed', { Allow: 'GET, POST' });
      return;
    }
    if (path === '/healthz' && req.method === 'GET') return health(res);
    if (path.startsWith(`${relayApiPrefix}/`)) {
      try {
        await deskApi(path.slice(relayApiPrefix.length), query, req, res, source);
      } catch (error) {
        counts.deskRefused++;
        if (error instanceof HttpError) {
          if (error.status >= 500 || error.status === 401) logger.warn('Desk request refused', { code: error.code, status: error.status });
          sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
          return;
        }
        throw error;
      }
      return;
    }
    sendText(res, 404, 'Not Found');
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('Request failed', { error: error instanceof Error ? error.message : String(error) });
      if (req.url?.startsWith(relayApiPrefix)) sendJson(res, 500, { error: { code: 'internal', message: 'The relay failed; try again' } });
      else sendText(res, 500, 'Internal Server Error');
    });
  });
  // Meta gives up after ~20 s; a long-poll lasts at most 30 s.
  server.requestTimeout = maxLongPollMs + 15_000;
  server.headersTimeout = 15_000;
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.listen.port, config.listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger.error('Relay server error', { error: error.message }));
  const port = (server.address() as AddressInfo).port;
  const host = config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host;

  const retentionMs = config.retentionDays * 24 * 60 * 60_000;
  const prune = async () => {
    try {
      const removed = await store.prune(now() - retentionMs);
      const links = await store.pruneLinks(now());
      if (removed > 0 || links > 0) logger.info('Pruned', { events: removed, links });
    } catch (error) {
      logger.error('Pruning failed', { error: error instanceof Error ? error.message : String(error) });
    }
  };
  const pruneTimer = setInterval(() => void prune(), pruneEveryMs);
  pruneTimer.unref();
  logger.info('Relay listening', { host: config.listen.host, port });

  let closing: Promise<void> | undefined;
  return {
    port,
    url: `http://${host}:${port}`,
    counters: () => ({ ...counts, metaRefused: { ...counts.metaRefused } }),
    commitStats: () => committer.stats(),
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        clearInterval(pruneTimer);
        unsubscribe();
        for (const set of waiters.values()) for (const wake of set) wake();
        // Woken long-polls answer a moment later: their keep-alive connections are closed as they fall idle.
        const sweep = setInterval(() => server.closeIdleConnections(), 20);
        // Whatever still holds a connection after a grace period (a client that stopped reading) is cut off.
        const deadline = setTimeout(() => server.closeAllConnections(), 2_000);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        clearInterval(sweep);
        clearTimeout(deadline);
        await committer.close();
      })();
      return closing;
    },
  };
}
