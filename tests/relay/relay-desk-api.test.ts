/**
 * The desks' side of the relay (shared/relay/protocol.ts), on every storage: pairing with the operator's code,
 * pulling after a cursor and by long-poll, acknowledging and pruning, unpairing, desk-to-desk copies, status and
 * health, the stable error shape, linking a second desk, and rate limits.
 */
import { describe, expect, it } from 'vitest';
import {
  ackResponseSchema,
  deskMessageResponseSchema,
  healthResponseSchema,
  linkCollectSchema,
  linkCreatedSchema,
  linkPendingSchema,
  pullResponseSchema,
  statusResponseSchema,
} from '../../shared/relay/protocol';
import { encodeEnvelope } from '../../shared/relay/sealed-envelope';
import type { DeskKeys, StorageVariant, TestDesk, TestRelay, TestWorkspace } from './relay-support';
import { b64url, deskKeyPair, expectError, fromB64url, metaHeaders, openSealed, send, startRelay, storageVariants, textWebhook } from './relay-support';

async function pairedRelay(variant: StorageVariant, input: Parameters<typeof startRelay>[1] = {}) {
  const relay = await startRelay(variant, input);
  const workspace = await relay.addWorkspace();
  const desk = await relay.pairDesk(workspace.pairingCode, { deskName: 'Front desk' });
  return { relay, workspace, desk };
}

/** A second desk of the same workspace (same workspace keys), paired with a new code from the operator. */
async function secondDesk(relay: TestRelay, workspace: TestWorkspace, first: TestDesk, deskName = 'Back office'): Promise<TestDesk> {
  return relay.pairDesk(await relay.newPairingCode(workspace.id), { keys: first.keys, deskName });
}

async function postWebhooks(relay: TestRelay, workspace: TestWorkspace, texts: string[]): Promise<Buffer[]> {
  const bodies = texts.map((text, i) => textWebhook(1000 + i, text));
  for (const body of bodies) expect((await relay.postMeta(workspace.id, body, { secret: workspace.appSecret })).status).toBe(200);
  return bodies;
}

async function pull(relay: TestRelay, desk: TestDesk, query = '') {
  const result = await relay.request('GET', `/v1/events${query}`, { token: desk.token });
  expect(result.status, result.text).toBe(200);
  return pullResponseSchema.parse(result.json);
}

const payloads = (relay: TestRelay, keys: DeskKeys, events: Array<{ sealed: string }>) =>
  events.map((e) => Buffer.from(openSealed(relay.sodium, keys, e.sealed).payload));

async function status(relay: TestRelay, desk: TestDesk) {
  const result = await relay.request('GET', '/v1/status', { token: desk.token });
  expect(result.status, result.text).toBe(200);
  return statusResponseSchema.parse(result.json);
}

