/**
 * Meta's side of the relay (REFERENCE §1), on every storage: the verification handshake, signed deliveries
 * sealed to the workspace's key before 200 (the operator can read none of it), refusals Meta sees, Meta's real
 * webhook payloads carried byte for byte, and logs that never carry a body or a secret.
 */
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkSignature, signBody } from '../../electron/core/cloud/signature';
import { pullResponseSchema } from '../../shared/relay/protocol';
import type { TestDesk, TestRelay, TestWorkspace } from './relay-support';
import {
  b64url,
  fixtureBytes,
  fixturesDir,
  metaEncode,
  metaHeaders,
  openSealed,
  send,
  startRelay,
  storageVariants,
  textWebhook,
  webhookFixtureNames,
} from './relay-support';

/** A relay with one workspace whose first desk paired. */
async function pairedRelay(variant: Parameters<typeof startRelay>[0], input: Parameters<typeof startRelay>[1] = {}) {
  const relay = await startRelay(variant, input);
  const workspace = await relay.addWorkspace();
  const desk = await relay.pairDesk(workspace.pairingCode);
  return { relay, workspace, desk };
}

const verifyUrl = (relay: TestRelay, workspaceId: string, query: string) => `${relay.url}/meta/${workspaceId}?${query}`;

/** Every event the desk can pull, opened with the workspace keys. */
async function pullAll(relay: TestRelay, desk: TestDesk) {
  const events = [];
  let after = 0;
  for (;;) {
    const result = await relay.request('GET', `/v1/events?after=${after}`, { token: desk.token });
    expect(result.status, result.text).toBe(200);
    const page = pullResponseSchema.parse(result.json);
    if (page.events.length === 0) return events;
    for (const event of page.events) events.push({ ...event, envelope: openSealed(relay.sodium, desk.keys, event.sealed) });
    after = page.events.at(-1)!.seq;
  }
}

/** What must never reach a log line: secrets, the body, and what the customer wrote. */
function expectLogsFree(relay: TestRelay, workspace: TestWorkspace, desk: TestDesk | null, extra: Array<string | Buffer>) {
  const logged = relay.logText();
  expect(relay.logs.length).toBeGreaterThan(0);
  const secrets = [workspace.appSecret, workspace.verifyToken, workspace.pairingCode, workspace.pairingCode.replace(/-/g, '')];
  if (desk) secrets.push(desk.token, desk.token.split('.')[1]!, b64url(desk.keys.publicKey));
  for (const secret of [...secrets, ...extra]) expect(logged).not.toContain(secret.toString());
}

const fixtureNames = webhookFixtureNames();

