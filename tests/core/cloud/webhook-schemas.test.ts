import { describe, expect, it } from 'vitest';
import {
  inboundMessageSchema,
  isKnownMessage,
  messageStatusSchema,
  parseWebhookBody,
  webhookEnvelopeSchema,
} from '../../../electron/core/cloud/webhook-schemas';
import { asBody, describeWithFixtures, firstMessage, firstStatus, fixture, fixtureBytes, inboundFixtureNames, valueOf } from './inbound-support';

const fieldOf: Record<string, string> = {
  'webhook-account-alerts.json': 'account_alerts',
  'webhook-phone-number-quality-update.json': 'phone_number_quality_update',
  'webhook-template-category-update-done.json': 'template_category_update',
  'webhook-template-category-update-impending.json': 'template_category_update',
  'webhook-template-quality-update.json': 'message_template_quality_update',
  'webhook-template-status-approved.json': 'message_template_status_update',
  'webhook-template-status-rejected-invalid-format.json': 'message_template_status_update',
  'webhook-user-preferences.json': 'user_preferences',
};

describeWithFixtures("the webhook schemas accept Meta's examples", () => {
  for (const name of inboundFixtureNames()) {
    it(name, () => {
      const result = parseWebhookBody(fixtureBytes(name));
      if (!result.ok) throw new Error(result.reason);
      expect(result.changes).toHaveLength(1);
      expect(result.changes[0]).toMatchObject({ known: true, field: fieldOf[name] ?? 'messages', wabaId: fixture(name).entry[0].id });
      // Loose: every key Meta sent is still there after parsing.
      expect(result.changes[0]!.value).toEqual(valueOf(fixture(name)));
    });
  }

  it('reads every message type of the fixtures with its own schema', () => {
    const types = inboundFixtureNames()
      .filter((n) => n.startsWith('webhook-') && valueOf(fixture(n)).messages)
      .map((n) => inboundMessageSchema.parse(firstMessage(fixture(n))))
      .map((m) => {
        expect(isKnownMessage(m)).toBe(true);
        return m.type;
      });
    expect(new Set(types)).toEqual(
      new Set(['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'interactive', 'button', 'reaction', 'order', 'system', 'unsupported', 'edit', 'revoke']),
    );
  });

  it('accepts a message type it has no schema for, keeping the envelope and the content', () => {
    const body = fixture('webhook-text.json');
    const message = firstMessage(body);
    message.type = 'poll_creation';
    message.poll_creation = message.text;
    delete message.text;
    const parsed = inboundMessageSchema.parse(message);
    expect(isKnownMessage(parsed)).toBe(false);
    expect(parsed).toEqual(message);
    expect(parseWebhookBody(asBody(body)).ok).toBe(true);
  });

  it('accepts Meta\'s own "unknown" type and interactive replies of a new sub-type', () => {
    const unknown = firstMessage(fixture('webhook-unsupported-131051.json'));
    unknown.type = 'unknown';
    delete unknown.unsupported;
    expect(inboundMessageSchema.safeParse(unknown).success).toBe(true);

    const interactive = firstMessage(fixture('webhook-interactive-button-reply.json'));
    interactive.interactive = { type: 'call_permission_reply', call_permission_reply: { response: 'accept' } };
    expect(inboundMessageSchema.parse(interactive)).toEqual(interactive);
  });

  it('refuses a known type without what Frontdesk relies on, naming the field', () => {
    const text = fixture('webhook-text.json');
    delete firstMessage(text).text.body;
    expect(parseWebhookBody(asBody(text))).toEqual({
      ok: false,
      code: 'invalid_webhook',
      reason: expect.stringContaining('messages: entry.0.changes.0.value.messages.0.text.body:'),
    });

    const image = fixture('webhook-image.json');
    delete firstMessage(image).image.id;
    expect(parseWebhookBody(asBody(image))).toMatchObject({ ok: false, reason: expect.stringContaining('messages.0.image.id') });

    const reply = fixture('webhook-interactive-list-reply.json');
    delete firstMessage(reply).interactive.list_reply;
    expect(parseWebhookBody(asBody(reply))).toMatchObject({ ok: false, reason: expect.stringContaining('messages.0.interactive.list_reply') });

    const location = fixture('webhook-location.json');
    firstMessage(location).location.latitude = '37.4';
    expect(parseWebhookBody(asBody(location))).toMatchObject({ ok: false, reason: expect.stringContaining('location.latitude') });
  });

  it('refuses a message with no sender, or a timestamp that is not Unix seconds', () => {
    const anonymous = fixture('webhook-text.json');
    delete firstMessage(anonymous).from;
    expect(parseWebhookBody(asBody(anonymous))).toMatchObject({ ok: false, reason: expect.stringContaining('names its sender') });

    const iso = fixture('webhook-text.json');
    firstMessage(iso).timestamp = '2025-06-08T20:59:43Z';
    expect(parseWebhookBody(asBody(iso))).toMatchObject({ ok: false, reason: expect.stringContaining('messages.0.timestamp') });
  });

  it('accepts a status value Meta adds later, and statuses to a BSUID without a phone number', () => {
    const status = firstStatus(fixture('status-sent.json'));
    status.status = 'played';
    expect(messageStatusSchema.parse(status).status).toBe('played');
    status.status = 'something_new';
    expect(messageStatusSchema.safeParse(status).success).toBe(true);
    const bsuid = messageStatusSchema.parse(firstStatus(fixture('status-delivered-bsuid-no-phone.json')));
    expect(bsuid.recipient_id).toBeUndefined();
    expect(bsuid.recipient_user_id).toBe('US.13491208655302741918');
  });

  it('accepts a change field it does not act on, as unknown, with its value', () => {
    const body = fixture('webhook-account-alerts.json');
    body.entry[0].changes[0].field = 'business_capability_update';
    const result = parseWebhookBody(asBody(body));
    expect(result).toEqual({ ok: true, changes: [{ field: 'business_capability_update', known: false, wabaId: '102290129340398', time: 1745612159, value: valueOf(body) }] });
  });

  it('keeps template ids beyond 2^53 exact, as their digits', () => {
    const body = fixtureBytes('webhook-template-status-approved.json').toString('utf8').replace('1689556908129832', '98765432109876543');
    const result = parseWebhookBody(body);
    if (!result.ok) throw new Error(result.reason);
    expect((result.changes[0]!.value as { message_template_id: unknown }).message_template_id).toBe('98765432109876543');
  });

  it('reads non-ASCII escaped as Meta sends it (\\uXXXX) and as raw UTF-8 alike', () => {
    const body = fixture('webhook-reaction.json');
    const escaped = JSON.stringify(body).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    expect(escaped).toContain('\\ud83d\\udc4d');
    for (const raw of [escaped, JSON.stringify(body), Buffer.from(JSON.stringify(body))]) {
      const result = parseWebhookBody(raw);
      if (!result.ok) throw new Error(result.reason);
      expect(((result.changes[0]!.value as { messages: Array<{ reaction: { emoji: string } }> }).messages[0]!.reaction.emoji)).toBe('👍');
    }
  });
});

describe('webhook envelope', () => {
  it('refuses what is not JSON', () => {
    expect(parseWebhookBody('{"object": "whatsapp_business_account", "entry": [')).toMatchObject({ ok: false, code: 'invalid_json' });
    expect(parseWebhookBody(Buffer.from([0xff, 0xfe, 0x00]))).toMatchObject({ ok: false, code: 'invalid_json' });
  });

  it("refuses another object than a WhatsApp Business Account, and entries without changes", () => {
    expect(parseWebhookBody('{"object":"page","entry":[]}')).toMatchObject({ ok: false, code: 'invalid_webhook', reason: expect.stringContaining('object') });
    expect(parseWebhookBody('{"object":"whatsapp_business_account","entry":[{"id":"1"}]}')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('entry.0.changes'),
    });
    expect(parseWebhookBody('[]')).toMatchObject({ ok: false, code: 'invalid_webhook' });
  });

  it('accepts an envelope with no entries (nothing to do)', () => {
    expect(webhookEnvelopeSchema.safeParse({ object: 'whatsapp_business_account', entry: [] }).success).toBe(true);
    expect(parseWebhookBody('{"object":"whatsapp_business_account","entry":[]}')).toEqual({ ok: true, changes: [] });
  });
});
