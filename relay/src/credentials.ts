/**
 * The relay's own credentials: desk tokens (kept only as SHA-256 hashes), one-time pairing codes, link codes.
 * Comparisons go through hashes of equal length in constant time.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function sha256(text: string | Uint8Array): Buffer {
  return createHash('sha256').update(text).digest();
}

export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/** A desk's bearer token: `<desk id>.<32 random bytes>`; the id finds the desk, the whole token is checked. */
export function newDeskToken(deskId: string): string {
  return `${deskId}.${randomBytes(32).toString('base64url')}`;
}

export function deskIdOfToken(token: string): string | null {
  const dot = token.indexOf('.');
  return dot > 0 ? token.slice(0, dot) : null;
}

/** True when `token` hashes to `hash`, compared in constant time. */
export function tokenMatches(token: string, hash: Uint8Array): boolean {
  const actual = sha256(token);
  return hash.length === actual.length && timingSafeEqual(actual, hash);
}

/** 16 characters of Crockford base32 (80 bits), shown as four groups: what the operator gives the first desk. */
export function newPairingCode(): { code: string; display: string } {
  const bytes = randomBytes(16);
  const code = Array.from(bytes, (b) => crockford[b & 31]).join('');
  return { code, display: code.match(/.{4}/g)!.join('-') };
}

/** 8 digits, shown as "1234 5678" on the desk asking to be linked. */
export function newLinkCode(): { code: string; display: string } {
  const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
  return { code, display: `${code.slice(0, 4)} ${code.slice(4)}` };
}

/** The verify token pasted into Meta's dashboard with the callback URL. */
export function newVerifyToken(): string {
  return randomBytes(24).toString('base64url');
}
