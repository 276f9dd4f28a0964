/**
 * The relay's desk API (issue 10; DESIGN: Messages in and out): what a desk and the relay say to each other,
 * validated with zod on both sides. Binary values travel as base64url. Errors are `{ error: { code, message } }`
 * with one of `relayErrorCodes`.
 *
 * Every event the relay stores is sealed (crypto_box_seal) to the workspace's X25519 public key, so the relay's
 * operator reads none of them; `sealed-envelope.ts` says what is inside.
 */
import { z } from 'zod';

export const relayApiPrefix = '/v1';
/** Meta's callback URL for a workspace is `<public URL>/meta/<workspace id>`. */
export const relayMetaPrefix = '/meta/';

/** The longest a desk's long-poll waits for new events. */
export const maxLongPollMs = 30_000;
/** The most events one pull returns. */
export const maxEventsPerPull = 500;

export const relayErrorCodes = [
  'invalid_request',
  'unauthorized',
  'pairing_code_invalid',
  'workspace_key_mismatch',
  'link_not_found',
  'not_found',
  'method_not_allowed',
  'too_large',
  'rate_limited',
  'workspace_not_ready',
  'unavailable',
  'internal',
] as const;
export type RelayErrorCode = (typeof relayErrorCodes)[number];

export const relayErrorSchema = z.object({ error: z.object({ code: z.enum(relayErrorCodes), message: z.string() }) });

/** Sealed webhooks reach the relay's 4 MiB body limit plus the envelope: 4/3 of that in base64url, with room. */
const base64url = z.string().regex(/^[A-Za-z0-9_-]*$/, 'base64url').max(8 * 1024 * 1024);
/** An X25519 public key: 32 bytes = 43 base64url characters. */
const publicKey = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a 32-byte public key in base64url');
const deskName = z.string().trim().min(1).max(80);
const id = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

export const pairRequestSchema = z.object({ code: z.string().trim().min(1).max(64), publicKey, deskName });
export const pairResponseSchema = z.object({ workspaceId: id, deskId: id, token: z.string().min(1), primary: z.boolean() });

export const relayEventSchema = z.object({
  seq: z.number().int().positive(),
  kind: z.enum(['meta', 'desk']),
  fromDeskId: id.nullable(),
  receivedAt: z.number(),
  sealed: base64url,
});
export const pullResponseSchema = z.object({
  events: z.array(relayEventSchema),
  lastSeq: z.number().int().nonnegative(),
  /** Whether the pulling desk is the workspace's primary desk now (it may change from another desk). */
  primary: z.boolean(),
});
export type RelayEvent = z.infer<typeof relayEventSchema>;

export const ackRequestSchema = z.object({ seq: z.number().int().nonnegative() });
export const ackResponseSchema = z.object({ ackedSeq: z.number().int().nonnegative() });

/** A desk posts a sealed copy of a message it sent, for the workspace's other desks. */
export const deskMessageRequestSchema = z.object({ sealed: base64url.min(1) });
export const deskMessageResponseSchema = z.object({ seq: z.number().int().positive() });

export const deskSummarySchema = z.object({
  id,
  name: z.string(),
  primary: z.boolean(),
  ackedSeq: z.number().int().nonnegative(),
  pairedAt: z.number(),
  lastSeenAt: z.number().nullable(),
});
export const statusResponseSchema = z.object({
  workspaceId: id,
  deskId: id,
  primary: z.boolean(),
  lastSeq: z.number().int().nonnegative(),
  /** Events this desk has not acknowledged yet. */
  backlog: z.number().int().nonnegative(),
  desks: z.array(deskSummarySchema),
});
export type RelayStatus = z.infer<typeof statusResponseSchema>;

/** A new desk asks to be linked: it shows `code`, and collects the result with `secret`. */
export const linkRequestSchema = z.object({ publicKey, deskName });
export const linkCreatedSchema = z.object({ linkId: id, code: z.string(), secret: z.string().min(1), expiresAt: z.number() });
export const linkPendingSchema = z.object({ deskName: z.string(), publicKey, expiresAt: z.number() });
export const linkApproveSchema = z.object({ sealedKeys: base64url.min(1) });
export const linkApprovedSchema = z.object({ approved: z.literal(true) });
export const unpairResponseSchema = z.object({ removed: z.boolean() });
export const linkCollectSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending') }),
  z.object({ status: z.literal('approved'), workspaceId: id, deskId: id, token: z.string().min(1), sealedKeys: base64url.min(1) }),
]);

export const healthResponseSchema = z.object({ ok: z.boolean(), events: z.number().int().nonnegative(), uptimeSeconds: z.number() });

/** Link codes are 8 digits shown as "1234 5678"; spaces and dashes typed with them are ignored. */
export function normaliseLinkCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{8}$/.test(digits) ? digits : null;
}

/** Pairing codes are 16 characters of Crockford base32 shown in groups of four; case, spaces and dashes are ignored. */
export function normalisePairingCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  return /^[0-9A-HJKMNP-TV-Z]{16}$/.test(code) ? code : null;
}
