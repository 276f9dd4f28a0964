/**
 * The preview host's `/media/<id>` (DESIGN: one contract, three transports): core's decrypted file of the
 * open, unlocked workspace, behind the session cookie, with the type it was stored with — but never one a
 * browser would run — and `nosniff`, CSP and CORP like every other response.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startTestHost } from './helpers';
import type { TestHost } from './helpers';

function get(host: TestHost, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const { hostname, port } = new URL(host.origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!check()) throw new Error('Timed out waiting');
}

describe('preview host: /media/<id>', () => {
  let host: TestHost;
  let cookie: string;
  let imageId: number;
  beforeAll(async () => {
    host = await startTestHost({ demo: true, seed: 5, fastKdf: true });
    cookie = await signIn(host);
    const demo = host.core.services.demo()!;
    const action = demo.customers.act('image', 2);
    const archive = () => host.core.services.workspaces.current()!.archive;
    await until(() => {
      const message = archive().messages.getByWamid(action.wamid);
      return typeof message?.mediaId === 'number' && archive().media.get(message.mediaId)?.state === 'stored';
    });
    imageId = archive().messages.getByWamid(action.wamid)!.mediaId!;
  });
  afterAll(() => host.close());

  it('serves the decrypted image with its type and the security headers', async () => {
    const response = await get(host, `/media/${imageId}`, { cookie });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.body.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const file = await host.core.services.readMedia(imageId);
    expect(response.body).toEqual(Buffer.from(file.bytes));
  });

  it('needs the session cookie, and refuses other sites loading it', async () => {
    expect((await get(host, `/media/${imageId}`)).status).toBe(401);
    expect((await get(host, `/media/${imageId}`, { cookie, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' })).status).toBe(403);
  });

  it('answers 404 for unknown ids and malformed paths', async () => {
    for (const path of ['/media/999999', '/media/abc', '/media/', `/media/${imageId}/x`, '/media/-1']) {
      const response = await get(host, path, { cookie });
      expect(response.status, path).toBe(404);
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
    }
  });

  it('never serves a file as HTML or SVG, whatever type it was stored with', async () => {
    const archive = host.core.services.workspaces.current()!.archive;
    const store = host.core.services.cloud()!.media;
    for (const mime of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/javascript']) {
      const stored = await store.put(Buffer.from(`<script>alert(1)</script>${mime}`));
      const row = archive.media.create({ state: 'stored', mime, size: stored.size, fileName: 'x.html', contentHash: stored.hash });
      const response = await get(host, `/media/${row.id}`, { cookie });
      expect(response.status).toBe(200);
      expect(response.headers['content-type'], mime).toBe('application/octet-stream');
    }
  });

  it('serves nothing while the workspace is locked', async () => {
    await host.core.invoke('vault:lock', undefined);
    try {
      expect((await get(host, `/media/${imageId}`, { cookie })).status).toBe(403);
    } finally {
      const workspaceId = host.core.services.workspaces.current()!.vault.id;
      await host.core.invoke('vault:unlock', { workspaceId, method: 'keychain' });
    }
    expect((await get(host, `/media/${imageId}`, { cookie })).status).toBe(200);
  });
});
