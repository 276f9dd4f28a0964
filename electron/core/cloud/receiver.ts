/**
 * The direct webhook receiver (issue 4 item 3; REFERENCE §1; PRODUCT §14): plain node:http on the configured
 * host and port, behind the business's own tunnel or reverse proxy.
 *
 * - GET  <path>?hub.mode=subscribe&hub.verify_token=…&hub.challenge=… → 200 with the raw challenge, else 403.
 * - POST <path>: the raw bytes (limit → 413), `X-Hub-Signature-256` HMAC over exactly those bytes with the app
 *   secret in constant time (→ 401), JSON (→ 400), then the body goes to the sink and 200 is answered only
 *   once the sink says it is durable (a failed commit → 500, and Meta retries).
 * - Anything else → 404 (other paths) or 405 (other methods).
 *
 * The sink can be swapped while running (`setSink`): the spool while the archive is closed, the archive's
 * group commit once it is unlocked; the port, and so Meta's callback URL, stays the same.
 * Bodies and secrets are never logged.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../logger';
import type { ClockPort, LoggerPort } from '../ports';
import { checkSignature, parseSignature, secretsEqual, signatureHeader } from './signature';
import { isJsonObject, readBody } from './webhook-body';

/** One verified (or, in the keychain-less closed state, not yet verifiable) webhook body. */
export interface WebhookEvent {
  /** The raw request body, byte for byte. */
  body: Buffer;
  receivedAt: number;
  /** `X-Hub-Signature-256` as received. */
  signature: string;
  /** False when no app secret was at hand: the signature is checked later (at spool drain). */
  verified: boolean;
}

export interface WebhookSink {
  /** Resolves once the event survives a killed process and a power cut; rejects if it could not be stored. */
  store(event: WebhookEvent): Promise<void>;
  /**
   * True only for the closed-state spool without a keychain (DESIGN: Lock): it keeps bodies whose signature
   * cannot be checked yet. Every other sink gets verified bodies only.
   */
  readonly acceptsUnverified?: boolean;
}

export type RejectReason =
  | 'too_large'
  | 'signature_missing'
  | 'signature_malformed'
  | 'signature_mismatch'
  | 'malformed_json'
  | 'no_app_secret'
  | 'store_failed'
  | 'aborted';

export interface ReceiverCounters {
  /** Webhook POSTs on the callback path. */
  received: number;
  /** Answered 200 after the sink made them durable. */
  accepted: number;
  /** Of the accepted ones, how many were stored unverified (closed, no keychain). */
  acceptedUnverified: number;
  rejected: Record<RejectReason, number>;
  verification: { answered: number; refused: number };
  /** Requests to other paths or with other methods. */
  other: number;
}

export interface WebhookReceiverOptions {
  host?: string;
  /** 0 picks a free port (demo workspace, tests). */
  port?: number;
  /** The callback path Meta posts to (behind the tunnel). */
  path?: string;
  /** The verify token shown to copy into Meta's dashboard; a function reads the current one each time. */
  verifyToken: string | (() => string | null);
  /** The app secret, or null when none is at hand (closed without a keychain, or not set up yet). */
  appSecret: () => string | null;
  sink: WebhookSink;
  bodyLimitBytes?: number;
  clock: Pick<ClockPort, 'now'>;
  logger: LoggerPort;
}

export interface WebhookReceiver {
  readonly host: string;
  readonly port: number;
  /** `http://host:port/path`, what the tunnel forwards to. */
  readonly url: string;
  counters(): ReceiverCounters;
  setSink(sink: WebhookSink): void;
  /** Stops accepting; requests already being handled finish (and are answered) first. */
  close(): Promise<void>;
}

/**
 * Meta documents payloads of up to 3 MB (REFERENCE §1.4): a smaller limit would answer 413 to a legitimate
 * batch forever, and Meta drops it after 7 days of retries. 4 MiB leaves room and still bounds memory.
 */
export const defaultBodyLimitBytes = 4 * 1024 * 1024;

const emptyRejections = (): Record<RejectReason, number> => ({
  too_large: 0,
  signature_missing: 0,
  signature_malformed: 0,
  signature_mismatch: 0,
  malformed_json: 0,
  no_app_secret: 0,
  store_failed: 0,
  aborted: 0,
});


