import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  businessProfileResponseSchema,
  businessProfileUpdateRequestSchema,
  graphErrorBodySchema,
  markReadRequestSchema,
  mediaUploadRequestSchema,
  mediaUploadResponseSchema,
  mediaUrlResponseSchema,
  phoneNumberListResponseSchema,
  phoneNumberSchema,
  sendMessageResponseSchema,
  successResponseSchema,
  templateCreateResponseSchema,
  templateListResponseSchema,
  templateStatusResponseSchema,
} from '../../../electron/core/cloud/graph-schemas';
import { sendMessageRequestSchema } from '../../../electron/core/cloud/graph-send-schemas';
import { templateCreateRequestSchema } from '../../../electron/core/cloud/graph-template-schemas';
import { describeWithFixtures, fixture, fixtureNames } from './graph-fixtures';

/** Which schema reads which fixture: every file with these prefixes must be named here. */
const responseSchemas: Record<string, z.ZodType> = {
  'send-response-success-true.json': successResponseSchema,
  'send-response-template-message-status-accepted.json': sendMessageResponseSchema,
  'send-response-to-bsuid.json': sendMessageResponseSchema,
  'send-response-to-phone.json': sendMessageResponseSchema,
  'send-response.json': sendMessageResponseSchema,
  'error-100-invalid-parameter-mm-api.json': graphErrorBodySchema,
  'error-130429-rate-limit.json': graphErrorBodySchema,
  'media-get-url-response.json': mediaUrlResponseSchema,
  'media-upload-response.json': mediaUploadResponseSchema,
  'business-profile-get-response-v26-butterflies.json': businessProfileResponseSchema,
  'business-profile-get-response.json': businessProfileResponseSchema,
  'business-profile-update-response.json': successResponseSchema,
  'phone-number-get-response.json': phoneNumberSchema,
  'phone-number-messaging-limit-response.json': phoneNumberSchema,
  'phone-number-status-response.json': phoneNumberSchema,
  'phone-numbers-list-response.json': phoneNumberListResponseSchema,
  'phone-numbers-list-sandbox-filter-response.json': phoneNumberListResponseSchema,
  'template-create-response-pending.json': templateCreateResponseSchema,
  'template-delete-response.json': successResponseSchema,
  'template-get-status-response.json': templateStatusResponseSchema,
  'template-list-fields-name-category-status-response.json': templateListResponseSchema,
  'template-list-response.json': templateListResponseSchema,
  'template-list-status-filter-response.json': templateListResponseSchema,
};

describeWithFixtures('Graph schemas against Meta’s fixtures', () => {
  it('names a schema for every response, error, media, profile, phone-number and template fixture', () => {
    const names = ['send-response', 'error-', 'media-', 'business-profile-', 'phone-number', 'template-'].flatMap(fixtureNames);
    const requests = names.filter((name) => name.includes('-request'));
    expect(names.filter((name) => !name.includes('-request')).sort()).toEqual(Object.keys(responseSchemas).sort());
    expect(requests.length).toBeGreaterThan(0);
  });

  it.each(Object.entries(responseSchemas))('reads %s', (name, schema) => {
    const result = schema.safeParse(fixture(name));
    expect(result.error?.issues).toBeUndefined();
  });

  it('accepts every documented message body (send-request-*.json) with the schema the client and sandbox use', () => {
    const names = fixtureNames('send-request-');
    expect(names.length).toBeGreaterThanOrEqual(19);
    for (const name of names) {
      const body = fixture(name);
      const schema = body.status === 'read' ? markReadRequestSchema : sendMessageRequestSchema;
      const result = schema.safeParse(body);
      expect({ name, issues: result.error?.issues }).toEqual({ name, issues: undefined });
    }
  });

  it('accepts every documented template creation body (template-create-request-*.json)', () => {
    const names = fixtureNames('template-create-request-');
    expect(names).toHaveLength(6);
    for (const name of names) {
      const result = templateCreateRequestSchema.safeParse(fixture(name));
      expect({ name, issues: result.error?.issues }).toEqual({ name, issues: undefined });
    }
  });

  it('refuses the profile-update example’s websites-as-a-string (a doc quirk) and accepts it as the array the reference specifies', () => {
    const example = fixture('business-profile-update-request.json');
    const refused = businessProfileUpdateRequestSchema.safeParse(example);
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(['websites']);
    const fixed = { ...example, websites: JSON.parse(example.websites as string) as string[] };
    expect(businessProfileUpdateRequestSchema.safeParse(fixed).success).toBe(true);
  });

  it('keeps the details a client needs from the responses', () => {
    const phone = phoneNumberSchema.parse(fixture('phone-number-get-response.json'));
    expect(phone).toMatchObject({ verified_name: 'Support Number', display_phone_number: '15555555555', quality_rating: 'GREEN' });
    const sent = sendMessageResponseSchema.parse(fixture('send-response-to-bsuid.json'));
    expect(sent.contacts?.[0]).toEqual({ input: 'US.13491208655302741918', user_id: 'US.13491208655302741918' });
    const list = templateListResponseSchema.parse(fixture('template-list-response.json'));
    expect(list.paging?.cursors?.after).toBe('QVFIU...');
    expect(list.data.map((t) => t.parameter_format)).toEqual(['NAMED', 'POSITIONAL']);
  });
});

