import { request } from 'node:http';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createVirtualClock } from '../../../electron/core/clock';
import { createArchiveSink } from '../../../electron/core/cloud/group-commit';
import { startWebhookReceiver } from '../../../electron/core/cloud/receiver';
import type { WebhookReceiverOptions, WebhookSink } from '../../../electron/core/cloud/receiver';
import { signBody } from '../../../electron/core/cloud/signature';
import { createMemoryLogger } from '../../../electron/core/node-ports';
import { createTestArchive } from '../../support/archive-helpers';
import {
  httpRequest,
  loadWebhookFixtures,
  metaEncode,
  postWebhook,
  signed,
  testAppSecret,
  testVerifyToken,
  textWebhook,
} from './receiver-support';

async function setup(overrides: Partial<WebhookReceiverOptions> = {}) {
  const { archive, path, key } = createTestArchive();
  const clock = createVirtualClock();
  const logger = createMemoryLogger();
  const sink = createArchiveSink(archive);
  const receiver = await startWebhookReceiver({
    verifyToken: testVerifyToken,
    appSecret: () => testAppSecret,
    sink,
    clock,
    logger,
    ...overrides,
  });
  onTestFinished(async () => {
    await receiver.close();
    await sink.close();
  });
  const stored = () => archive.db.prepare<[], { body: Buffer; source: string; receivedAt: number }>('SELECT body, source, received_at AS receivedAt FROM webhook_inbox ORDER BY id').all();
  return { archive, path, key, clock, logger, sink, receiver, stored };
}

const fixtures = loadWebhookFixtures();

describe('webhook receiver: Meta fixtures', () => {
  if (!fixtures) {
    it('cannot replay Meta’s webhook fixtures: ../shared/cloud-api/fixtures/webhook-*.json is absent on this machine', () => {
      expect(fixtures).toBeNull();
    });
    return;
  }

  it(`stores every webhook fixture (${fixtures.length}), signed over its raw bytes, byte for byte`, async () => {
    const { receiver, stored, clock } = await setup();
    for (const fixture of fixtures) {
      const result = await postWebhook(receiver.url, fixture.bytes);
      expect(result.status, fixture.name).toBe(200);
    }
    const rows = stored();
    expect(rows).toHaveLength(fixtures.length);
    rows.forEach((row, i) => {
      expect(Buffer.compare(row.body, fixtures[i]!.bytes), fixtures[i]!.name).toBe(0);
      expect(row.source).toBe('direct');
      expect(row.receivedAt).toBe(clock.now());
    });
    expect(receiver.counters()).toMatchObject({ received: fixtures.length, accepted: fixtures.length });
  });

  it('stores every fixture as Meta sends it (compact, non-ASCII escaped \\uXXXX) too', async () => {
    const { receiver, stored } = await setup();
    const bodies = fixtures.map((f) => metaEncode(JSON.parse(f.bytes.toString('utf8'))));
    // The reaction fixture carries an emoji: on the wire it is an escaped surrogate pair.
    expect(bodies.some((b) => /\\ud83d/.test(b.toString('latin1')))).toBe(true);
    for (const body of bodies) expect((await postWebhook(receiver.url, body)).status).toBe(200);
    expect(stored().map((r) => r.body)).toEqual(bodies);
  });
});

