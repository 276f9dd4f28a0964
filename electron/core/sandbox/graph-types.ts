/** Types shared by the sandbox Graph server's modules. */
import type { IncomingHttpHeaders } from 'node:http';
import type { SendMessageRequest } from '../cloud/graph-send-schemas';
import type { ClockPort } from '../ports';
import type { SandboxRandom } from './graph-ids';
import type { MetaErrorSpec } from './graph-meta-errors';

export interface SandboxRequest {
  method: string;
  /** The Graph version of the URL (`v25.0`), or undefined for an unversioned call. */
  version: string | undefined;
  /** Path segments after the version: `['123', 'messages']`. */
  segments: string[];
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface SandboxReply {
  status: number;
  json?: unknown;
  bytes?: Uint8Array;
  contentType?: string;
}

/** The async failure Meta reports later in a `failed` status webhook (`statuses[].errors[0]`). */
export interface SandboxStatusError {
  code: number;
  title: string;
  message: string;
  error_data: { details: string };
  href: string;
}

/** A message the sandbox accepted (answered with a wamid). */
export interface SandboxSentMessage {
  wamid: string;
  /** `to` as the client sent it, or the BSUID in `recipient`. */
  input: string;
  /** Digits of the phone number; undefined when sent to a BSUID only. */
  waId: string | undefined;
  userId: string | undefined;
  type: SendMessageRequest['type'];
  /** `biz_opaque_callback_data`: status webhooks echo it. */
  clientId: string | undefined;
  acceptedAt: number;
  request: SendMessageRequest;
  /** Set when Meta accepts the message but it fails afterwards (e.g. 131047 outside the window). */
  failure: SandboxStatusError | undefined;
}

export interface SandboxTemplate {
  id: string;
  name: string;
  language: string;
  category: string;
  subCategory: string | undefined;
  parameterFormat: 'POSITIONAL' | 'NAMED';
  components: Array<Record<string, unknown> & { type: string }>;
  status: string;
  rejectedReason: string | undefined;
}

export interface StoredMedia {
  id: string;
  bytes: Uint8Array;
  mimeType: string;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  fileName: string | undefined;
}

export interface StoredUpload {
  sessionId: string;
  sig: string;
  fileName: string;
  fileType: string;
  length: number;
  chunks: Buffer[];
  offset: number;
  handle: string | undefined;
}

/** What every route module gets: the configuration, the clock, the ids and a way to answer errors. */
export interface SandboxContext {
  clock: ClockPort;
  random: SandboxRandom;
  phoneNumberId: string;
  wabaId: string;
  appId: string;
  baseUrl(): string;
  /** A Graph error answer with a fresh fbtrace id. */
  error(status: number, spec: MetaErrorSpec): SandboxReply;
  ok(json: unknown): SandboxReply;
  /** The handles of completed resumable uploads. */
  uploadsByHandle: Map<string, StoredUpload>;
}

export type RouteHandler = (request: SandboxRequest) => SandboxReply | Promise<SandboxReply>;

/** Reads a comma-separated `fields` parameter. */
export function requestedFields(request: SandboxRequest, defaults: readonly string[]): string[] {
  const raw = request.query.get('fields');
  if (!raw) return [...defaults];
  return raw
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
}

export function parseJsonBody(request: SandboxRequest): { ok: true; value: unknown } | { ok: false } {
  if (request.body.length === 0) return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(request.body.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}
