import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** 32 random bytes, base64url: the one-time URL token, the session id, the test-controls token. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant time whatever the lengths: both sides are hashed to the same size first. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/** Reads one cookie from a request's Cookie header(s); undefined when absent. */
export function readCookie(request: IncomingMessage, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The host's one browser session. The printed URL carries a one-time token; exchanging it sets the session
 * cookie, after which the token is spent. There is only ever one session: whoever opened the URL first.
 */
export class PreviewAuth {
  private urlToken: string | null = randomToken();
  private sessionId: string | null = null;

  /**
   * Cookies ignore ports, so every host on 127.0.0.1 shares one cookie jar: the port in the name keeps two
   * hosts (two terminals, parallel tests) from overwriting each other's session.
   */
  constructor(readonly cookieName: string) {}

  /** The token for the printed URL; null once spent. */
  get pendingToken(): string | null {
    return this.urlToken;
  }

  /** Spends the URL token: returns the Set-Cookie value for the new session, or null when the token is wrong or spent. */
  exchange(token: string): string | null {
    if (this.urlToken === null || !tokensEqual(token, this.urlToken)) return null;
    this.urlToken = null;
    this.sessionId = randomToken();
    return `${this.cookieName}=${this.sessionId}; HttpOnly; SameSite=Strict; Path=/`;
  }

  hasSession(request: IncomingMessage): boolean {
    const given = readCookie(request, this.cookieName);
    return given !== undefined && this.sessionId !== null && tokensEqual(given, this.sessionId);
  }
}
