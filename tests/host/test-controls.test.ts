import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closed, connectedSocket, rawRequest, signIn, startTestHost } from './helpers';
import type { TestHost } from './helpers';
import { registerTestControl, TestControlError, testControlNames } from './test-controls';

function control(host: TestHost, name: string, body: unknown, headers: Record<string, string> = {}) {
  return rawRequest(host.origin, `/__test/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-test-token': host.testControlsToken ?? '', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('test controls', () => {
  it('do not exist without the flag: a plain 404, token or not', async () => {
    const host = await startTestHost();
    try {
      expect(host.testControlsToken).toBeUndefined();
      const response = await control(host, 'dialogs/preset', { kind: 'chooseFolder', answer: '/x' }, { 'x-test-token': 'anything' });
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
      // And a signed-in page gets the same 404.
      const cookie = await signIn(host);
      expect((await control(host, 'dialogs/preset', {}, { cookie })).status).toBe(404);
    } finally {
      await host.close();
    }
  });

  describe('with --test-controls', () => {
    let host: TestHost;
    beforeAll(async () => {
      host = await startTestHost({ testControls: true });
    });
    afterAll(() => host.close());

    it('have their own random token, different from the URL token', () => {
      expect(host.testControlsToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(host.url).not.toContain(host.testControlsToken!);
    });

    it('refuse a missing or wrong token with 401 JSON', async () => {
      for (const token of ['', 'wrong', `${host.testControlsToken!}x`, host.testControlsToken!.slice(1)]) {
        const response = await control(host, 'dialogs/preset', { kind: 'chooseFolder', answer: '/x' }, { 'x-test-token': token });
        expect(response.status, token).toBe(401);
        expect(JSON.parse(response.body)).toEqual({ ok: false, error: { code: 'unauthorized', message: expect.any(String) } });
      }
      // The session cookie is not a substitute for the token.
      const cookie = await signIn(host);
      const withCookie = await control(host, 'dialogs/preset', { kind: 'chooseFolder', answer: '/x' }, { 'x-test-token': '', cookie });
      expect(withCookie.status).toBe(401);
    });

    it('dialogs/preset queues the answer the next dialog gives', async () => {
      const first = await control(host, 'dialogs/preset', { kind: 'chooseFolder', answer: '/tmp/backups' });
      expect(first.status).toBe(200);
      expect(JSON.parse(first.body)).toEqual({ ok: true, value: { queued: 'chooseFolder' } });
      await control(host, 'dialogs/preset', { kind: 'chooseFolder', answer: null });
      await control(host, 'dialogs/preset', { kind: 'chooseSaveFile', answer: '/tmp/out.zip' });
      expect(await host.ports.dialogs.chooseFolder({ title: 't' })).toBe('/tmp/backups');
      expect(await host.ports.dialogs.chooseFolder({ title: 't' })).toBeNull();
      expect(await host.ports.dialogs.chooseSaveFile({ title: 't', defaultName: 'x' })).toBe('/tmp/out.zip');
      expect(await host.ports.dialogs.chooseFolder({ title: 't' })).toBeNull();
    });

    it('bridge/drop drops every page socket', async () => {
      const other = await startTestHost({ testControls: true });
      try {
        const cookie = await signIn(other);
        const client = await connectedSocket(other, cookie);
        const closing = closed(client.socket);
        const response = await control(other, 'bridge/drop', {});
        expect(JSON.parse(response.body)).toEqual({ ok: true, value: { dropped: 1 } });
        await closing;
        expect((await control(other, 'bridge/drop', { extra: 1 })).status).toBe(400);
      } finally {
        await other.close();
      }
    });

    it('validate bodies with the control’s schema', async () => {
      const cases: Array<[unknown, string]> = [
        [{ kind: 'openEverything', answer: '/x' }, 'kind'],
        [{ kind: 'chooseFolder' }, 'answer'],
        [{ kind: 'chooseFolder', answer: '/x', extra: 1 }, ''],
        [[], ''],
      ];
      for (const [body, field] of cases) {
        const response = await control(host, 'dialogs/preset', body);
        expect(response.status, JSON.stringify(body)).toBe(400);
        const parsed = JSON.parse(response.body) as { ok: boolean; error: { code: string; fields: Array<{ path: string }> } };
        expect(parsed.ok).toBe(false);
        expect(parsed.error.code).toBe('invalid_request');
        expect(parsed.error.fields.map((issue) => issue.path)).toContain(field);
      }
      const notJson = await control(host, 'dialogs/preset', '{nope');
      expect(notJson.status).toBe(400);
      expect(JSON.parse(notJson.body).error.code).toBe('invalid_request');
      const wrongType = await control(host, 'dialogs/preset', '{}', { 'content-type': 'text/plain' });
      expect(wrongType.status).toBe(415);
      const tooLarge = await control(host, 'dialogs/preset', JSON.stringify({ answer: 'x'.repeat(2 * 1024 * 1024) }));
      expect(tooLarge.status).toBe(413);
    });

    it('answer unknown controls, other methods and foreign origins with JSON errors', async () => {
      const unknown = await control(host, 'no/such-control', {});
      expect(unknown.status).toBe(404);
      expect(JSON.parse(unknown.body).error.code).toBe('not_found');
      const get = await rawRequest(host.origin, '/__test/dialogs/preset', { headers: { 'x-test-token': host.testControlsToken! } });
      expect(get.status).toBe(405);
      expect(JSON.parse(get.body).error.code).toBe('method_not_allowed');
      const foreign = await control(host, 'dialogs/preset', { kind: 'chooseFolder', answer: '/x' }, { origin: 'http://evil.example' });
      expect(foreign.status).toBe(403);
    });

    it('run controls registered later, and report their failures as JSON', async () => {
      registerTestControl('host-test/echo', z.object({ n: z.number() }).strict(), ({ n }, { core }) => core.invoke('app:ping', { message: String(n) }));
      registerTestControl('host-test/refuse', z.object({}), () => {
        throw new TestControlError('invalid_request', 'Not in this state', 409);
      });
      registerTestControl('host-test/bug', z.object({}), () => {
        throw new Error('boom');
      });
      expect(testControlNames()).toEqual(expect.arrayContaining(['dialogs/preset', 'host-test/echo']));

      const echo = await control(host, 'host-test/echo', { n: 7 });
      expect(JSON.parse(echo.body)).toMatchObject({ ok: true, value: { ok: true, value: { message: '7' } } });
      const refused = await control(host, 'host-test/refuse', '');
      expect(refused.status).toBe(409);
      expect(JSON.parse(refused.body)).toEqual({ ok: false, error: { code: 'invalid_request', message: 'Not in this state' } });
      const bug = await control(host, 'host-test/bug', {});
      expect(bug.status).toBe(500);
      expect(JSON.parse(bug.body).error).toEqual({ code: 'internal', message: expect.any(String) });
      expect(bug.body).not.toContain('boom');

      expect(() => registerTestControl('host-test/echo', z.object({}), () => null)).toThrow(/already/);
      expect(() => registerTestControl('Bad Name', z.object({}), () => null)).toThrow(/Bad test control name/);
    });
  });
});
