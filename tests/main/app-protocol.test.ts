import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppRequestHandler, handleAppProtocol, registerAppScheme, resolveInside } from '../../electron/main/app-protocol';
import { contentSecurityPolicy } from '../../shared/security/csp';

// tmp/
//   secret.txt          ← outside the served root: must never be served
//   renderer/           ← the served root (dist/renderer in the app)
let tmp: string;
let root: string;
let handle: (request: Request) => Promise<Response>;
const get = (url: string, init?: RequestInit) => handle(new Request(url, init));

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'frontdesk-app-protocol-'));
  root = join(tmp, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Frontdesk</title>');
  writeFileSync(join(root, 'assets', 'app-1a2b.js'), 'console.log("app")');
  writeFileSync(join(root, 'assets', 'app-1a2b.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'inter.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
  writeFileSync(join(root, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(tmp, 'secret.txt'), 'TOP SECRET');
  handle = createAppRequestHandler(root);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the app:// protocol handler', () => {
  it('serves the app page with the CSP header', async () => {
    const response = await get('app://frontdesk/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Frontdesk</title>');
  });

  it('serves the page for the bare origin', async () => {
    const response = await get('app://frontdesk/');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Frontdesk</title>');
  });

  it.each([
    ['assets/app-1a2b.js', 'text/javascript; charset=utf-8'],
    ['assets/app-1a2b.css', 'text/css; charset=utf-8'],
    ['assets/inter.woff2', 'font/woff2'],
    ['assets/logo.svg', 'image/svg+xml'],
  ])('serves %s as %s, with the CSP header', async (path, type) => {
    const response = await get(`app://frontdesk/${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
  });

  it('serves binary files byte for byte', async () => {
    const response = await get('app://frontdesk/assets/inter.woff2');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array([0x77, 0x4f, 0x46, 0x32]));
  });

  it.each([
    'app://frontdesk/../../etc/passwd',
    'app://frontdesk/../secret.txt',
    'app://frontdesk/%2e%2e/secret.txt',
    'app://frontdesk/%2E%2E/%2e%2e/etc/passwd',
    'app://frontdesk/..%2fsecret.txt',
    'app://frontdesk/assets/..%2f..%2fsecret.txt',
    'app://frontdesk/%2e%2e%2fsecret.txt',
    'app://frontdesk/..%5csecret.txt',
    'app://frontdesk/assets%2f..%2f..%2fsecret.txt',
    'app://frontdesk/index.html%00.js',
    'app://frontdesk/%E0%A4%A',
  ])('refuses %s with a 404 that leaks nothing', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    const body = await response.text();
    expect(body).not.toContain('TOP SECRET');
    expect(body).not.toContain('root:');
  });

  it('answers 404 for missing files and for folders', async () => {
    expect((await get('app://frontdesk/missing.js')).status).toBe(404);
    expect((await get('app://frontdesk/assets')).status).toBe(404);
    expect((await get('app://frontdesk/assets/')).status).toBe(404);
  });

  it('serves only the frontdesk host', async () => {
    expect((await get('app://other/index.html')).status).toBe(404);
    expect((await get('app://frontdesk.other.example/index.html')).status).toBe(404);
    expect((await get('app://frontdesk:8080/index.html')).status).toBe(404);
  });

  it('serves only GET and HEAD', async () => {
    const post = await get('app://frontdesk/index.html', { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    const head = await get('app://frontdesk/index.html', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('resolveInside', () => {
  // Chromium normalises URLs before they reach the handler; this is the guard for whatever it does not.
  it.each(['/../secret.txt', '/assets/../../secret.txt', '/..', '/a/b/../../../secret.txt', '/..%2fsecret.txt', '/x\\..\\..\\secret.txt', '/a\0b'])(
    'refuses the raw path %j',
    (path) => {
      expect(resolveInside(root, path)).toBeNull();
    },
  );

  it('resolves paths inside the root', () => {
    expect(resolveInside(root, '/assets/app-1a2b.js')).toBe(join(root, 'assets', 'app-1a2b.js'));
    expect(resolveInside(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveInside(root, '/assets/x/../app-1a2b.js')).toBeNull();
  });
});

describe('registering the scheme', () => {
  it('grants app: the standard, secure and fetch privileges', () => {
    const protocol = { registerSchemesAsPrivileged: vi.fn() };
    registerAppScheme(protocol);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledExactlyOnceWith([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }) },
    ]);
    const privileges = protocol.registerSchemesAsPrivileged.mock.calls[0]![0][0].privileges;
    // bypassCSP would switch the page's own CSP off.
    expect(privileges.bypassCSP).not.toBe(true);
  });

  it('handles app: with a handler serving the root', async () => {
    const protocol = { handle: vi.fn() };
    handleAppProtocol(protocol, root);
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    const handler = protocol.handle.mock.calls[0]![1] as (request: Request) => Promise<Response>;
    expect((await handler(new Request('app://frontdesk/index.html'))).status).toBe(200);
  });
});
