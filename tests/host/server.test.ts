import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../shared/security/csp';
import { closed, connectedSocket, handshake, openSocket, rawRequest, signIn, startTestHost } from './helpers';
import type { TestHost } from './helpers';
import { encodeFrame } from './protocol';

describe('preview host: the one-time token and the session cookie', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost();
  });
  afterAll(() => host.close());

  it('prints a URL on 127.0.0.1 with a 32-byte base64url token', () => {
    const url = new URL(host.url);
    expect(url.origin).toBe(host.origin);
    expect(host.origin).toBe(`http://127.0.0.1:${host.port}`);
    expect(url.pathname).toBe('/');
    expect(url.searchParams.get('token')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses everything before the token is used', async () => {
    for (const path of ['/', '/index.html', '/bridge.js', '/assets/fixture.js', '/media/abc', '/bridge']) {
      const response = await rawRequest(host.origin, path);
      expect(response.status, path).toBe(401);
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
      expect(response.body).toContain('npm run preview');
    }
  });

  it('turns the token into an HttpOnly SameSite=Strict cookie and redirects to / without it, once', async () => {
    const url = new URL(host.url);
    const wrong = await rawRequest(host.origin, '/?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(wrong.status).toBe(401);

    const head = await rawRequest(host.origin, `/${url.search}`, { method: 'HEAD' });
    expect(head.status).toBe(401);

    const first = await rawRequest(host.origin, `/${url.search}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const setCookie = first.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(new RegExp(`^frontdesk_session_${host.port}=[A-Za-z0-9_-]{43}; `));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    const cookie = setCookie.split(';')[0]!;

    const page = await rawRequest(host.origin, '/', { headers: { cookie } });
    expect(page.status).toBe(200);

    // Spent: the same URL without the cookie is refused now...
    const again = await rawRequest(host.origin, `/${url.search}`);
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
    // ...and with the cookie it only drops the token from the address bar.
    const withCookie = await rawRequest(host.origin, `/${url.search}`, { headers: { cookie } });
    expect(withCookie.status).toBe(303);
    expect(withCookie.headers['set-cookie']).toBeUndefined();

    // A made-up or stale cookie is no session.
    const forged = await rawRequest(host.origin, '/', { headers: { cookie: `frontdesk_session_${host.port}=${'x'.repeat(43)}` } });
    expect(forged.status).toBe(401);
  });
});

describe('preview host: serving the renderer', () => {
  let host: TestHost;
  let cookie: string;
  beforeAll(async () => {
    host = await startTestHost();
    cookie = await signIn(host);
  });
  afterAll(() => host.close());

  it('serves index.html with the bridge before the first script and the security headers', async () => {
    const response = await rawRequest(host.origin, '/', { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(contentSecurityPolicy);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['cross-origin-opener-policy']).toBe('same-origin');
    const bridgeAt = response.body.indexOf('<script src="/bridge.js"></script>');
    const appAt = response.body.indexOf('<script type="module"');
    expect(bridgeAt).toBeGreaterThan(0);
    expect(bridgeAt).toBeLessThan(appAt);
    expect(response.body.match(/bridge\.js/g)).toHaveLength(1);

    const index = await rawRequest(host.origin, '/index.html', { headers: { cookie } });
    expect(index.body).toContain('<script src="/bridge.js"></script>');
  });

  it('serves /bridge.js as a same-origin script that installs window.frontdesk', async () => {
    const response = await rawRequest(host.origin, '/bridge.js', { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(response.body).toContain('frontdesk');
    expect(response.body).toContain('/bridge');
  });

  it('gives each file its content type', async () => {
    const js = await rawRequest(host.origin, '/assets/fixture.js', { headers: { cookie } });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const css = await rawRequest(host.origin, '/assets/fixture.css', { headers: { cookie } });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const head = await rawRequest(host.origin, '/assets/fixture.css', { method: 'HEAD', headers: { cookie } });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const missing = await rawRequest(host.origin, '/assets/nothing.js', { headers: { cookie } });
    expect(missing.status).toBe(404);
  });

  it('refuses path traversal in every spelling', async () => {
    const attempts = [
      '/../package.json',
      '/assets/../../package.json',
      '/%2e%2e/package.json',
      '/assets/%2E%2E%2F%2E%2E%2Fpackage.json',
      '/..%2fpackage.json',
      '/assets/..%5c..%5cpackage.json',
      '/%00index.html',
      '/%E0%A4%A',
      '//etc/passwd',
      '/.git/config',
    ];
    for (const path of attempts) {
      const response = await rawRequest(host.origin, path, { headers: { cookie } });
      expect([400, 404], path).toContain(response.status);
      expect(response.body, path).not.toContain('"name": "frontdesk"');
    }
  });

  it('answers only GET and HEAD for pages, and only for its own Host', async () => {
    const post = await rawRequest(host.origin, '/', { method: 'POST', headers: { cookie } });
    expect(post.status).toBe(405);
    const rebound = await rawRequest(host.origin, '/', { headers: { cookie, host: `evil.example:${host.port}` } });
    expect(rebound.status).toBe(421);
  });

  it('refuses another origin loading its scripts, fetching or framing it (Fetch Metadata)', async () => {
    const crossSite = await rawRequest(host.origin, '/bridge.js', {
      headers: { cookie, 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'script' },
    });
    expect(crossSite.status).toBe(403);
    const framed = await rawRequest(host.origin, '/', {
      headers: { cookie, 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'iframe' },
    });
    expect(framed.status).toBe(403);
    const fetched = await rawRequest(host.origin, '/', { headers: { cookie, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' } });
    expect(fetched.status).toBe(403);
    // A top-level navigation from elsewhere is fine (a link to the printed URL, say).
    const navigated = await rawRequest(host.origin, '/', {
      headers: { cookie, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' },
    });
    expect(navigated.status).toBe(200);
    const own = await rawRequest(host.origin, '/bridge.js', {
      headers: { cookie, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'script' },
    });
    expect(own.status).toBe(200);
  });
});

describe('preview host: the WebSocket bridge', () => {
  let host: TestHost;
  let cookie: string;
  beforeAll(async () => {
    host = await startTestHost();
    cookie = await signIn(host);
  });
  afterAll(() => host.close());

  it('refuses a handshake without the session cookie', async () => {
    expect(await handshake(openSocket(host, { origin: host.origin }))).toBe(401);
    expect(await handshake(openSocket(host, { origin: host.origin, cookie: `frontdesk_session_${host.port}=nope` }))).toBe(401);
  });

  it('refuses a handshake from any other origin, even with the cookie', async () => {
    for (const origin of ['http://evil.example', `http://localhost:${host.port}`, `http://127.0.0.1:${host.port + 1}`, 'null', `https://127.0.0.1:${host.port}`]) {
      expect(await handshake(openSocket(host, { cookie, origin })), origin).toBe(403);
    }
    expect(await handshake(openSocket(host, { cookie }))).toBe(403);
    expect(host.bridge.connections).toBe(0);
  });

  it('answers app:info with transport preview, and pushes app:tick', async () => {
    const client = await connectedSocket(host, cookie);
    const info = await client.request('app:info');
    expect(info.result).toEqual({
      ok: true,
      value: { name: 'Frontdesk', version: expect.any(String), platform: expect.any(String), transport: 'preview' },
    });
    const tick = await client.next<{ event: string; payload: { seq: number; at: number } }>(
      (frame) => (frame as { event?: string }).event === 'app:tick',
    );
    expect(tick.payload.seq).toBeGreaterThanOrEqual(0);
    expect(tick.payload.at).toBeGreaterThan(0);
    client.socket.close();
  });

  it('returns invalid_request for payloads core refuses, and unknown_channel for made-up channels', async () => {
    const client = await connectedSocket(host, cookie);
    const badPing = await client.request('app:ping', { message: 5 });
    expect(badPing.result.ok).toBe(false);
    expect(badPing.result.error?.code).toBe('invalid_request');
    const extra = await client.request('app:ping', { message: 'hi', extra: true });
    expect(extra.result.error?.code).toBe('invalid_request');
    const infoWithPayload = await client.request('app:info', { anything: 1 });
    expect(infoWithPayload.result.error?.code).toBe('invalid_request');
    const unknown = await client.request('no:such', {});
    expect(unknown.result.error?.code).toBe('unknown_channel');
    const good = await client.request('app:ping', { message: 'hi' });
    expect(good.result).toEqual({ ok: true, value: { message: 'hi', at: expect.any(Number) } });
    client.socket.close();
  });

  it('ignores garbage frames without crashing, and keeps answering', async () => {
    const client = await connectedSocket(host, cookie);
    const before = host.bridge.badFrames;
    const garbage = [
      'not json',
      '{"id":',
      '[]',
      'null',
      '42',
      '"text"',
      '{}',
      '{"id":-1,"channel":"app:info"}',
      '{"id":1.5,"channel":"app:info"}',
      '{"id":"1","channel":"app:info"}',
      '{"id":1,"channel":7}',
      `{"id":1,"channel":"${'x'.repeat(500)}"}`,
      '{"id":1,"channel":"app:ping","payload":{"$bytes":"!!!"}}',
      '{"__proto__":{"polluted":true},"id":2}',
    ];
    for (const frame of garbage) client.socket.send(frame);
    client.socket.send(Buffer.from([0, 1, 2, 3]), { binary: true });
    const after = await client.request('app:info');
    expect(after.result.ok).toBe(true);
    expect(host.bridge.badFrames - before).toBe(garbage.length + 1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(host.logger.entries.some((entry) => entry.message === 'Ignored a bad bridge frame')).toBe(true);
    client.socket.close();
  });

  it('closes a socket that sends an oversized frame, and stays up', async () => {
    const small = await startTestHost({ maxPayload: 1024 });
    try {
      const smallCookie = await signIn(small);
      const client = await connectedSocket(small, smallCookie);
      client.socket.send(encodeFrame({ id: 1, channel: 'app:ping', payload: { message: 'x'.repeat(4096) } }));
      expect(await closed(client.socket)).toBe(1009);
      const again = await connectedSocket(small, smallCookie);
      expect((await again.request('app:info')).result.ok).toBe(true);
      again.socket.close();
    } finally {
      await small.close();
    }
  });

  it('sends every core event to every connected page', async () => {
    const a = await connectedSocket(host, cookie);
    const b = await connectedSocket(host, cookie);
    host.ports.events.emit('app:tick', { at: 1, seq: 999_999 });
    const isMarker = (frame: unknown) => (frame as { payload?: { seq?: number } }).payload?.seq === 999_999;
    await expect(a.next(isMarker)).resolves.toEqual({ event: 'app:tick', payload: { at: 1, seq: 999_999 } });
    await expect(b.next(isMarker)).resolves.toEqual({ event: 'app:tick', payload: { at: 1, seq: 999_999 } });
    a.socket.close();
    b.socket.close();
  });
});

describe('preview host: lifecycle', () => {
  it('removes the temp data dir it made, keeps one it was given, and refuses a missing renderer', async () => {
    const { existsSync, mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const own = await startTestHost();
    expect(existsSync(own.dataDir)).toBe(true);
    await own.close();
    expect(existsSync(own.dataDir)).toBe(false);

    const given = mkdtempSync(join(tmpdir(), 'frontdesk-host-test-'));
    try {
      const host = await startTestHost({ dataDir: given });
      await host.close();
      await host.close();
      expect(existsSync(given)).toBe(true);
    } finally {
      rmSync(given, { recursive: true, force: true });
    }

    await expect(startTestHost({ rendererDir: join(tmpdir(), 'frontdesk-no-such-renderer') })).rejects.toThrow(/vite build --mode preview/);
  });

  it('closes open sockets and stops answering on close', async () => {
    const host = await startTestHost();
    const cookie = await signIn(host);
    const client = await connectedSocket(host, cookie);
    const closing = closed(client.socket);
    await host.close();
    await closing;
    await expect(rawRequest(host.origin, '/', { headers: { cookie } })).rejects.toThrow();
  });
});
