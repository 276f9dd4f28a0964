import { describe, expect, it } from 'vitest';
import { signBody } from '../../../electron/core/cloud/signature';
import { createVirtualClock } from '../../../electron/core/clock';
import { reEngagementFailure } from '../../../electron/core/sandbox/graph-meta-errors';
import { inboundMessageBody, serialiseLikeMeta, signWebhook, statusBody } from '../../../electron/core/sandbox/webhooks/payloads';
import type { WebhookPerson, WebhookTarget } from '../../../electron/core/sandbox/webhooks/payloads';
import { createWebhookPoster } from '../../../electron/core/sandbox/webhooks/poster';
import { appSecret, expectValid, expectValidSigned, startCapture, valueOf } from './webhooks-support';

const target: WebhookTarget = { wabaId: '102290129340398', phoneNumberId: '106540352242922', displayPhoneNumber: '15550783881' };
const phonePerson: WebhookPerson = { name: 'Sheena Nelson', waId: '16505551234', userId: 'US.13491208655302741918' };
const usernamePerson: WebhookPerson = { name: '张伟', userId: 'HK.1349120865530274191', username: 'zhangwei88', parentUserId: 'HK.ENT.118157992128868448' };
const at = Date.UTC(2026, 0, 5, 9, 0, 0);
const wamid = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=';

