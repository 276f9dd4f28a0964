// main's app-media:// protocol with core replaced by a function: what it serves, with which headers, and what it refuses.
import { describe, expect, it, vi } from 'vitest';
import { registerAppScheme } from '../../electron/main/app-protocol';
import { createMediaRequestHandler, handleMediaProtocol, mediaSchemePrivileges } from '../../electron/main/media-protocol';
import type { ReadMedia } from '../../electron/main/media-protocol';

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

function coreError(code: string): Error {
  return Object.assign(new Error(code), { code });
}

describe('app-media://media/<id>', () => {
  const files: Record<number, { mime: string; bytes: Uint8Array; fileName: string }> = {
    7: { mime: 'image/png', bytes: png, fileName: 'a.png' },
    8: { mime: 'text/html', bytes: new TextEncoder().encode('<script>1</script>'), fileName: 'x.html' },
  };
  const readMedia = vi.fn<ReadMedia>(async (id) => {
    const file = files[id];
    if (!file) throw coreError('not_found');
    return file;
  });
  const handle = createMediaRequestHandler(readMedia);

  it('serves core’s decrypted bytes with their type, nosniff, the CSP and no caching', async () => {
    const response = await handle(new Request('app-media://media/7'));
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(png);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'image/png',
      'content-length': String(png.byteLength),
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(readMedia).toHaveBeenCalledWith(7);
    const head = await handle(new Request('app-media://media/7', { method: 'HEAD' }));
    expect(head.status).toBe(200);
  });

  it('never answers with a type a browser would run', async () => {
    expect((await handle(new Request('app-media://media/8'))).headers.get('content-type')).toBe('application/octet-stream');
  });

  it('maps core’s refusals, and refuses other hosts, paths and methods', async () => {
    expect((await handle(new Request('app-media://media/9'))).status).toBe(404);
    readMedia.mockRejectedValueOnce(coreError('locked'));
    expect((await handle(new Request('app-media://media/7'))).status).toBe(403);
    readMedia.mockRejectedValueOnce(new Error('boom'));
    expect((await handle(new Request('app-media://media/7'))).status).toBe(500);
    for (const url of ['app-media://other/7', 'app-media://media/abc', 'app-media://media/7/x', 'app-media://media/']) {
      expect((await handle(new Request(url))).status, url).toBe(404);
    }
    expect((await handle(new Request('app-media://media/7', { method: 'POST' }))).status).toBe(405);
  });

  it('is registered with app: in the one privileged-schemes call, streaming and without bypassCSP', () => {
    const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() };
    registerAppScheme(protocol, [mediaSchemePrivileges]);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledExactlyOnceWith([
      expect.objectContaining({ scheme: 'app' }),
      { scheme: 'app-media', privileges: expect.objectContaining({ standard: true, secure: true, stream: true }) },
    ]);
    expect(mediaSchemePrivileges.privileges).not.toHaveProperty('bypassCSP');
    handleMediaProtocol(protocol, readMedia);
    expect(protocol.handle).toHaveBeenCalledWith('app-media', expect.any(Function));
  });
});