for (const variant of storageVariants()) {
  describe(`relay, the desks' side (${variant.name})`, () => {
    describe('pairing', () => {
      it('pairs the first desk with the operator’s code: a token, the primary desk, the workspace key registered', async () => {
        const relay = await startRelay(variant);
        const workspace = await relay.addWorkspace();
        const desk = await relay.pairDesk(workspace.pairingCode, { deskName: 'Front desk' });
        expect(desk).toMatchObject({ workspaceId: workspace.id, primary: true });
        expect(desk.token.length).toBeGreaterThan(40);
        const stored = await relay.store.getWorkspace(workspace.id);
        expect(Buffer.from(stored!.publicKey!).equals(Buffer.from(desk.keys.publicKey))).toBe(true);
        // The relay keeps a hash of the token, never the token.
        const record = await relay.store.getDesk(desk.deskId);
        expect(Buffer.from(record!.tokenHash).includes(desk.token)).toBe(false);
        expect(await status(relay, desk)).toMatchObject({ workspaceId: workspace.id, deskId: desk.deskId, primary: true, desks: [{ id: desk.deskId, name: 'Front desk', primary: true }] });
      });

      it('accepts the code typed in lower case, without dashes or with spaces', async () => {
        const relay = await startRelay(variant);
        const workspace = await relay.addWorkspace();
        const typed = ` ${workspace.pairingCode.toLowerCase().replace(/-/g, ' ')} `;
        expect((await relay.pairDesk(typed)).primary).toBe(true);
      });

      it('refuses the same code a second time, a made-up code and a malformed one with 403 pairing_code_invalid', async () => {
        const relay = await startRelay(variant);
        const workspace = await relay.addWorkspace();
        const first = await relay.pairDesk(workspace.pairingCode);
        const again = await relay.request('POST', '/v1/pair', { json: { code: workspace.pairingCode, publicKey: b64url(first.keys.publicKey), deskName: 'Again' } });
        expectError(again, 403, 'pairing_code_invalid');
        const keys = deskKeyPair(relay.sodium);
        for (const code of ['0000-0000-0000-0000', 'hello', '1234', 'ILOU-ILOU-ILOU-ILOU', `${workspace.pairingCode}-AAAA`]) {
          const result = await relay.request('POST', '/v1/pair', { json: { code, publicKey: b64url(keys.publicKey), deskName: 'Guess' } });
          expectError(result, 403, 'pairing_code_invalid');
        }
        expect((await relay.store.listDesks(workspace.id)).map((d) => d.id)).toEqual([first.deskId]);
      });

      it('refuses a second desk pairing with other keys (409: it must be linked), and pairs one with the workspace keys', async () => {
        const { relay, workspace, desk } = await pairedRelay(variant);
        const code = await relay.newPairingCode(workspace.id);
        const stranger = deskKeyPair(relay.sodium);
        const refused = await relay.request('POST', '/v1/pair', { json: { code, publicKey: b64url(stranger.publicKey), deskName: 'Other keys' } });
        expectError(refused, 409, 'workspace_key_mismatch');
        // The refusal did not use the code up.
        const second = await relay.pairDesk(code, { keys: desk.keys, deskName: 'Back office' });
        expect(second).toMatchObject({ workspaceId: workspace.id, primary: false });
      });
    });

    describe('pulling, long-polling, acknowledging', () => {
      it('returns the events after a cursor, in order, with their seq, and honours limit', async () => {
        const { relay, workspace, desk } = await pairedRelay(variant);
        const bodies = await postWebhooks(relay, workspace, ['one', 'two', 'three']);
        const all = await pull(relay, desk, '?after=0');
        expect(all.events.map((e) => [e.seq, e.kind, e.fromDeskId])).toEqual([
          [1, 'meta', null],
          [2, 'meta', null],
          [3, 'meta', null],
        ]);
        expect(all.lastSeq).toBe(3);
        expect(payloads(relay, desk.keys, all.events)).toEqual(bodies);
        expect((await pull(relay, desk, '?after=1')).events.map((e) => e.seq)).toEqual([2, 3]);
        expect((await pull(relay, desk, '?after=0&limit=2')).events.map((e) => e.seq)).toEqual([1, 2]);
        expect(await pull(relay, desk, '?after=3')).toEqual({ events: [], lastSeq: 3, primary: true });
        // Without a cursor, from what the desk acknowledged (nothing yet).
        expect((await pull(relay, desk)).events.map((e) => e.seq)).toEqual([1, 2, 3]);
      });

      it('splits a backlog of large webhooks over several pulls, in order, none left out', async () => {
        const { relay, workspace, desk } = await pairedRelay(variant);
        // Meta documents webhooks of up to 3 MB: eight of them make more than one answer should carry.
        const bodies = Array.from({ length: 8 }, (_, i) => Buffer.from(JSON.stringify({ object: 'whatsapp_business_account', n: i, pad: 'x'.repeat(3_000_000) })));
        for (const body of bodies) expect((await relay.postMeta(workspace.id, body, { secret: workspace.appSecret })).status).toBe(200);
        const first = await pull(relay, desk, '?after=0');
        expect(first.events.length).toBeGreaterThan(0);
        expect(first.events.length).toBeLessThan(8);
        const seqs = first.events.map((e) => e.seq);
        for (let after = seqs.at(-1)!; after < 8; ) {
          const next = await pull(relay, desk, `?after=${after}`);
          seqs.push(...next.events.map((e) => e.seq));
          after = next.events.at(-1)!.seq;
        }
        expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      });

      it('answers a waiting long-poll with the event as soon as a webhook is posted', async () => {
        const { relay, workspace, desk } = await pairedRelay(variant);
        const read = relay.nextRead(workspace.id);
        // The longest wait there is (30 s, longer than this test may take): only the webhook can end it in time.
        const waiting = pull(relay, desk, '?after=0&wait=30000');
        // The relay looked, found nothing, and is now waiting.
        expect(await read).toEqual([]);
        const [body] = await postWebhooks(relay, workspace, ['are you open on Sunday?']);
        const answered = await waiting;
        expect(answered.events.map((e) => e.seq)).toEqual([1]);
        expect(payloads(relay, desk.keys, answered.events)).toEqual([body]);
      });

      it('answers a long-poll with what is already there without waiting, and an empty one once its wait ends', async () => {
        const { relay, workspace, desk } = await pairedRelay(variant);
        await postWebhooks(relay, workspace, ['already here']);
        expect((await pull(relay, desk, '?after=0&wait=30000')).events.map((e) => e.seq)).toEqual([1]);
        expect(await pull(relay, desk, '?after=1&wait=50')).toEqual({ events: [], lastSeq: 1, primary: true });
      });

      it('moves the cursor on ack (never back, never past the last event); events every desk acknowledged are pruned', async () => {
        const { relay, workspace, desk } = await pairedRelay(variant);
        const other = await secondDesk(relay, workspace, desk);
        await postWebhooks(relay, workspace, ['a', 'b', 'c']);

        const ack = async (d: TestDesk, seq: number) => {
          const result = await relay.request('POST', '/v1/ack', { token: d.token, json: { seq } });
          expect(result.status, result.text).toBe(200);
          return ackResponseSchema.parse(result.json).ackedSeq;
        };
        expect(await ack(desk, 2)).toBe(2);
        expect((await pull(relay, desk)).events.map((e) => e.seq)).toEqual([3]);
        expect(await ack(desk, 1)).toBe(2);
        expect(await ack(desk, 99)).toBe(3);
        expect(await status(relay, desk)).toMatchObject({ lastSeq: 3, backlog: 0 });
        expect(await status(relay, other)).toMatchObject({ lastSeq: 3, backlog: 3 });

        // The other desk has acknowledged nothing: nothing may go.
        expect(await relay.store.prune(0)).toBe(0);
        expect((await relay.store.readEvents(workspace.id, 0, 10)).map((e) => e.seq)).toEqual([1, 2, 3]);
        expect(await ack(other, 2)).toBe(2);
        expect(await relay.store.prune(0)).toBe(2);
        expect((await relay.store.readEvents(workspace.id, 0, 10)).map((e) => e.seq)).toEqual([3]);
        // What the other desk has not acknowledged is still there for it.
        expect((await pull(relay, other)).events.map((e) => e.seq)).toEqual([3]);
        expect((await status(relay, other)).backlog).toBe(1);
      });

      it('refuses a bad cursor, wait or limit with 400 invalid_request', async () => {
        const { relay, desk } = await pairedRelay(variant);
        for (const query of ['?after=-1', '?after=x', '?after=1.5', '?wait=-5', '?limit=0', '?limit=abc']) {
          expectError(await relay.request('GET', `/v1/events${query}`, { token: desk.token }), 400, 'invalid_request');
        }
      });
    });

    describe('tokens and unpairing', () => {
      it('answers 401 unauthorized to a made-up, missing or wrong token', async () => {
        const { relay, desk } = await pairedRelay(variant);
        const cases: Array<[string, Record<string, string>]> = [
          ['made up', { Authorization: 'Bearer abcdefghijklmnop.qrstuvwxyz0123456789' }],
          ['right desk, wrong secret', { Authorization: `Bearer ${desk.deskId}.${'A'.repeat(43)}` }],
          ['no desk id', { Authorization: `Bearer ${desk.token.split('.')[1]}` }],
          ['not bearer', { Authorization: `Basic ${desk.token}` }],
          ['missing', {}],
        ];
        for (const [name, headers] of cases) {
          for (const [method, path] of [
            ['GET', '/v1/events'],
            ['GET', '/v1/status'],
            ['POST', '/v1/ack'],
          ] as const) {
            const result = await relay.request(method, path, { headers, json: method === 'POST' ? { seq: 0 } : undefined });
            expect(result.status, `${name} ${method} ${path}`).toBe(401);
            expectError(result, 401, 'unauthorized');
          }
        }
      });

      it('unpairs a desk: its token answers 401 from then on; unpairing the primary makes the other one primary', async () => {
        const { relay, workspace, desk } = await pairedRelay(variant);
        const other = await secondDesk(relay, workspace, desk);
        const removed = await relay.request('DELETE', `/v1/desks/${desk.deskId}`, { token: other.token });
        expect(removed.status, removed.text).toBe(200);
        expect(removed.json).toEqual({ removed: true });
        expectError(await relay.request('GET', '/v1/events', { token: desk.token }), 401, 'unauthorized');
        expectError(await relay.request('GET', '/v1/status', { token: desk.token }), 401, 'unauthorized');
        expect(await status(relay, other)).toMatchObject({ primary: true, desks: [{ id: other.deskId, primary: true }] });
        // A desk that is not in this workspace (any more) is not found.
        expectError(await relay.request('DELETE', `/v1/desks/${desk.deskId}`, { token: other.token }), 404, 'not_found');
        const elsewhere = await relay.addWorkspace('Other clinic');
        const stranger = await relay.pairDesk(elsewhere.pairingCode);
        expectError(await relay.request('DELETE', `/v1/desks/${stranger.deskId}`, { token: other.token }), 404, 'not_found');
        expect((await status(relay, stranger)).desks).toHaveLength(1);
      });
    });

    describe('desk copies, status, health', () => {
      it('carries a desk’s sealed copy of a sent message to the other desk, with fromDeskId', async () => {
        const { relay, workspace, desk } = await pairedRelay(variant);
        const other = await secondDesk(relay, workspace, desk);
        const copy = Buffer.from(JSON.stringify({ to: '16505551234', text: 'See you at 3pm!' }));
        const sealed = relay.sodium.crypto_box_seal(encodeEnvelope({ kind: 'desk', receivedAt: Date.now(), signature: '', payload: copy }), desk.keys.publicKey);

        const read = relay.nextRead(workspace.id);
        const waiting = pull(relay, other, '?after=0&wait=30000');
        await read;
        const posted = await relay.request('POST', '/v1/messages', { token: desk.token, json: { sealed: b64url(sealed) } });
        expect(posted.status, posted.text).toBe(200);
        expect(deskMessageResponseSchema.parse(posted.json).seq).toBe(1);

        const { events } = await waiting;
        expect(events.map((e) => [e.seq, e.kind, e.fromDeskId])).toEqual([[1, 'desk', desk.deskId]]);
        expect(events[0]!.sealed).toBe(b64url(sealed));
        const envelope = openSealed(relay.sodium, other.keys, events[0]!.sealed);
        expect(envelope.kind).toBe('desk');
        expect(Buffer.from(envelope.payload)).toEqual(copy);
        // The relay stored it as it came: sealed.
        const stored = await relay.store.readEvents(workspace.id, 0, 10);
        expect(Buffer.from(stored[0]!.sealed).includes('See you')).toBe(false);
      });

      it('reports status: the last seq, this desk’s backlog and every desk of the workspace', async () => {
        const { relay, workspace, desk } = await pairedRelay(variant);
        const other = await secondDesk(relay, workspace, desk);
        await postWebhooks(relay, workspace, ['x', 'y', 'z', 'w']);
        await relay.request('POST', '/v1/ack', { token: other.token, json: { seq: 3 } });
        const seen = await status(relay, desk);
        expect(seen).toMatchObject({ workspaceId: workspace.id, deskId: desk.deskId, primary: true, lastSeq: 4, backlog: 4 });
        expect(seen.desks.map((d) => [d.id, d.name, d.primary, d.ackedSeq])).toEqual([
          [desk.deskId, 'Front desk', true, 0],
          [other.deskId, 'Back office', false, 3],
        ]);
        expect(await status(relay, other)).toMatchObject({ primary: false, lastSeq: 4, backlog: 1 });
        // Making the other desk primary.
        const moved = await relay.request('POST', '/v1/primary', { token: other.token });
        expect(moved.status).toBe(200);
        expect(statusResponseSchema.parse(moved.json)).toMatchObject({ deskId: other.deskId, primary: true });
        expect((await status(relay, desk)).primary).toBe(false);
        // A pull tells each desk whether it is primary now.
        expect((await pull(relay, desk, '?after=4')).primary).toBe(false);
        expect((await pull(relay, other, '?after=4')).primary).toBe(true);
      });

      it('answers /healthz without a token: ok, the stored events and the uptime', async () => {
        const { relay, workspace } = await pairedRelay(variant);
        await postWebhooks(relay, workspace, ['p', 'q']);
        const health = await send(`${relay.url}/healthz`);
        expect(health.status).toBe(200);
        expect(healthResponseSchema.parse(JSON.parse(health.text))).toMatchObject({ ok: true, events: 2 });
      });
    });

    describe('the error shape', () => {
      it('answers bodies that are not JSON, or not what the endpoint takes, with 400 invalid_request { error: { code, message } }', async () => {
        const { relay, desk } = await pairedRelay(variant);
        const token = desk.token;
        const cases: Array<[string, string, string | undefined, string | object]> = [
          ['POST', '/v1/pair', undefined, '{"code":'],
          ['POST', '/v1/pair', undefined, 'not json'],
          ['POST', '/v1/pair', undefined, { code: 'ABCD' }],
          ['POST', '/v1/pair', undefined, { code: 'ABCD', publicKey: 'short', deskName: 'x' }],
          ['POST', '/v1/links', undefined, '[]'],
          ['POST', '/v1/links', undefined, { publicKey: b64url(desk.keys.publicKey), deskName: '' }],
          ['POST', '/v1/ack', token, '{'],
          ['POST', '/v1/ack', token, { seq: -1 }],
          ['POST', '/v1/ack', token, { seq: 'one' }],
          ['POST', '/v1/messages', token, ''],
          ['POST', '/v1/messages', token, { sealed: 'not base64url!' }],
          ['POST', '/v1/messages', token, { sealed: '' }],
        ];
        for (const [method, path, withToken, body] of cases) {
          const result = await relay.request(method, path, { token: withToken, ...(typeof body === 'string' ? { body } : { json: body }) });
          expect(result.status, `${path} ${JSON.stringify(body)}`).toBe(400);
          expectError(result, 400, 'invalid_request');
        }
        expectError(await relay.request('GET', '/v1/nowhere', { token }), 404, 'not_found');
        expect(await relay.store.readEvents(desk.workspaceId, 0, 10)).toEqual([]);
      });
    });

    describe('linking a second desk', () => {
      it('links a new desk through an existing one: code, approval with sealed keys, collection with the link secret', async () => {
        const { relay, workspace, desk } = await pairedRelay(variant);
        const before = await postWebhooks(relay, workspace, ['before the link']);

        // The new desk asks and shows a code.
        const newKeys = deskKeyPair(relay.sodium);
        const created = await relay.request('POST', '/v1/links', { json: { publicKey: b64url(newKeys.publicKey), deskName: 'Upstairs' } });
        expect(created.status, created.text).toBe(200);
        const link = linkCreatedSchema.parse(created.json);
        expect(link.code).toMatch(/^\d{4} \d{4}$/);
        const collect = (secret: string | undefined) =>
          relay.request('GET', `/v1/links/${link.linkId}`, { headers: secret === undefined ? {} : { 'x-link-secret': secret } });
        expect(linkCollectSchema.parse((await collect(link.secret)).json)).toEqual({ status: 'pending' });

        // The existing desk looks the code up and sees who asks.
        const peek = await relay.request('GET', `/v1/links/by-code/${encodeURIComponent(link.code)}`, { token: desk.token });
        expect(peek.status, peek.text).toBe(200);
        expect(linkPendingSchema.parse(peek.json)).toMatchObject({ deskName: 'Upstairs', publicKey: b64url(newKeys.publicKey) });
        expectError(await relay.request('GET', '/v1/links/by-code/0000%200000', { token: desk.token }), 404, 'link_not_found');

        // It approves with the workspace keys sealed to the new desk's key.
        const workspaceKeys = Buffer.concat([desk.keys.publicKey, desk.keys.privateKey]);
        const sealedKeys = relay.sodium.crypto_box_seal(workspaceKeys, newKeys.publicKey);
        const approved = await relay.request('POST', `/v1/links/by-code/${encodeURIComponent(link.code.replace(' ', ''))}/approve`, { token: desk.token, json: { sealedKeys: b64url(sealedKeys) } });
        expect(approved.status, approved.text).toBe(200);
        expect(approved.json).toEqual({ approved: true });
        expectError(await relay.request('POST', `/v1/links/by-code/${encodeURIComponent(link.code)}/approve`, { token: desk.token, json: { sealedKeys: b64url(sealedKeys) } }), 404, 'link_not_found');

        // A wrong or missing secret gets nothing.
        expectError(await collect('not-the-secret'), 404, 'link_not_found');
        expectError(await collect(undefined), 401, 'unauthorized');

        // The new desk collects its token and opens the keys with its own secret key.
        const collected = linkCollectSchema.parse((await collect(link.secret)).json);
        if (collected.status !== 'approved') throw new Error('the link was not approved');
        expect(collected.workspaceId).toBe(workspace.id);
        const opened = relay.sodium.crypto_box_seal_open(fromB64url(collected.sealedKeys), newKeys.publicKey, newKeys.privateKey);
        expect(Buffer.from(opened).equals(workspaceKeys)).toBe(true);
        const linked: TestDesk = { workspaceId: workspace.id, deskId: collected.deskId, token: collected.token, primary: false, keys: { publicKey: opened.slice(0, 32), privateKey: opened.slice(32) } };
        // Once only.
        expectError(await collect(link.secret), 404, 'link_not_found');

        // The linked desk pulls the same events, and the next ones, and opens them.
        const after = await postWebhooks(relay, workspace, ['after the link']);
        const pulled = await pull(relay, linked, '?after=0');
        expect(pulled.events.map((e) => e.seq)).toEqual([1, 2]);
        expect(payloads(relay, linked.keys, pulled.events)).toEqual([...before, ...after]);
        expect(pulled.events.map((e) => e.sealed)).toEqual((await pull(relay, desk, '?after=0')).events.map((e) => e.sealed));
        expect(await status(relay, linked)).toMatchObject({ deskId: collected.deskId, primary: false, desks: [{ id: desk.deskId }, { id: collected.deskId, name: 'Upstairs' }] });
      });

      it('lets a new desk wait for approval by long-poll on its link', async () => {
        const { relay, desk } = await pairedRelay(variant);
        const newKeys = deskKeyPair(relay.sodium);
        const link = linkCreatedSchema.parse((await relay.request('POST', '/v1/links', { json: { publicKey: b64url(newKeys.publicKey), deskName: 'Laptop' } })).json);
        const waiting = relay.request('GET', `/v1/links/${link.linkId}?wait=10000`, { headers: { 'x-link-secret': link.secret } });
        const sealedKeys = relay.sodium.crypto_box_seal(Buffer.concat([desk.keys.publicKey, desk.keys.privateKey]), newKeys.publicKey);
        expect((await relay.request('POST', `/v1/links/by-code/${encodeURIComponent(link.code)}/approve`, { token: desk.token, json: { sealedKeys: b64url(sealedKeys) } })).status).toBe(200);
        const collected = linkCollectSchema.parse((await waiting).json);
        expect(collected.status).toBe('approved');
      });
    });

    describe('rate limits', () => {
      it('answers 429 rate_limited to a source after repeated failures, and keeps serving other sources', async () => {
        const { relay, workspace, desk } = await pairedRelay(variant, { trustProxy: true, limits: { failuresPerMinute: 5 } });
        const attacker = { 'X-Forwarded-For': '203.0.113.7' };
        const office = { 'X-Forwarded-For': '198.51.100.20' };
        for (let i = 0; i < 5; i++) {
          expectError(await relay.request('GET', '/v1/status', { headers: { ...attacker, Authorization: `Bearer guess${i}.nope` } }), 401, 'unauthorized');
        }
        const limited = await relay.request('GET', '/v1/status', { headers: { ...attacker, Authorization: 'Bearer guess.nope' } });
        expectError(limited, 429, 'rate_limited');
        expect(limited.headers['retry-after']).toBe('60');
        // That source is refused every desk request for now; another source is served. Meta's deliveries to a
        // known workspace are counted per workspace (Meta posts every workspace from the same addresses).
        expectError(await relay.request('GET', '/v1/status', { token: desk.token, headers: attacker }), 429, 'rate_limited');
        expect((await relay.postMeta(workspace.id, textWebhook(1), { headers: { ...metaHeaders(textWebhook(1), workspace.appSecret), ...attacker } })).status).toBe(200);
        expect((await relay.request('GET', '/v1/status', { token: desk.token, headers: office })).status).toBe(200);
        expect((await relay.postMeta(workspace.id, textWebhook(1), { headers: { ...metaHeaders(textWebhook(1), workspace.appSecret), ...office } })).status).toBe(200);
      });

      it('limits failed pairing codes and pairing attempts per source', async () => {
        const relay = await startRelay(variant, { trustProxy: true, limits: { failuresPerMinute: 3, pairingPerMinute: 100 } });
        const workspace = await relay.addWorkspace();
        const keys = deskKeyPair(relay.sodium);
        const guess = (code: string, source: string) =>
          relay.request('POST', '/v1/pair', { headers: { 'X-Forwarded-For': source }, json: { code, publicKey: b64url(keys.publicKey), deskName: 'Guess' } });
        for (let i = 0; i < 3; i++) expectError(await guess(`AAAA-AAAA-AAAA-AAA${i}`, '203.0.113.9'), 403, 'pairing_code_invalid');
        // Even the right code is refused from that source now: guessing cannot go on.
        expectError(await guess(workspace.pairingCode, '203.0.113.9'), 429, 'rate_limited');
        expect((await guess(workspace.pairingCode, '198.51.100.21')).status).toBe(200);

        const strict = await startRelay(variant, { trustProxy: true, limits: { pairingPerMinute: 2 } });
        const other = await strict.addWorkspace();
        const link = () => strict.request('POST', '/v1/links', { headers: { 'X-Forwarded-For': '203.0.113.10' }, json: { publicKey: b64url(keys.publicKey), deskName: 'Laptop' } });
        expect((await link()).status).toBe(200);
        expect((await link()).status).toBe(200);
        expectError(await link(), 429, 'rate_limited');
        expectError(
          await strict.request('POST', '/v1/pair', { headers: { 'X-Forwarded-For': '203.0.113.10' }, json: { code: other.pairingCode, publicKey: b64url(keys.publicKey), deskName: 'x' } }),
          429,
          'rate_limited',
        );
      });
    });
  });
}