function answer(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/webhook';
  const limit = options.bodyLimitBytes ?? defaultBodyLimitBytes;
  const log = createLogger(options.logger);
  const verifyToken = typeof options.verifyToken === 'function' ? options.verifyToken : () => options.verifyToken as string;
  let sink = options.sink;

  const counts = { received: 0, accepted: 0, acceptedUnverified: 0, rejected: emptyRejections(), verification: { answered: 0, refused: 0 }, other: 0 };

  const reject = (res: ServerResponse, reason: RejectReason, status: number, text: string, headers?: Record<string, string>) => {
    counts.rejected[reason]++;
    log.debug('Webhook refused', { reason, status });
    answer(res, status, text, headers);
  };

  function verification(query: URLSearchParams, res: ServerResponse): void {
    const mode = query.get('hub.mode');
    const token = query.get('hub.verify_token');
    const challenge = query.get('hub.challenge');
    const expected = verifyToken();
    if (mode === 'subscribe' && token !== null && expected && challenge !== null && secretsEqual(token, expected)) {
      counts.verification.answered++;
      answer(res, 200, challenge);
      return;
    }
    counts.verification.refused++;
    log.warn('Webhook verification refused', { mode: mode ?? 'none' });
    answer(res, 403, 'Forbidden');
  }

  async function delivery(req: IncomingMessage, res: ServerResponse): Promise<void> {
    counts.received++;
    const read = await readBody(req, limit);
    if (read.kind === 'aborted') {
      counts.rejected.aborted++;
      return;
    }
    if (read.kind === 'too_large') {
      // Answer at once and close the connection: the rest of the body is not read, so it cannot be reused.
      reject(res, 'too_large', 413, 'Payload Too Large', { Connection: 'close' });
      return;
    }
    const body = read.body;
    const header = req.headers[signatureHeader];
    const target = sink;
    const secret = options.appSecret();
    let verified = true;
    if (secret === null) {
      if (!target.acceptsUnverified) {
        // Not a wrong signature: this desk cannot check any yet. A 503 makes Meta retry later.
        reject(res, 'no_app_secret', 503, 'Service Unavailable', { 'Retry-After': '60' });
        return;
      }
      if (!header) return reject(res, 'signature_missing', 401, 'Unauthorized');
      if (!parseSignature(header)) return reject(res, 'signature_malformed', 401, 'Unauthorized');
      verified = false;
    } else {
      const check = checkSignature(body, header, secret);
      if (check !== 'ok') return reject(res, `signature_${check}`, 401, 'Unauthorized');
    }
    if (!isJsonObject(body)) return reject(res, 'malformed_json', 400, 'Bad Request');

    try {
      await target.store({ body, receivedAt: options.clock.now(), signature: header as string, verified });
    } catch (error) {
      counts.rejected.store_failed++;
      log.error('A webhook could not be stored; Meta will retry it', { error: error instanceof Error ? error.message : String(error) });
      answer(res, 500, 'Internal Server Error');
      return;
    }
    counts.accepted++;
    if (!verified) counts.acceptedUnverified++;
    answer(res, 200, 'OK');
  }

  const server: Server = createServer((req, res) => {
    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    if ((queryAt < 0 ? target : target.slice(0, queryAt)) !== path) {
      counts.other++;
      answer(res, 404, 'Not Found');
      return;
    }
    if (req.method === 'GET') {
      verification(new URLSearchParams(queryAt < 0 ? '' : target.slice(queryAt + 1)), res);
      return;
    }
    if (req.method !== 'POST') {
      counts.other++;
      answer(res, 405, 'Method Not Allowed', { Allow: 'GET, POST' });
      return;
    }
    delivery(req, res).catch((error: unknown) => {
      log.error('Webhook handler failed', { error: error instanceof Error ? error.message : String(error) });
      answer(res, 500, 'Internal Server Error');
    });
  });
  // Meta gives up on a request after ~20 s; a slow or stalled client is cut off soon after.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (error) => log.error('Webhook receiver error', { error: error.message }));
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  log.info('Webhook receiver listening', { host, port });

  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    url: `http://${urlHost}:${port}${path}`,
    counters: () => ({ ...counts, rejected: { ...counts.rejected }, verification: { ...counts.verification } }),
    setSink(next) {
      sink = next;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