describe('webhook receiver: signatures on the raw bytes', () => {
  it('verifies non-ASCII bodies — Chinese and emoji escaped as Meta does, and raw UTF-8 — on the exact bytes', async () => {
    const { receiver, stored } = await setup();
    const escaped = textWebhook(1, '你好，我想预约明天下午 😀 äöå @ home');
    expect(escaped.toString('latin1')).toContain('\\u4f60\\u597d');
    expect(escaped.toString('latin1')).toContain('\\ud83d\\ude00');
    const raw = Buffer.from(JSON.stringify(JSON.parse(escaped.toString('utf8'))), 'utf8');
    expect(raw.toString('utf8')).toContain('你好');
    expect((await postWebhook(receiver.url, escaped)).status).toBe(200);
    expect((await postWebhook(receiver.url, raw)).status).toBe(200);
    // A signature made over a re-serialised body (what a JSON body parser would hand over) does not match
    // the escaped bytes on the wire.
    const forgedByReserialising = { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signBody(raw, testAppSecret) };
    expect((await postWebhook(receiver.url, escaped, forgedByReserialising)).status).toBe(401);
    const rows = stored();
    expect(rows).toHaveLength(2);
    expect(Buffer.compare(rows[0]!.body, escaped)).toBe(0);
    expect(Buffer.compare(rows[1]!.body, raw)).toBe(0);
  });

  it('answers 401 and stores nothing for a forged, missing or malformed signature', async () => {
    const { receiver, stored } = await setup();
    const body = textWebhook(2);
    const cases: Array<[string, Record<string, string>]> = [
      ['wrong secret', { 'X-Hub-Signature-256': signBody(body, 'another-secret') }],
      ['missing', {}],
      ['empty', { 'X-Hub-Signature-256': '' }],
      ['no prefix', { 'X-Hub-Signature-256': signBody(body, testAppSecret).slice('sha256='.length) }],
      ['sha1 prefix', { 'X-Hub-Signature-256': signBody(body, testAppSecret).replace('sha256=', 'sha1=') }],
      ['truncated hex', { 'X-Hub-Signature-256': signBody(body, testAppSecret).slice(0, -2) }],
      ['not hex', { 'X-Hub-Signature-256': `sha256=${'z'.repeat(64)}` }],
    ];
    for (const [name, headers] of cases) {
      const result = await postWebhook(receiver.url, body, { 'Content-Type': 'application/json', ...headers });
      expect(result.status, name).toBe(401);
    }
    // A valid signature of another body.
    expect((await postWebhook(receiver.url, body, signed(textWebhook(3)))).status).toBe(401);
    // The right signature on a body changed by one byte.
    const tampered = Buffer.from(body);
    tampered[tampered.length - 3] = tampered[tampered.length - 3]! ^ 1;
    expect((await postWebhook(receiver.url, tampered, signed(body))).status).toBe(401);
    expect(stored()).toEqual([]);
    expect(receiver.counters().rejected).toMatchObject({ signature_mismatch: 3, signature_missing: 2, signature_malformed: 4 });
    expect(receiver.counters().accepted).toBe(0);
  });

  it('answers 400 for a signed body that is not JSON (or not a JSON object), storing nothing', async () => {
    const { receiver, stored } = await setup();
    for (const text of ['{"object":"whatsapp_business_account",', 'not json', '', '[1,2]', '42']) {
      const body = Buffer.from(text);
      expect((await postWebhook(receiver.url, body)).status, text).toBe(400);
    }
    expect(stored()).toEqual([]);
    expect(receiver.counters().rejected.malformed_json).toBe(5);
  });

  it('answers 503 (Meta retries) when no app secret is set and the sink cannot take unverified bodies', async () => {
    const { receiver, stored } = await setup({ appSecret: () => null });
    const body = textWebhook(4);
    const result = await postWebhook(receiver.url, body);
    expect(result.status).toBe(503);
    expect(stored()).toEqual([]);
    expect(receiver.counters().rejected.no_app_secret).toBe(1);
  });
});