for (const variant of storageVariants()) {
  describe(`relay, Meta's side (${variant.name})`, () => {
    describe('the verification handshake', () => {
      it('answers the right verify token with the raw challenge, as plain text', async () => {
        const relay = await startRelay(variant);
        const workspace = await relay.addWorkspace();
        const ok = await send(verifyUrl(relay, workspace.id, `hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${encodeURIComponent(workspace.verifyToken)}`));
        expect(ok).toMatchObject({ status: 200, text: '1158201444' });
        expect(ok.headers['content-type']).toMatch(/^text\/plain/);
        // The challenge comes back exactly, whatever it holds.
        const odd = await send(verifyUrl(relay, workspace.id, `hub.mode=subscribe&hub.challenge=${encodeURIComponent('a b+c/你')}&hub.verify_token=${encodeURIComponent(workspace.verifyToken)}`));
        expect(odd).toMatchObject({ status: 200, text: 'a b+c/你' });
        // Before any desk paired: verifying the callback URL is the first thing the operator does in Meta's dashboard.
        expect((await relay.store.getWorkspace(workspace.id))!.publicKey).toBeNull();
      });

      it('answers 403 to a wrong token, a wrong mode, a missing challenge, another workspace’s token and an unknown workspace', async () => {
        const relay = await startRelay(variant);
        const workspace = await relay.addWorkspace();
        const other = await relay.addWorkspace('Other clinic');
        const token = encodeURIComponent(workspace.verifyToken);
        const refused: Array<[string, string]> = [
          [workspace.id, 'hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong'],
          [workspace.id, `hub.mode=subscribe&hub.challenge=1&hub.verify_token=${token}x`],
          [workspace.id, `hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=${token}`],
          [workspace.id, `hub.challenge=1&hub.verify_token=${token}`],
          [workspace.id, `hub.mode=subscribe&hub.verify_token=${token}`],
          [workspace.id, 'hub.mode=subscribe&hub.challenge=1'],
          [workspace.id, `hub.mode=subscribe&hub.challenge=1&hub.verify_token=${encodeURIComponent(other.verifyToken)}`],
          ['unknownWorkspace0001', `hub.mode=subscribe&hub.challenge=1&hub.verify_token=${token}`],
          ['', `hub.mode=subscribe&hub.challenge=1&hub.verify_token=${token}`],
        ];
        for (const [id, query] of refused) {
          const result = await send(verifyUrl(relay, id, query));
          expect(result.status, `${id} ${query}`).toBe(403);
          expect(result.text).not.toBe('1');
        }
      });
    });

    describe('deliveries', () => {
      it('answers 200 and stores the body sealed: no plaintext in the store, opened by the desk into the exact bytes and signature', async () => {
        const { relay, workspace, desk } = await pairedRelay(variant);
        const text = 'Can I move my appointment to Thursday at 15:30? — Sheena';
        const body = textWebhook(1, text);
        const headers = metaHeaders(body, workspace.appSecret);
        const posted = await relay.postMeta(workspace.id, body, { headers });
        expect(posted.status, posted.text).toBe(200);

        const stored = await relay.store.readEvents(workspace.id, 0, 10);
        expect(stored).toHaveLength(1);
        const event = stored[0]!;
        expect(event).toMatchObject({ workspaceId: workspace.id, seq: 1, kind: 'meta', fromDeskId: null });
        const sealed = Buffer.from(event.sealed);
        const parsed = JSON.parse(body.toString('utf8'));
        const needles = [body, text, 'Thursday', 'Sheena Nelson', '16505551234', parsed.entry[0].changes[0].value.messages[0].id, 'whatsapp_business_account', headers['X-Hub-Signature-256'] as string];
        for (const needle of needles) expect(sealed.includes(needle), String(needle)).toBe(false);
        if (relay.file) {
          // What reaches the disk of the relay's server: the database and its write-ahead log.
          const files = [relay.file, `${relay.file}-wal`].filter((f) => existsSync(f));
          const onDisk = Buffer.concat(files.map((f) => readFileSync(f)));
          // (The right files: the workspace's id is stored in clear.)
          expect(onDisk.includes(workspace.id)).toBe(true);
          for (const needle of needles) expect(onDisk.includes(needle), String(needle)).toBe(false);
        }

        // Only the desk's secret key opens it, into the body byte for byte and Meta's signature header.
        const envelope = openSealed(relay.sodium, desk.keys, sealed);
        expect(envelope.kind).toBe('meta');
        expect(Buffer.compare(Buffer.from(envelope.payload), body)).toBe(0);
        expect(envelope.signature).toBe(headers['X-Hub-Signature-256']);
        expect(envelope.receivedAt).toBe(event.receivedAt);
        expect(checkSignature(envelope.payload, envelope.signature, workspace.appSecret)).toBe('ok');
        const stranger = relay.sodium.crypto_box_keypair();
        expect(() => relay.sodium.crypto_box_seal_open(sealed, stranger.publicKey, stranger.privateKey)).toThrow();

        // The desk pulls the very same sealed bytes.
        const pulled = await relay.request('GET', '/v1/events?after=0', { token: desk.token });
        expect(pullResponseSchema.parse(pulled.json).events.map((e) => e.sealed)).toEqual([b64url(sealed)]);
      });

      it('answers 401 to a bad, missing or malformed signature, or one made with another workspace’s secret, storing nothing', async () => {
        const { relay, workspace } = await pairedRelay(variant);
        const other = await relay.addWorkspace('Other clinic');
        const body = textWebhook(2);
        const good = signBody(body, workspace.appSecret);
        const cases: Array<[string, Record<string, string>]> = [
          ['wrong secret', { 'X-Hub-Signature-256': signBody(body, 'not-the-app-secret-0123456789') }],
          ['other workspace’s secret', { 'X-Hub-Signature-256': signBody(body, other.appSecret) }],
          ['another body’s signature', { 'X-Hub-Signature-256': signBody(textWebhook(3), workspace.appSecret) }],
          ['missing', {}],
          ['empty', { 'X-Hub-Signature-256': '' }],
          ['no prefix', { 'X-Hub-Signature-256': good.slice('sha256='.length) }],
          ['sha1 prefix', { 'X-Hub-Signature-256': good.replace('sha256=', 'sha1=') }],
          ['truncated', { 'X-Hub-Signature-256': good.slice(0, -2) }],
        ];
        for (const [name, signature] of cases) {
          const result = await relay.postMeta(workspace.id, body, { headers: { 'Content-Type': 'application/json', ...signature } });
          expect(result.status, name).toBe(401);
        }
        // The right signature over a body changed by one byte.
        const tampered = Buffer.from(body);
        tampered[tampered.length - 3] = tampered[tampered.length - 3]! ^ 1;
        expect((await relay.postMeta(workspace.id, tampered, { headers: metaHeaders(body, workspace.appSecret) })).status).toBe(401);
        expect(await relay.store.readEvents(workspace.id, 0, 10)).toEqual([]);
        expect(relay.server.counters().metaRefused.signature).toBe(cases.length + 1);
        expect(relay.server.counters().metaAccepted).toBe(0);
      });

      it('answers 400 to a signed body that is not a JSON object, storing nothing', async () => {
        const { relay, workspace } = await pairedRelay(variant);
        for (const text of ['not json', '{"object":"whatsapp_business_account",', '', '[1,2]', '42', 'null']) {
          const result = await relay.postMeta(workspace.id, Buffer.from(text), { secret: workspace.appSecret });
          expect(result.status, JSON.stringify(text)).toBe(400);
        }
        expect(await relay.store.readEvents(workspace.id, 0, 10)).toEqual([]);
      });

      it('answers 413 to a body over the limit (declared or streamed) and closes the connection; exactly the limit is fine', async () => {
        const limit = 2048;
        const { relay, workspace, desk } = await pairedRelay(variant, { limits: { metaBodyBytes: limit } });
        const big = metaEncode({ object: 'whatsapp_business_account', entry: [], pad: 'x'.repeat(limit) });
        const declared = await relay.postMeta(workspace.id, big, { secret: workspace.appSecret });
        expect(declared.status).toBe(413);
        expect(declared.headers.connection).toBe('close');

        // Streamed without a length: refused once it grows past the limit, without waiting for its end.
        const streamed = await new Promise<number>((resolve, reject) => {
          const req = request(`${relay.url}${workspace.metaPath}`, {
            method: 'POST',
            agent: false,
            headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', ...metaHeaders(big, workspace.appSecret) },
          });
          let status = 0;
          req.on('response', (res) => {
            status = res.statusCode ?? 0;
            res.resume();
            res.on('close', () => resolve(status));
          });
          req.on('error', (error) => (status ? resolve(status) : reject(error)));
          req.write(big.subarray(0, 1000));
          req.write(big.subarray(1000, 2000));
          req.write(big.subarray(2000));
          // The end is never sent: the relay must answer before it.
        });
        expect(streamed).toBe(413);

        const fits = metaEncode({ object: 'whatsapp_business_account', pad: '' });
        const atLimit = metaEncode({ object: 'whatsapp_business_account', pad: 'x'.repeat(limit - fits.length) });
        expect(atLimit.length).toBe(limit);
        expect((await relay.postMeta(workspace.id, atLimit, { secret: workspace.appSecret })).status).toBe(200);
        const stored = await relay.store.readEvents(workspace.id, 0, 10);
        expect(stored).toHaveLength(1);
        expect(Buffer.compare(Buffer.from(openSealed(relay.sodium, desk.keys, stored[0]!.sealed).payload), atLimit)).toBe(0);
      });

      it('answers 503 with Retry-After while no desk has paired (Meta retries), and 200 to the retry once one has', async () => {
        const relay = await startRelay(variant);
        const workspace = await relay.addWorkspace();
        const body = textWebhook(4, 'first message before any desk');
        const early = await relay.postMeta(workspace.id, body, { secret: workspace.appSecret });
        expect(early.status).toBe(503);
        expect(early.headers['retry-after']).toBe('60');
        expect(await relay.store.readEvents(workspace.id, 0, 10)).toEqual([]);

        const desk = await relay.pairDesk(workspace.pairingCode);
        const retried = await relay.postMeta(workspace.id, body, { secret: workspace.appSecret });
        expect(retried.status).toBe(200);
        const events = await pullAll(relay, desk);
        expect(events.map((e) => Buffer.from(e.envelope.payload))).toEqual([body]);
      });

      it('answers 404 to a delivery for an unknown workspace and 405 to other methods', async () => {
        const { relay, workspace } = await pairedRelay(variant);
        const body = textWebhook(5);
        expect((await relay.postMeta('unknownWorkspace0001', body, { secret: workspace.appSecret })).status).toBe(404);
        const put = await send(`${relay.url}${workspace.metaPath}`, { method: 'PUT', headers: metaHeaders(body, workspace.appSecret), body });
        expect(put.status).toBe(405);
        expect(put.headers.allow).toBe('GET, POST');
        expect(await relay.store.readEvents(workspace.id, 0, 10)).toEqual([]);
      });

      it('keeps the signature of non-ASCII bodies Meta escapes as \\uXXXX (and of raw UTF-8), carrying the exact bytes', async () => {
        const { relay, workspace, desk } = await pairedRelay(variant);
        const escaped = textWebhook(6, '你好，我想预约明天下午 😀 äöå @ home');
        expect(escaped.toString('latin1')).toContain('\\u4f60\\u597d');
        expect(escaped.toString('latin1')).toContain('\\ud83d\\ude00');
        const raw = Buffer.from(JSON.stringify(JSON.parse(escaped.toString('utf8'))), 'utf8');
        expect(raw.toString('utf8')).toContain('你好');
        expect((await relay.postMeta(workspace.id, escaped, { secret: workspace.appSecret })).status).toBe(200);
        expect((await relay.postMeta(workspace.id, raw, { secret: workspace.appSecret })).status).toBe(200);
        // A signature over the re-serialised body (what a JSON body parser hands over) does not match the wire bytes.
        expect((await relay.postMeta(workspace.id, escaped, { headers: metaHeaders(raw, workspace.appSecret) })).status).toBe(401);

        const events = await pullAll(relay, desk);
        expect(events.map((e) => e.seq)).toEqual([1, 2]);
        expect(Buffer.compare(Buffer.from(events[0]!.envelope.payload), escaped)).toBe(0);
        expect(Buffer.compare(Buffer.from(events[1]!.envelope.payload), raw)).toBe(0);
        for (const event of events) expect(checkSignature(event.envelope.payload, event.envelope.signature, workspace.appSecret)).toBe('ok');
        for (const stored of await relay.store.readEvents(workspace.id, 0, 10)) {
          expect(Buffer.from(stored.sealed).includes('你好')).toBe(false);
          expect(Buffer.from(stored.sealed).includes('\\u4f60')).toBe(false);
        }
      });

      it('keeps workspaces apart: a delivery reaches only its own workspace’s desks', async () => {
        const { relay, workspace, desk } = await pairedRelay(variant);
        const other = await relay.addWorkspace('Other clinic');
        const otherDesk = await relay.pairDesk(other.pairingCode);
        expect((await relay.postMeta(workspace.id, textWebhook(7), { secret: workspace.appSecret })).status).toBe(200);
        expect((await relay.postMeta(other.id, textWebhook(8), { secret: other.appSecret })).status).toBe(200);
        expect((await pullAll(relay, desk)).map((e) => Buffer.from(e.envelope.payload))).toEqual([textWebhook(7)]);
        expect((await pullAll(relay, otherDesk)).map((e) => Buffer.from(e.envelope.payload))).toEqual([textWebhook(8)]);
      });

      it('slows down one workspace’s bad signatures without holding up other workspaces Meta posts from the same address', async () => {
        const { relay, workspace } = await pairedRelay(variant, { trustProxy: true, limits: { failuresPerMinute: 3 } });
        const other = await relay.addWorkspace('Other clinic');
        await relay.pairDesk(other.pairingCode);
        const meta = { 'X-Forwarded-For': '31.13.64.1' };
        const signed = (secret: string) => ({ ...metaHeaders(textWebhook(1), secret), ...meta });
        // The first workspace's owner rotated the app secret on Meta's side but not on the relay.
        for (let i = 0; i < 3; i++) expect((await relay.postMeta(workspace.id, textWebhook(1), { headers: signed('rotated-secret') })).status).toBe(401);
        expect((await relay.postMeta(workspace.id, textWebhook(1), { headers: signed(workspace.appSecret) })).status).toBe(429);
        expect((await relay.postMeta(other.id, textWebhook(1), { headers: signed(other.appSecret) })).status).toBe(200);
      });
    });

    describe('Meta’s webhook fixtures', () => {
      if (fixtureNames.length === 0) {
        it(`cannot replay Meta’s webhook fixtures: ${fixturesDir} (webhook-*.json, status-*.json) is absent on this machine`, () => {
          console.warn(`Relay tests: Meta's fixtures are absent (${fixturesDir}); the fixture replay checked nothing.`);
          expect(fixtureNames).toEqual([]);
        });
        return;
      }

      it(`accepts every webhook fixture (${fixtureNames.length}) signed over its raw bytes, and the desk pulls each back identical, in order`, async () => {
        const { relay, workspace, desk } = await pairedRelay(variant);
        const bodies = fixtureNames.map(fixtureBytes);
        for (const [i, body] of bodies.entries()) {
          const result = await relay.postMeta(workspace.id, body, { secret: workspace.appSecret });
          expect(result.status, fixtureNames[i]).toBe(200);
        }
        const events = await pullAll(relay, desk);
        expect(events.map((e) => e.seq)).toEqual(bodies.map((_, i) => i + 1));
        events.forEach((event, i) => {
          expect(Buffer.compare(Buffer.from(event.envelope.payload), bodies[i]!), fixtureNames[i]).toBe(0);
          expect(event.kind).toBe('meta');
          expect(checkSignature(event.envelope.payload, event.envelope.signature, workspace.appSecret)).toBe('ok');
        });
        // Sent as Meta puts them on the wire (compact, non-ASCII escaped) they come back identical too.
        const wire = bodies.map((b) => metaEncode(JSON.parse(b.toString('utf8'))));
        for (const body of wire) expect((await relay.postMeta(workspace.id, body, { secret: workspace.appSecret })).status).toBe(200);
        const more = (await pullAll(relay, desk)).slice(bodies.length);
        expect(more.map((e) => Buffer.from(e.envelope.payload))).toEqual(wire);
      });
    });

    describe('logs', () => {
      it('never carry a body, what a customer wrote, the app secret, the verify token, a pairing code or a desk token', async () => {
        const relay = await startRelay(variant);
        const workspace = await relay.addWorkspace();
        const text = 'My card number is 4111 1111 1111 1111, please call me';
        const body = textWebhook(9, text);
        // Refusals log too: before pairing, a bad signature, a wrong verify token, a bad token.
        await relay.postMeta(workspace.id, body, { secret: workspace.appSecret });
        await relay.postMeta(workspace.id, body, { secret: 'wrong-secret-0123456789abcdef' });
        await send(verifyUrl(relay, workspace.id, `hub.mode=subscribe&hub.challenge=5&hub.verify_token=${encodeURIComponent(workspace.verifyToken)}`));
        await send(verifyUrl(relay, workspace.id, 'hub.mode=subscribe&hub.challenge=5&hub.verify_token=guess'));
        const desk = await relay.pairDesk(workspace.pairingCode);
        expect((await relay.postMeta(workspace.id, body, { secret: workspace.appSecret })).status).toBe(200);
        await relay.request('GET', '/v1/events?after=0', { token: desk.token });
        await relay.request('GET', '/v1/status', { token: `${desk.deskId}.not-the-token` });
        await relay.request('POST', '/v1/pair', { json: { code: workspace.pairingCode, publicKey: b64url(desk.keys.publicKey), deskName: 'Again' } });
        const fixtures = fixtureNames.slice(0, 5).map(fixtureBytes);
        for (const fixture of fixtures) await relay.postMeta(workspace.id, fixture, { secret: workspace.appSecret });

        const texts = fixtures.flatMap((f) => [...f.toString('utf8').matchAll(/"body":\s*"([^"]{6,})"/g)].map((m) => m[1]!));
        expectLogsFree(relay, workspace, desk, [body, text, '4111', 'Sheena', signBody(body, workspace.appSecret), ...texts]);
        // Logs do record what happened.
        expect(relay.logs.map((l) => l.message)).toEqual(expect.arrayContaining(['Meta verification answered', 'Meta verification refused', 'Meta webhook refused', 'Desk paired']));
      });
    });
  });
}
