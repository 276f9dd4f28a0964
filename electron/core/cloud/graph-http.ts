/**
 * One Graph API call: token, time limit, Meta's error bodies, response validation. Everything that can go
 * wrong becomes a GraphError; nothing here throws anything else.
 *
 * The token is read from the accessor for every call (a new token takes effect at once), sent only in the
 * Authorization header (never in a URL, which could end up in a log) and never logged.
 */
import type { z } from 'zod';
import type { FieldIssue } from '../../../shared/ipc';
import type { LoggerPort } from '../ports';
import { GraphError, graphErrorFromMeta, localGraphError } from './graph-errors';
import { graphErrorBodySchema } from './graph-schemas';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface GraphTransportOptions {
  baseUrl: string;
  version: string;
  accessToken: () => string | null;
  timeoutMs: number;
  fetch: typeof fetch;
  logger?: LoggerPort;
}

export interface GraphCall<T> {
  method: HttpMethod;
  /** Below the version: `123/messages`, `upload:abc`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  /** A JSON body. */
  json?: unknown;
  /** Any other body (multipart form, raw bytes). */
  body?: RequestInit['body'];
  headers?: Record<string, string>;
  /** The resumable upload API's second step wants `OAuth`, everything else `Bearer`. */
  authScheme?: 'Bearer' | 'OAuth';
  schema: z.ZodType<T>;
  timeoutMs?: number;
}

export interface GraphTransport {
  call<T>(call: GraphCall<T>): Promise<T>;
  /** GET of a media URL with the token; bytes up to `maxBytes`. */
  download(url: string, options: { maxBytes: number; timeoutMs?: number }): Promise<{ bytes: Uint8Array; contentType: string | undefined }>;
  url(path: string, query?: GraphCall<unknown>['query']): URL;
}

// Errors from undici's connect phase: the request certainly never reached Meta.
const connectErrorCodes = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: unknown } | null)?.cause as { code?: unknown; errors?: Array<{ code?: unknown }> } | undefined;
  const code = cause?.code ?? cause?.errors?.[0]?.code ?? (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isTimeout(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'TimeoutError';
}

/**
 * A failure while the request or response was on the wire. `status` is set when response headers had
 * already arrived. A POST may have been carried out unless the connection never opened or Meta had
 * already answered with an error status.
 */
function wireError(error: unknown, method: HttpMethod, status: number | undefined): GraphError {
  const code = errorCode(error);
  const neverSent = code !== undefined && connectErrorCodes.has(code);
  const refused = status !== undefined && status >= 400;
  const maybeDelivered = method === 'POST' && !neverSent && !refused;
  const uncertain = 'the request may have gone through; wait for its status before sending again';
  if (isTimeout(error)) {
    const extra = maybeDelivered ? uncertain : 'it will be retried';
    return localGraphError('graph_timeout', { kind: 'timeout', retryable: !maybeDelivered, maybeDelivered, httpStatus: status, extra });
  }
  const extra = maybeDelivered ? uncertain : 'check the network; it will be retried';
  return localGraphError('graph_network', { kind: 'network', retryable: !maybeDelivered, maybeDelivered, httpStatus: status, extra, details: code });
}

function zodFields(error: z.ZodError): FieldIssue[] {
  return error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

export function createGraphTransport(options: GraphTransportOptions): GraphTransport {
  const base = options.baseUrl.replace(/\/+$/, '');

  function url(path: string, query?: GraphCall<unknown>['query']): URL {
    const target = new URL(`${base}/${options.version}/${path}`);
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) target.searchParams.set(key, String(value));
    return target;
  }

  function token(): string {
    const value = options.accessToken();
    if (!value) throw localGraphError('graph_no_token', { kind: 'auth', retryable: false });
    return value;
  }

  function log(method: HttpMethod, path: string, status: number | string, startedAt: number): void {
    // The path has ids only; query strings and bodies (customer words, tokens) are never logged.
    options.logger?.log('debug', 'graph call', { method, path, status, ms: Date.now() - startedAt });
  }

  /** A non-2xx answer: Meta's error body when there is one, else the HTTP status alone. */
  function errorFromAnswer(status: number, text: string): GraphError {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = graphErrorBodySchema.safeParse(json);
    if (parsed.success) return graphErrorFromMeta(parsed.data.error, status);
    const retryable = status >= 500 || status === 429 || status === 408;
    const kind = status === 401 ? 'auth' : status === 403 ? 'permission' : status === 429 ? 'throttle' : status >= 500 ? 'server' : 'invalid';
    return localGraphError('graph_http_error', { kind, retryable, httpStatus: status, extra: `HTTP ${status}` });
  }

  async function call<T>(request: GraphCall<T>): Promise<T> {
    const startedAt = Date.now();
    const headers: Record<string, string> = { Authorization: `${request.authScheme ?? 'Bearer'} ${token()}`, ...request.headers };
    let body = request.body;
    if (request.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(request.json);
    }
    const signal = AbortSignal.timeout(request.timeoutMs ?? options.timeoutMs);
    let response: Response;
    try {
      response = await options.fetch(url(request.path, request.query), { method: request.method, headers, body, signal });
    } catch (error) {
      log(request.method, request.path, 'failed', startedAt);
      throw wireError(error, request.method, undefined);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      log(request.method, request.path, response.status, startedAt);
      throw wireError(error, request.method, response.status);
    }
    log(request.method, request.path, response.status, startedAt);
    if (!response.ok) throw errorFromAnswer(response.status, text);

    // Meta accepted the request: from here on, a POST has been carried out whatever we make of the answer.
    const accepted = request.method === 'POST';
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw localGraphError('graph_bad_response', { kind: 'server', retryable: false, httpStatus: response.status, maybeDelivered: accepted, extra: 'not JSON' });
    }
    const parsed = request.schema.safeParse(json);
    if (!parsed.success) {
      throw localGraphError('graph_bad_response', {
        kind: 'server',
        retryable: false,
        httpStatus: response.status,
        maybeDelivered: accepted,
        fields: zodFields(parsed.error),
      });
    }
    return parsed.data;
  }

  async function download(target: string, limits: { maxBytes: number; timeoutMs?: number }) {
    const startedAt = Date.now();
    const signal = AbortSignal.timeout(limits.timeoutMs ?? options.timeoutMs);
    const tooLarge = () => localGraphError('graph_media_too_large', { kind: 'invalid', retryable: false, extra: `over ${limits.maxBytes} bytes` });
    let response: Response;
    try {
      response = await options.fetch(target, { method: 'GET', headers: { Authorization: `Bearer ${token()}` }, signal });
    } catch (error) {
      throw wireError(error, 'GET', undefined);
    }
    options.logger?.log('debug', 'graph media download', { status: response.status, ms: Date.now() - startedAt });
    if (!response.ok) {
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throw wireError(error, 'GET', response.status);
      }
      throw errorFromAnswer(response.status, text);
    }
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    // Count while reading: a missing or lying Content-Length must not let a huge file into memory.
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      if (response.body) {
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          size += value.byteLength;
          if (size > limits.maxBytes) {
            await reader.cancel().catch(() => undefined);
            throw tooLarge();
          }
          chunks.push(value);
        }
      }
    } catch (error) {
      if (error instanceof GraphError) throw error;
      throw wireError(error, 'GET', response.status);
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return { bytes, contentType: response.headers.get('content-type') ?? undefined };
  }

  return { call, download, url };
}