describe('webhook receiver: limits, paths and failures', () => {
  it('answers 413 to a declared oversized body at once and closes the connection', async () => {
    const { receiver, stored } = await setup({ bodyLimitBytes: 1024 });
    const body = metaEncode({ object: 'whatsapp_business_account', entry: [], pad: 'x'.repeat(2000) });
    const result = await postWebhook(receiver.url, body);
    expect(result.status).toBe(413);
    expect(result.headers.connection).toBe('close');
    // Exactly at the limit is fine.
    const fits = metaEncode({ object: 'whatsapp_business_account', pad: '' });
    const atLimit = metaEncode({ object: 'whatsapp_business_account', pad: 'x'.repeat(1024 - fits.length) });
    expect(atLimit.length).toBe(1024);
    expect((await postWebhook(receiver.url, atLimit)).status).toBe(200);
    expect(stored()).toHaveLength(1);
    expect(receiver.counters().rejected.too_large).toBe(1);
  });

  it('answers 413 to a chunked body that grows over the limit, without waiting for its end, and hangs up', async () => {
    const { receiver, stored } = await setup({ bodyLimitBytes: 64 * 1024 });
    const outcome = await new Promise<{ status: number; closed: boolean }>((resolve, reject) => {
      const req = request(receiver.url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': `sha256=${'0'.repeat(64)}` } });
      let status = 0;
      let writing = true;
      req.on('response', (res) => {
        status = res.statusCode ?? 0;
        writing = false;
        res.resume();
        res.on('close', () => resolve({ status, closed: true }));
      });
      req.on('error', (error) => (status ? resolve({ status, closed: true }) : reject(error)));
      // Keep sending (never ending the request) until the server answers: it must not wait for the end.
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      const pump = () => {
        if (!writing) return;
        if (req.write(chunk)) setImmediate(pump);
        else req.once('drain', pump);
      };
      req.write('{"pad":"');
      pump();
    });
    expect(outcome).toEqual({ status: 413, closed: true });
    expect(stored()).toEqual([]);
  });

  it('answers the verification GET with the raw challenge only for subscribe + the right token', async () => {
    const { receiver } = await setup();
    const url = (q: string) => `${receiver.url}?${q}`;
    const ok = await httpRequest(url(`hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${testVerifyToken}`));
    expect(ok).toMatchObject({ status: 200, text: '1158201444' });
    expect(ok.headers['content-type']).toMatch(/^text\/plain/);
    const odd = await httpRequest(url(`hub.mode=subscribe&hub.challenge=${encodeURIComponent('a b+c/你')}&hub.verify_token=${testVerifyToken}`));
    expect(odd).toMatchObject({ status: 200, text: 'a b+c/你' });
    for (const q of [
      'hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong',
      `hub.mode=subscribe&hub.challenge=1&hub.verify_token=${testVerifyToken}x`,
      `hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=${testVerifyToken}`,
      'hub.mode=subscribe&hub.challenge=1',
      `hub.mode=subscribe&hub.verify_token=${testVerifyToken}`,
      '',
    ]) {
      expect((await httpRequest(url(q))).status, q).toBe(403);
    }
    expect(receiver.counters().verification).toEqual({ answered: 2, refused: 6 });
  });

  it('reads the current verify token each time when given a function', async () => {
    let token: string | null = null;
    const { receiver } = await setup({ verifyToken: () => token });
    const q = `${receiver.url}?hub.mode=subscribe&hub.challenge=7&hub.verify_token=fresh`;
    expect((await httpRequest(q)).status).toBe(403);
    token = 'fresh';
    expect(await httpRequest(q)).toMatchObject({ status: 200, text: '7' });
  });

  it('answers 404 to other paths and 405 to other methods', async () => {
    const { receiver, stored } = await setup();
    const base = receiver.url.replace(/\/webhook$/, '');
    const body = textWebhook(5);
    expect((await postWebhook(`${base}/other`, body)).status).toBe(404);
    expect((await httpRequest(`${base}/`)).status).toBe(404);
    expect((await postWebhook(`${base}/webhook/x`, body)).status).toBe(404);
    const put = await httpRequest(receiver.url, { method: 'PUT', headers: signed(body), body });
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, POST');
    expect((await httpRequest(receiver.url, { method: 'DELETE' })).status).toBe(405);
    expect(stored()).toEqual([]);
    expect(receiver.counters().other).toBe(5);
  });

  it('answers 500 when the sink cannot make the event durable, and 200 again once it can', async () => {
    let fail = true;
    const sink: WebhookSink = { store: async () => (fail ? Promise.reject(new Error('disk full')) : undefined) };
    const { receiver, logger } = await setup({ sink });
    const body = textWebhook(6);
    expect((await postWebhook(receiver.url, body)).status).toBe(500);
    fail = false;
    expect((await postWebhook(receiver.url, body)).status).toBe(200);
    expect(receiver.counters()).toMatchObject({ received: 2, accepted: 1, rejected: { store_failed: 1 } });
    // Logs carry neither the body nor the secret.
    const logged = JSON.stringify(logger.entries);
    expect(logged).not.toContain('hello 6');
    expect(logged).not.toContain(testAppSecret);
    expect(logged).toContain('disk full');
  });

  it('answers 200 only after the sink resolved', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let stored = false;
    const sink: WebhookSink = {
      store: async () => {
        await gate;
        stored = true;
      },
    };
    const { receiver } = await setup({ sink });
    let answered = false;
    const pending = postWebhook(receiver.url, textWebhook(7)).then((r) => {
      answered = true;
      expect(stored).toBe(true);
      return r;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(answered).toBe(false);
    release();
    expect((await pending).status).toBe(200);
  });

  it('keeps its port when the sink is swapped, and reports it', async () => {
    const { receiver, stored } = await setup();
    expect(receiver.port).toBeGreaterThan(0);
    expect(receiver.url).toBe(`http://127.0.0.1:${receiver.port}/webhook`);
    const seen: Buffer[] = [];
    receiver.setSink({ store: async (e) => void seen.push(e.body) });
    const body = textWebhook(8);
    expect((await postWebhook(receiver.url, body)).status).toBe(200);
    expect(seen).toEqual([body]);
    expect(stored()).toEqual([]);
  });
});
