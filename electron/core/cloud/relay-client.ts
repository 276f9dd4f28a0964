/**
 * The desk's HTTP client for the relay's API (shared/relay/protocol.ts). Every answer is validated with zod;
 * failures become AppErrors with the relay codes the renderer translates. The token is sent only as a bearer
 * header and never logged.
 */
import type { z } from 'zod';
import {
  ackResponseSchema,
  deskMessageResponseSchema,
  linkApprovedSchema,
  linkCollectSchema,
  linkCreatedSchema,
  linkPendingSchema,
  maxLongPollMs,
  pairResponseSchema,
  pullResponseSchema,
  relayApiPrefix,
  relayErrorSchema,
  statusResponseSchema,
  unpairResponseSchema,
} from '../../../shared/relay/protocol';
import type { RelayErrorCode, RelayStatus } from '../../../shared/relay/protocol';
import type { ErrorCode } from '../../../shared/ipc';
import { AppError } from '../errors';

export interface RelayClientOptions {
  /** The relay's base URL, e.g. https://relay.example.com */
  baseUrl: string;
  /** The desk's bearer token (absent before pairing or linking). */
  token?: () => string | null;
  /** Time limit of a request that does not long-poll. */
  timeoutMs?: number;
}

const relayCodeToAppCode: Partial<Record<RelayErrorCode, ErrorCode>> = {
  invalid_request: 'invalid_request',
  unauthorized: 'relay_unauthorized',
  pairing_code_invalid: 'relay_pairing_code_invalid',
  workspace_key_mismatch: 'relay_workspace_taken',
  link_not_found: 'relay_link_not_found',
};

/** The relay's base URL without a trailing slash. */
export function relayBase(url: string): string {
  return url.replace(/\/+$/, '');
}

export function createRelayClient(options: RelayClientOptions) {
  const base = relayBase(options.baseUrl);
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function call<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    schema: S,
    init: { body?: unknown; auth?: boolean; headers?: Record<string, string>; waitMs?: number; signal?: AbortSignal } = {},
  ): Promise<z.infer<S>> {
    const headers: Record<string, string> = { Accept: 'application/json', ...init.headers };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    if (init.auth !== false) {
      const token = options.token?.();
      if (!token) throw new AppError('relay_unauthorized', 'This desk is not paired with a relay');
      headers.Authorization = `Bearer ${token}`;
    }
    const timeout = AbortSignal.timeout(timeoutMs + (init.waitMs ?? 0));
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await fetch(`${base}${relayApiPrefix}${path}`, {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal,
      });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new AppError('relay_unreachable', `The relay did not answer: ${error instanceof Error ? error.message : String(error)}`);
    }
    let payload: unknown;
    try {
      payload = await response.json();
    } catch {
      throw new AppError('relay_unreachable', `The address answered HTTP ${response.status} without the relay's JSON: is it a Frontdesk relay?`);
    }
    if (!response.ok) {
      const parsed = relayErrorSchema.safeParse(payload);
      if (!parsed.success) throw new AppError('relay_unreachable', `The relay answered HTTP ${response.status}`);
      const retryAfter = Number(response.headers.get('retry-after'));
      throw new AppError(
        relayCodeToAppCode[parsed.data.error.code] ?? 'relay_rejected',
        parsed.data.error.message,
        undefined,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      );
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) throw new AppError('relay_unreachable', 'The relay answered in a form this desk does not understand (a different version?)');
    return parsed.data;
  }

  return {
    pair: (input: { code: string; publicKey: Uint8Array; deskName: string }) =>
      call('POST', '/pair', pairResponseSchema, { auth: false, body: { code: input.code, publicKey: Buffer.from(input.publicKey).toString('base64url'), deskName: input.deskName } }),
    /** Events after `after`; waits up to `waitMs` for the first one, unless this desk's primary role changed. */
    pull: (after: number, waitMs: number, believesPrimary: boolean, signal?: AbortSignal) =>
      call('GET', `/events?after=${after}&wait=${Math.min(waitMs, maxLongPollMs)}&primary=${believesPrimary ? 1 : 0}`, pullResponseSchema, { waitMs, signal }),
    ack: (seq: number) => call('POST', '/ack', ackResponseSchema, { body: { seq } }),
    postMessage: (sealed: Uint8Array, signal?: AbortSignal) =>
      call('POST', '/messages', deskMessageResponseSchema, { body: { sealed: Buffer.from(sealed).toString('base64url') }, signal }),
    status: (): Promise<RelayStatus> => call('GET', '/status', statusResponseSchema),
    becomePrimary: (): Promise<RelayStatus> => call('POST', '/primary', statusResponseSchema),
    unpair: (deskId: string) => call('DELETE', `/desks/${encodeURIComponent(deskId)}`, unpairResponseSchema),
    /** The new desk: asks to be linked; shows the returned code. */
    createLink: (input: { publicKey: Uint8Array; deskName: string }) =>
      call('POST', '/links', linkCreatedSchema, { auth: false, body: { publicKey: Buffer.from(input.publicKey).toString('base64url'), deskName: input.deskName } }),
    /** The new desk: waits up to `waitMs` for the approval. */
    collectLink: (linkId: string, secret: string, waitMs: number, signal?: AbortSignal) =>
      call('GET', `/links/${encodeURIComponent(linkId)}?wait=${Math.min(waitMs, maxLongPollMs)}`, linkCollectSchema, { auth: false, headers: { 'X-Link-Secret': secret }, waitMs, signal }),
    /** An existing desk: who is waiting with this code. */
    lookupLink: (code: string) => call('GET', `/links/by-code/${encodeURIComponent(code)}`, linkPendingSchema),
    approveLink: (code: string, sealedKeys: Uint8Array) =>
      call('POST', `/links/by-code/${encodeURIComponent(code)}/approve`, linkApprovedSchema, { body: { sealedKeys: Buffer.from(sealedKeys).toString('base64url') } }),
  };
}

export type RelayClient = ReturnType<typeof createRelayClient>;