describe('Meta’s request rules', () => {
  const base = { messaging_product: 'whatsapp', to: '+16505551234' } as const;

  it('refuses message bodies that break documented limits', () => {
    const tooLong = { ...base, type: 'text', text: { body: 'x'.repeat(4097) } };
    const fourButtons = {
      ...base,
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Pick' },
        action: { buttons: ['a', 'b', 'c', 'd'].map((id) => ({ type: 'reply', reply: { id, title: id } })) },
      },
    };
    const replyReaction = { ...base, type: 'reaction', context: { message_id: 'wamid.X' }, reaction: { message_id: 'wamid.Y', emoji: '👍' } };
    const idAndLink = { ...base, type: 'image', image: { id: '1', link: 'https://example.com/a.png' } };
    const httpLink = { ...base, type: 'image', image: { link: 'http://example.com/a.png' } };
    const noRecipient = { messaging_product: 'whatsapp', type: 'text', text: { body: 'hi' } };
    const audioCaption = { ...base, type: 'audio', audio: { id: '1', caption: 'no' } };
    const longCallback = { ...base, type: 'text', text: { body: 'hi' }, biz_opaque_callback_data: 'x'.repeat(513) };
    for (const body of [tooLong, fourButtons, replyReaction, idAndLink, httpLink, noRecipient, audioCaption, longCallback]) {
      expect(sendMessageRequestSchema.safeParse(body).success).toBe(false);
    }
    expect(sendMessageRequestSchema.safeParse({ ...base, recipient: 'US.13491208655302741918', to: undefined, type: 'text', text: { body: 'hi' } }).success).toBe(true);
  });

  it('refuses lists over 10 rows and untitled sections among several', () => {
    const rows = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, title: `${prefix}${i}` }));
    const list = (sections: unknown[]) => ({ ...base, type: 'interactive', interactive: { type: 'list', body: { text: 'Pick' }, action: { button: 'Open', sections } } });
    expect(sendMessageRequestSchema.safeParse(list([{ title: 'A', rows: rows(6, 'a') }, { title: 'B', rows: rows(5, 'b') }])).success).toBe(false);
    expect(sendMessageRequestSchema.safeParse(list([{ rows: rows(2, 'a') }, { title: 'B', rows: rows(2, 'b') }])).success).toBe(false);
    expect(sendMessageRequestSchema.safeParse(list([{ rows: rows(10, 'a') }])).success).toBe(true);
  });

  it('applies the business profile limits and names the field', () => {
    const check = (update: Record<string, unknown>) => businessProfileUpdateRequestSchema.safeParse({ messaging_product: 'whatsapp', ...update });
    expect(check({ about: 'x'.repeat(139), address: 'x'.repeat(256), description: 'x'.repeat(512), vertical: '' }).success).toBe(true);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ about: '' }, 'about'],
      [{ about: 'x'.repeat(140) }, 'about'],
      [{ address: 'x'.repeat(257) }, 'address'],
      [{ description: 'x'.repeat(513) }, 'description'],
      [{ email: 'not-an-email' }, 'email'],
      [{ websites: ['https://a.example', 'https://b.example', 'https://c.example'] }, 'websites'],
      [{ websites: ['www.example.com'] }, 'websites'],
      [{ vertical: 'UNDEFINED' }, 'vertical'],
      [{ vertical: 'NOT_A_BIZ' }, 'vertical'],
      [{ colour: 'blue' }, ''],
    ];
    for (const [update, field] of cases) {
      const result = check(update);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path[0] ?? '').toBe(field);
    }
  });

  it('applies the template creation rules, with Meta’s subcode for misplaced variables', () => {
    const body = (text: string, example?: unknown) => ({ type: 'BODY', text, ...(example ? { example } : {}) });
    const template = (components: unknown[], extra: Record<string, unknown> = {}) => ({ name: 'welcome', language: 'en_US', category: 'UTILITY', components, ...extra });
    const ok = templateCreateRequestSchema.safeParse(template([body('Hi {{1}}, welcome', { body_text: [['Ann']] })]));
    expect(ok.success).toBe(true);

    const trailing = templateCreateRequestSchema.safeParse(template([body('Welcome {{1}}', { body_text: [['Ann']] })]));
    const subcodeOf = (issue: unknown) => (issue as { params?: { subcode?: number } } | undefined)?.params?.subcode;
    expect(subcodeOf(trailing.error?.issues[0])).toBe(2388299);
    const adjacent = templateCreateRequestSchema.safeParse(template([body('Hi {{1}} {{2}} there', { body_text: [['a', 'b']] })]));
    expect(adjacent.error?.issues.some((i) => subcodeOf(i) === 2388299)).toBe(true);

    const refused = [
      template([body('Hi')], { name: 'Welcome' }),
      template([body('Hi')], { category: 'PROMO' }),
      template([{ type: 'HEADER', format: 'TEXT', text: 'Hi' }]),
      template([body('Hi {{1}} and {{3}} ok', { body_text: [['a', 'b']] })]),
      template([body('Hi {{1}} ok')]),
      template([body('Hi {{first}} ok', { body_text_named_params: [{ param_name: 'first', example: 'A' }] })]),
      template([body('Hi {{first}} ok', { body_text_named_params: [{ param_name: 'other', example: 'A' }] })], { parameter_format: 'named' }),
      template([body('x'.repeat(1025))]),
      template([{ type: 'HEADER', format: 'IMAGE' }, body('Hi')]),
      template([{ type: 'FOOTER', text: 'x'.repeat(61) }, body('Hi')]),
      template([body('Hi'), { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'A' }, { type: 'URL', text: 'B', url: 'https://a.example' }, { type: 'QUICK_REPLY', text: 'C' }] }]),
      template([body('Hi'), { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'x'.repeat(26) }] }]),
      template([body('Hi'), { type: 'BUTTONS', buttons: [1, 2, 3].map((n) => ({ type: 'URL', text: `U${n}`, url: 'https://a.example' })) }]),
      template([body('Hi'), body('Again')]),
    ];
    for (const candidate of refused) expect(templateCreateRequestSchema.safeParse(candidate).success).toBe(false);
  });

  it('checks media uploads against Meta’s types and sizes', () => {
    const upload = (type: string, size: number) => mediaUploadRequestSchema.safeParse({ messaging_product: 'whatsapp', type, file: { size, type, name: 'f' } });
    expect(upload('image/jpeg', 5 * 1024 * 1024).success).toBe(true);
    expect(upload('image/jpeg', 5 * 1024 * 1024 + 1).success).toBe(false);
    expect(upload('image/gif', 10).success).toBe(false);
    expect(upload('audio/ogg; codecs=opus', 1000).success).toBe(true);
    expect(upload('image/webp', 600 * 1024).success).toBe(false);
  });
});
