import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Meta's webhook signature (REFERENCE §1.3): `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`.
 * Always over the exact bytes received — never over a re-serialised body, which changes Meta's `\uXXXX`
 * escapes and breaks the signature.
 */
export const signatureHeader = 'x-hub-signature-256';

export type SignatureCheck = 'ok' | 'missing' | 'malformed' | 'mismatch';

const headerPattern = /^sha256=([0-9a-f]{64})$/i;

/** The header value Meta would send for `body`. */
export function signBody(body: Uint8Array | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/** The 32 digest bytes of a well-formed header, or null (absent, repeated, wrong prefix or length). */
export function parseSignature(header: string | string[] | undefined | null): Buffer | null {
  if (typeof header !== 'string') return null;
  const match = headerPattern.exec(header.trim());
  return match ? Buffer.from(match[1]!, 'hex') : null;
}

/** Checks `header` against the HMAC of the raw `body`, in constant time. */
export function checkSignature(body: Uint8Array, header: string | string[] | undefined | null, appSecret: string): SignatureCheck {
  if (header === undefined || header === null || header === '') return 'missing';
  const claimed = parseSignature(header);
  if (!claimed) return 'malformed';
  const actual = createHmac('sha256', appSecret).update(body).digest();
  return timingSafeEqual(actual, claimed) ? 'ok' : 'mismatch';
}

/**
 * Compares two secrets (the verify token) without leaking where they differ or their lengths: both are
 * hashed first, so the compared buffers always have the same length.
 */
export function secretsEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}