describe('sandbox webhook payloads', () => {
  it('builds inbound text, image, document and reaction bodies the receiver schemas accept, signed over the bytes', () => {
    const bodies = [
      inboundMessageBody(target, phonePerson, { type: 'text', body: 'Does it come in another color?' }, { wamid, at }),
      inboundMessageBody(target, phonePerson, { type: 'text', body: 'Thanks!' }, { wamid, at, replyTo: 'wamid.business' }),
      inboundMessageBody(target, phonePerson, { type: 'image', mediaId: '1003383421387256', mimeType: 'image/png', sha256: 'SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=', caption: 'This one' }, { wamid, at }),
      inboundMessageBody(target, usernamePerson, { type: 'document', mediaId: '622684793477189', mimeType: 'application/pdf', sha256: 'V5OP', filename: '收据.pdf', caption: '收据' }, { wamid, at }),
      inboundMessageBody(target, phonePerson, { type: 'reaction', messageId: 'wamid.business', emoji: '👍' }, { wamid, at }),
    ];
    const kinds: string[] = [];
    for (const body of bodies) {
      const changes = expectValidSigned(signWebhook(body, appSecret));
      expect(changes).toHaveLength(1);
      const change = changes[0]!;
      expect(change).toMatchObject({ field: 'messages', known: true, wabaId: target.wabaId });
      if (change.field !== 'messages' || !change.known) throw new Error('not a messages change');
      expect(change.value.metadata).toEqual({ display_phone_number: '15550783881', phone_number_id: '106540352242922' });
      const message = change.value.messages![0]!;
      expect(message).toMatchObject({ id: wamid, timestamp: String(at / 1000) });
      kinds.push(message.type);
    }
    expect(kinds).toEqual(['text', 'text', 'image', 'document', 'reaction']);
    const reply = valueOf(signWebhook(bodies[1]!, appSecret).bytes).messages![0]!;
    expect(reply.context).toEqual({ from: '15550783881', id: 'wamid.business' });
    const document = valueOf(signWebhook(bodies[3]!, appSecret).bytes).messages![0]!;
    expect(document.document).toEqual({ caption: '收据', filename: '收据.pdf', mime_type: 'application/pdf', sha256: 'V5OP', id: '622684793477189' });
  });

  it('escapes non-ASCII as Meta does (lowercase \\uXXXX), and the signature verifies only over those bytes', () => {
    const body = inboundMessageBody(target, usernamePerson, { type: 'text', body: '你好 👍 äöå @ "quoted"' }, { wamid, at });
    const signed = signWebhook(body, appSecret);
    const text = signed.bytes.toString('latin1');
    expect([...signed.bytes].every((b) => b < 0x80)).toBe(true);
    expect(text).toContain('"body":"\\u4f60\\u597d \\ud83d\\udc4d \\u00e4\\u00f6\\u00e5 @ \\"quoted\\""');
    expect(text).toContain('"name":"\\u5f20\\u4f1f"');
    expect(text).not.toMatch(/\\u[0-9a-f]*[A-F]/);
    expectValidSigned(signed);
    expect(JSON.parse(text)).toEqual(body);
    // A re-serialised body (UTF-8, unescaped) is different bytes: its signature does not match Meta's.
    expect(signBody(Buffer.from(JSON.stringify(body), 'utf8'), appSecret)).not.toBe(signed.signature);
    expect(serialiseLikeMeta({ a: 'plain' }).toString()).toBe('{"a":"plain"}');
  });

  it('names a username-only customer by BSUID, with no phone anywhere', () => {
    const inbound = valueOf(signWebhook(inboundMessageBody(target, usernamePerson, { type: 'text', body: 'hi' }, { wamid, at }), appSecret).bytes);
    expect(inbound.contacts).toEqual([{ profile: { name: '张伟', username: 'zhangwei88' }, user_id: usernamePerson.userId, parent_user_id: usernamePerson.parentUserId }]);
    expect(inbound.messages![0]).not.toHaveProperty('from');
    expect(inbound.messages![0]).toMatchObject({ from_user_id: usernamePerson.userId, from_parent_user_id: usernamePerson.parentUserId });

    const status = signWebhook(statusBody(target, { wamid, status: 'delivered', at, recipient: usernamePerson }), appSecret);
    expectValidSigned(status);
    const value = valueOf(status.bytes);
    expect(value.statuses![0]).not.toHaveProperty('recipient_id');
    expect(value.statuses![0]).toMatchObject({ recipient_user_id: usernamePerson.userId, recipient_parent_user_id: usernamePerson.parentUserId });
    expect(value.contacts![0]).not.toHaveProperty('wa_id');
  });

  it('builds sent, delivered, read and failed statuses echoing the client id; failed carries the error', () => {
    const pricing = { billable: false, type: 'free_customer_service', category: 'service' } as const;
    for (const status of ['sent', 'delivered', 'read'] as const) {
      const signed = signWebhook(statusBody(target, { wamid, status, at, recipient: phonePerson, clientId: 'client-42', pricing }), appSecret);
      const [change] = expectValidSigned(signed);
      if (change?.field !== 'messages' || !change.known) throw new Error('not a messages change');
      expect(change.value.statuses).toEqual([
        {
          id: wamid,
          status,
          timestamp: String(at / 1000),
          recipient_id: phonePerson.waId,
          recipient_user_id: phonePerson.userId,
          biz_opaque_callback_data: 'client-42',
          pricing: { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' },
        },
      ]);
    }
    const failed = signWebhook(statusBody(target, { wamid, status: 'failed', at, recipient: phonePerson, clientId: 'client-43', errors: [reEngagementFailure()] }), appSecret);
    const value = valueOf(failed.bytes);
    expectValidSigned(failed);
    expect(value.statuses![0]).toMatchObject({ status: 'failed', biz_opaque_callback_data: 'client-43', errors: [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message' }] });
    expect(value.statuses![0]).not.toHaveProperty('pricing');
  });
});

describe('the webhook poster', () => {
  it('posts the signed bytes and, on non-200, retries at once and then later on the clock, byte for byte', async () => {
    const capture = await startCapture((i) => (i < 2 ? 500 : 200));
    const clock = createVirtualClock();
    const poster = createWebhookPoster({ url: () => capture.url, appSecret, clock, retryDelaysMs: [0, 5_000, 30_000] });
    const signed = signWebhook(inboundMessageBody(target, phonePerson, { type: 'text', body: '周六营业吗？' }, { wamid, at }), appSecret);
    poster.post(signed);
    await poster.whenIdle();
    // The first attempt and the immediate retry both met a 500; the next waits 5 s on the clock.
    expect(capture.posts.map((p) => p.answered)).toEqual([500, 500]);
    expect(poster.stats()).toEqual({ delivered: 0, failedAttempts: 2, dropped: 0, pending: 1 });
    clock.advance(4_999);
    await poster.whenIdle();
    expect(capture.posts).toHaveLength(2);
    clock.advance(1);
    await poster.whenIdle();
    expect(capture.posts.map((p) => p.answered)).toEqual([500, 500, 200]);
    expect(poster.stats()).toEqual({ delivered: 1, failedAttempts: 2, dropped: 0, pending: 0 });
    for (const post of capture.posts) {
      expect(post.bytes.equals(signed.bytes)).toBe(true);
      expect(post.headers['content-type']).toBe('application/json');
      expectValid(post.bytes, post.headers['x-hub-signature-256']);
    }
  });

  it('signs a plain body itself, keeps it while there is no receiver, and gives up after the last retry', async () => {
    const capture = await startCapture(() => 503);
    const clock = createVirtualClock();
    let url: string | null = null;
    const poster = createWebhookPoster({ url: () => url, appSecret, clock, retryDelaysMs: [0, 1_000, 2_000] });
    poster.post(statusBody(target, { wamid, status: 'sent', at, recipient: phonePerson }));
    await poster.whenIdle();
    expect(poster.stats()).toMatchObject({ failedAttempts: 2, pending: 1 });
    url = capture.url;
    clock.advance(1_000);
    await poster.whenIdle();
    clock.advance(2_000);
    await poster.whenIdle();
    expect(capture.posts).toHaveLength(2);
    for (const post of capture.posts) expectValid(post.bytes, post.headers['x-hub-signature-256']);
    expect(poster.stats()).toEqual({ delivered: 0, failedAttempts: 4, dropped: 1, pending: 0 });
    clock.advance(60_000);
    await poster.whenIdle();
    expect(capture.posts).toHaveLength(2);
  });

  it('stop() cancels waiting retries', async () => {
    const clock = createVirtualClock();
    const poster = createWebhookPoster({ url: () => null, appSecret, clock, retryDelaysMs: [0, 1_000] });
    poster.post(statusBody(target, { wamid, status: 'sent', at, recipient: phonePerson }));
    await poster.whenIdle();
    poster.stop();
    clock.advance(10_000);
    await poster.whenIdle();
    expect(poster.stats()).toEqual({ delivered: 0, failedAttempts: 2, dropped: 1, pending: 0 });
  });
});
