import { describe, expect, it } from 'vitest';
import { errorOf } from './graph-test-server';
import { createGraphClient } from '../../../electron/core/cloud/graph-client';
import type { GraphClientOptions, OutboundContent, Recipient, SendOptions } from '../../../electron/core/cloud/graph-client';
import { createMemoryLogger } from '../../../electron/core/node-ports';
import { describeWithFixtures, fixture, fixtureNames } from './graph-fixtures';
import { startRecorder } from './graph-test-server';
import type { Answer, RecordedRequest } from './graph-test-server';

const ids = { phoneNumberId: '106540352242922', wabaId: '102290129340398', appId: '1234567890' };
const token = 'EAAG-secret-token-123';

async function clientWith(answer: (request: RecordedRequest, index: number) => Answer, extra: Partial<GraphClientOptions> = {}) {
  const recorder = await startRecorder(answer);
  const client = createGraphClient({ ...ids, baseUrl: recorder.baseUrl, accessToken: () => token, timeoutMs: 5_000, ...extra });
  return { client, recorder };
}


const pablo = '+16505551234';

/** What staff send, per documented request: the client must produce exactly that body. */
const sends: Record<string, { to: Recipient; content: OutboundContent; options?: Partial<SendOptions> }> = {
  'send-request-text-preview-url.json': {
    to: pablo,
    content: { type: 'text', body: "As requested, here's the link to our latest product: https://www.meta.com/quest/quest-3/", previewUrl: true },
  },
  'send-request-text-reply-context.json': {
    to: pablo,
    content: { type: 'text', body: "You're welcome, Pablo!" },
    options: { replyTo: 'wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQTdCNTg5RjY1MEMyRjlGMjRGNgA=' },
  },
  'send-request-reaction.json': {
    to: pablo,
    content: { type: 'reaction', messageId: 'wamid.HBgLMTY0NjcwNDM1OTUVAgASGBQzQUZCMTY0MDc2MUYwNzBDNTY5MAA=', emoji: '😀' },
  },
  'send-request-image-by-id.json': { to: pablo, content: { type: 'image', media: { id: '1479537139650973' }, caption: 'The best succulent ever?' } },
  'send-request-video-by-id.json': { to: pablo, content: { type: 'video', media: { id: '1166846181421424' }, caption: 'A succulent eclipse!' } },
  'send-request-audio-voice.json': { to: pablo, content: { type: 'audio', media: { id: '1013859600285441' }, voice: true } },
  'send-request-sticker.json': { to: pablo, content: { type: 'sticker', media: { id: '798882015472548' } } },
  'send-request-location.json': {
    to: pablo,
    content: { type: 'location', latitude: '37.44216251868683', longitude: '-122.16153582049394', name: 'Philz Coffee', address: '101 Forest Ave, Palo Alto, CA 94301' },
  },
  'send-request-contacts.json': {
    to: pablo,
    content: {
      type: 'contacts',
      contacts: [
        {
          addresses: [
            { street: '1 Lucky Shrub Way', city: 'Menlo Park', state: 'CA', zip: '94025', country: 'United States', country_code: 'US', type: 'Office' },
            { street: '1 Hacker Way', city: 'Menlo Park', state: 'CA', zip: '94025', country: 'United States', country_code: 'US', type: 'Pop-Up' },
          ],
          birthday: '1999-01-23',
          emails: [
            { email: 'bjohnson@luckyshrub.com', type: 'Work' },
            { email: 'bjohnson@luckyshrubplants.com', type: 'Work (old)' },
          ],
          name: { formatted_name: 'Barbara J. Johnson', first_name: 'Barbara', last_name: 'Johnson', middle_name: 'Joana', suffix: 'Esq.', prefix: 'Dr.' },
          org: { company: 'Lucky Shrub', department: 'Legal', title: 'Lead Counsel' },
          phones: [
            { phone: '+16505559999', type: 'Landline' },
            { phone: '+19175559999', type: 'Mobile', wa_id: '19175559999' },
          ],
          urls: [
            { url: 'https://www.luckyshrub.com', type: 'Company' },
            { url: 'https://www.facebook.com/luckyshrubplants', type: 'Company (FB)' },
          ],
        },
      ],
    },
  },
  'send-request-interactive-reply-buttons.json': {
    to: pablo,
    content: {
      type: 'buttons',
      header: { type: 'image', media: { id: '2762702990552401' } },
      body: 'Hi Pablo! Your gardening workshop is scheduled for 9am tomorrow. Use the buttons if you need to reschedule. Thank you!',
      footer: 'Lucky Shrub: Your gateway to succulents!™',
      buttons: [
        { id: 'change-button', title: 'Change' },
        { id: 'cancel-button', title: 'Cancel' },
      ],
    },
  },
  'send-request-interactive-list.json': {
    to: pablo,
    content: {
      type: 'list',
      header: 'Choose Shipping Option',
      body: 'Which shipping option do you prefer?',
      footer: 'Lucky Shrub: Your gateway to succulents™',
      button: 'Shipping Options',
      sections: [
        {
          title: 'I want it ASAP!',
          rows: [
            { id: 'priority_express', title: 'Priority Mail Express', description: 'Next Day to 2 Days' },
            { id: 'priority_mail', title: 'Priority Mail', description: '1–3 Days' },
          ],
        },
        {
          title: 'I can wait a bit',
          rows: [
            { id: 'usps_ground_advantage', title: 'USPS Ground Advantage', description: '2–5 Days' },
            { id: 'media_mail', title: 'Media Mail', description: '2–8 Days' },
          ],
        },
      ],
    },
  },
  'send-request-interactive-cta-url.json': {
    to: pablo,
    content: {
      type: 'cta_url',
      header: { type: 'image', media: { link: 'https://www.luckyshrub.com/assets/lucky-shrub-banner-logo-v1.png' } },
      body: 'Tap the button below to see available dates.',
      footer: 'Dates subject to change.',
      displayText: 'See Dates',
      url: 'https://www.luckyshrub.com?clickID=kqDGWd24Q5TRwoEQTICY7W1JKoXvaZOXWAS7h1P76s0R7Paec4',
    },
  },
  'send-request-template-positional-params.json': {
    to: pablo,
    content: { type: 'template', name: 'order_confirmation', language: 'en_US', body: [{ text: 'Jessica' }, { text: 'SKBUP2-4CPIG9' }] },
  },
  'send-request-template-named-params.json': {
    to: pablo,
    content: {
      type: 'template',
      name: 'order_confirmation',
      language: 'en_US',
      body: [
        { name: 'first_name', text: 'Jessica' },
        { name: 'order_number', text: 'SKBUP2-4CPIG9' },
      ],
    },
  },
  'send-request-template-marketing-image-header-named.json': {
    to: '16505551234',
    content: {
      type: 'template',
      name: 'welcome_discount_template',
      language: 'en_US',
      header: { type: 'image', media: { id: '1339522734477770' } },
      body: [
        { name: 'first_name', text: 'Jessica' },
        { name: 'discount_code', text: 'WELCOME25' },
        { name: 'discount_amount', text: '25%' },
      ],
    },
  },
  'send-request-template-utility.json': {
    to: '16505551234',
    content: {
      type: 'template',
      name: 'reservation_confirmation',
      language: 'en_US',
      header: { type: 'image', media: { id: '2871834006348767' } },
      body: [
        { name: 'number_of_guests', text: '4' },
        { name: 'day', text: 'Saturday' },
        { name: 'date', text: 'August 30th, 2025' },
        { name: 'time', text: '7:30 pm' },
      ],
    },
  },
  'send-request-template-coupon-copy-code-button.json': {
    to: '16505551234',
    content: {
      type: 'template',
      name: 'winter_sale_coupon',
      language: 'en_US',
      body: [
        { name: 'coupon_code', text: 'WINTER25' },
        { name: 'discount', text: '30%' },
      ],
      buttons: [{ type: 'copy_code', index: 1, couponCode: 'WINTER25' }],
    },
  },
  'send-request-template-limited-time-offer.json': {
    to: '16505555555',
    content: {
      type: 'template',
      name: 'limited_time_offer_caribbean_pkg_2023',
      language: 'en_US',
      header: { type: 'image', media: { id: '1602186516975000' } },
      body: [{ text: 'Pablo' }, { text: 'CARIBE25' }],
      limitedTimeOffer: { expirationTimeMs: 1209600000 },
      buttons: [
        { type: 'copy_code', index: 0, couponCode: 'CARIBE25' },
        { type: 'url', index: 1, text: 'n3mtql' },
      ],
    },
  },
};

describeWithFixtures('the client’s requests and Meta’s documented ones', () => {
  it('covers every documented message request', () => {
    const documented = fixtureNames('send-request-').filter((name) => !['send-request-mark-as-read.json', 'send-request-typing-indicator.json'].includes(name));
    expect(Object.keys(sends).sort()).toEqual(documented);
  });

  it.each(Object.keys(sends))('builds %s exactly, plus our client id', async (name) => {
    const { client, recorder } = await clientWith(() => ({ json: fixture('send-response.json') }));
    const { to, content, options } = sends[name]!;
    const result = await client.send(to, content, { clientId: 'out-42', ...options });

    const request = recorder.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/v25.0/${ids.phoneNumberId}/messages`);
    expect(request.headers.authorization).toBe(`Bearer ${token}`);
    expect(request.headers['content-type']).toBe('application/json');
    const { biz_opaque_callback_data: clientId, ...body } = request.json() as Record<string, unknown>;
    expect(clientId).toBe('out-42');
    // Meta's examples leave recipient_type out where it is the default.
    expect(body).toEqual({ recipient_type: 'individual', ...fixture(name) });
    expect(result).toEqual({
      wamid: 'wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA',
      input: '+16505551234',
      waId: '16505551234',
      userId: undefined,
      messageStatus: undefined,
    });
  });

  it('marks as read, with and without the typing indicator, as documented', async () => {
    const { client, recorder } = await clientWith(() => ({ json: fixture('send-response-success-true.json') }));
    const wamid = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA';
    await client.markRead(wamid);
    await client.markRead(wamid, { typing: true });
    expect(recorder.requests.map((r) => r.json())).toEqual([fixture('send-request-mark-as-read.json'), fixture('send-request-typing-indicator.json')]);
  });

  it('reads template pacing and BSUID send responses', async () => {
    const answers = [fixture('send-response-template-message-status-accepted.json'), fixture('send-response-to-bsuid.json')];
    const { client, recorder } = await clientWith((_r, i) => ({ json: answers[i] }));
    const template = await client.send('16505551234', { type: 'template', name: 'hello_world', language: 'en_US' }, { clientId: 'c1' });
    expect(template).toMatchObject({ messageStatus: 'accepted', waId: '16505551234' });
    const bsuid = await client.send({ userId: 'US.13491208655302741918' }, { type: 'text', body: 'Hi' }, { clientId: 'c2' });
    expect(bsuid).toMatchObject({ userId: 'US.13491208655302741918', waId: undefined, input: 'US.13491208655302741918' });
    expect(recorder.requests[1]!.json()).toMatchObject({ recipient: 'US.13491208655302741918' });
    expect(recorder.requests[1]!.json()).not.toHaveProperty('to');
  });

  it('creates each documented template with the body Meta documents', async () => {
    const { client, recorder } = await clientWith(() => ({ json: fixture('template-create-response-pending.json') }));
    for (const name of fixtureNames('template-create-request-')) {
      const created = await client.createTemplate(fixture(name));
      expect(created).toEqual({ id: '1627019861106475', status: 'PENDING', category: 'MARKETING' });
      const request = recorder.requests.at(-1)!;
      expect(request.path).toBe(`/v25.0/${ids.wabaId}/message_templates`);
      expect(request.json()).toEqual(fixture(name));
    }
  });

  it('follows paging cursors through every page of templates, on its own base URL', async () => {
    const lastPage = fixture('template-list-status-filter-response.json');
    delete lastPage.paging.next; // Graph leaves `next` out on the last page
    const { client, recorder } = await clientWith((_r, i) => ({ json: i === 0 ? fixture('template-list-response.json') : lastPage }));
    const progress: number[] = [];
    const templates = await client.listTemplates({ limit: 2, onPage: (n) => progress.push(n) });
    expect(templates.map((t) => t.name)).toEqual([
      'reservation_confirmation',
      'coupon_expiration_reminder_number_vars',
      'reservation_confirmation',
      'coupon_expiration_reminder_number_vars',
      'coupon_expiration_reminder_named_vars',
      'calling_permission_request',
      'location_request_v1',
      'order_confirmation',
    ]);
    expect(progress).toEqual([2, 8]);
    expect(recorder.requests.map((r) => [r.path, r.query.get('after'), r.query.get('limit')])).toEqual([
      [`/v25.0/${ids.wabaId}/message_templates`, null, '2'],
      [`/v25.0/${ids.wabaId}/message_templates`, 'QVFIU...', '2'],
    ]);
    expect(recorder.requests[0]!.query.get('fields')).toContain('components');
  });

  it('stops paging when a cursor repeats', async () => {
    const { client, recorder } = await clientWith(() => ({ json: fixture('template-list-fields-name-category-status-response.json') }));
    const templates = await client.listTemplates();
    expect(recorder.requests).toHaveLength(2);
    expect(templates).toHaveLength(10);
  });

  it('reads the phone number, business profile, media URL and upload answers', async () => {
    const answers: Record<string, unknown> = {
      [`/v25.0/${ids.phoneNumberId}`]: fixture('phone-number-get-response.json'),
      [`/v25.0/${ids.phoneNumberId}/whatsapp_business_profile`]: fixture('business-profile-get-response.json'),
      '/v25.0/2621233374848975': fixture('media-get-url-response.json'),
      [`/v25.0/${ids.phoneNumberId}/media`]: fixture('media-upload-response.json'),
    };
    const { client, recorder } = await clientWith((r) => ({ json: answers[r.path] }));
    expect(await client.getPhoneNumber()).toMatchObject({ verified_name: 'Support Number', display_phone_number: '15555555555', quality_rating: 'GREEN' });
    expect(recorder.requests[0]!.query.get('fields')).toContain('verified_name');
    expect(await client.getBusinessProfile()).toMatchObject({ about: 'Succulent specialists!', vertical: 'RETAIL', websites: ['https://www.luckyshrub.com/'] });
    expect(await client.getMedia('2621233374848975')).toEqual({ id: '2621233374848975', url: '<URL>', mimeType: 'image/jpeg', sha256: '<HASH>', fileSize: 303833 });
    expect(recorder.requests[2]!.query.get('phone_number_id')).toBe(ids.phoneNumberId);

    const uploaded = await client.uploadMedia({ bytes: new Uint8Array([0xff, 0xd8, 0xff]), mimeType: 'image/jpeg', fileName: 'plant.jpg' });
    expect(uploaded).toEqual({ id: '1037543291543636' });
    const upload = recorder.requests[3]!;
    expect(upload.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const form = await new Response(new Uint8Array(upload.body), { headers: { 'content-type': upload.headers['content-type']! } }).formData();
    expect(form.get('messaging_product')).toBe('whatsapp');
    expect(form.get('type')).toBe('image/jpeg');
    const file = form.get('file') as File;
    expect([file.name, file.type, file.size]).toEqual(['plant.jpg', 'image/jpeg', 3]);

    // Meta's example URL is a placeholder: the token is never sent to a URL that is not Meta's (or ours).
    const refused = await errorOf(client.downloadMedia('2621233374848975', { maxBytes: 1_000_000 }));
    expect(refused.code).toBe('graph_untrusted_media_url');
  });

  it('sends the documented profile update with websites as an array', async () => {
    const { client, recorder } = await clientWith(() => ({ json: fixture('business-profile-update-response.json') }));
    const { messaging_product: _product, websites, ...rest } = fixture('business-profile-update-request.json');
    await client.updateBusinessProfile({ ...rest, websites: JSON.parse(websites) });
    expect(recorder.requests[0]!.json()).toEqual({ ...fixture('business-profile-update-request.json'), websites: ['https://www.luckyshrub.com'] });
  });
});

describe('the client on its own', () => {
  it('refuses a broken request before sending it, naming the field', async () => {
    const { client, recorder } = await clientWith(() => ({ json: {} }));
    const error = await errorOf(client.send('+16505551234', { type: 'text', body: '' }, { clientId: 'c' }));
    expect(error).toMatchObject({ code: 'graph_invalid_request', kind: 'invalid', retryable: false });
    expect(error.fields?.[0]?.path).toBe('text.body');
    const profile = await errorOf(client.updateBusinessProfile({ websites: ['a', 'b', 'c'] }));
    expect(profile.fields?.[0]?.path).toBe('websites');
    expect(recorder.requests).toHaveLength(0);
  });

  it('calls an unexpected answer graph_bad_response, and a send that got one may have gone through', async () => {
    const { client } = await clientWith(() => ({ json: { messaging_product: 'whatsapp', messages: [] } }));
    const error = await errorOf(client.send('+16505551234', { type: 'text', body: 'Hi' }, { clientId: 'c' }));
    expect(error).toMatchObject({ code: 'graph_bad_response', kind: 'server', retryable: false, maybeDelivered: true, httpStatus: 200 });
    const notJson = await clientWith(() => ({ text: '<html>ok</html>' }));
    expect(await errorOf(notJson.client.getPhoneNumber())).toMatchObject({ code: 'graph_bad_response', maybeDelivered: false });
  });

  it('asks nothing of Meta without a token', async () => {
    const recorder = await startRecorder(() => ({ json: {} }));
    const client = createGraphClient({ ...ids, baseUrl: recorder.baseUrl, accessToken: () => null, timeoutMs: 1_000 });
    expect(await errorOf(client.getPhoneNumber())).toMatchObject({ code: 'graph_no_token', kind: 'auth', retryable: false });
    expect(recorder.requests).toHaveLength(0);
  });

  it('uses the configured version and reads the token for every call', async () => {
    let current = 'first';
    const recorder = await startRecorder(() => ({ json: { success: true } }));
    const client = createGraphClient({ ...ids, baseUrl: `${recorder.baseUrl}/`, version: 'v23.0', accessToken: () => current, timeoutMs: 1_000 });
    await client.subscribeApp();
    current = 'second';
    await client.deleteTemplate({ name: 'old_offer', hsmId: '42' });
    expect(recorder.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
      ['POST', `/v23.0/${ids.wabaId}/subscribed_apps`, 'Bearer first'],
      ['DELETE', `/v23.0/${ids.wabaId}/message_templates`, 'Bearer second'],
    ]);
    expect(Object.fromEntries(recorder.requests[1]!.query)).toEqual({ name: 'old_offer', hsm_id: '42' });
  });

  it('downloads media from its own origin with the token, within the size cap, and re-asks for an expired URL', async () => {
    let base = '';
    let urlVersion = 0;
    const bytes = new Uint8Array(2048).fill(7);
    const { client, recorder } = await clientWith((r) => {
      if (r.path === '/v25.0/555') {
        urlVersion += 1;
        return { json: { messaging_product: 'whatsapp', url: `${base}/file-${urlVersion}`, mime_type: 'image/png', sha256: 'abc', file_size: 2048, id: '555' } };
      }
      if (r.path === '/file-1') return { status: 404, text: 'gone' };
      return { bytes, contentType: 'image/png' };
    });
    base = recorder.baseUrl;
    const file = await client.downloadMedia('555', { maxBytes: 4096 });
    expect(file.bytes).toEqual(bytes);
    expect(file.mimeType).toBe('image/png');
    expect(recorder.requests.map((r) => r.path)).toEqual(['/v25.0/555', '/file-1', '/v25.0/555', '/file-2']);
    expect(recorder.requests[3]!.headers.authorization).toBe(`Bearer ${token}`);

    const tooLarge = await errorOf(client.downloadMedia('555', { maxBytes: 1024 }));
    expect(tooLarge).toMatchObject({ code: 'graph_media_too_large', retryable: false });
  });

  it('stops reading a download that exceeds the cap although its size was understated', async () => {
    let base = '';
    const { client, recorder } = await clientWith((r) =>
      r.path === '/v25.0/9'
        ? { json: { messaging_product: 'whatsapp', url: `${base}/big`, mime_type: 'video/mp4', sha256: 'x', file_size: '10', id: '9' } }
        : { bytes: new Uint8Array(200_000), contentType: 'video/mp4' },
    );
    base = recorder.baseUrl;
    expect(await errorOf(client.downloadMedia('9', { maxBytes: 100_000 }))).toMatchObject({ code: 'graph_media_too_large' });
  });

  it('never logs or reports the token', async () => {
    const logger = createMemoryLogger();
    const { client } = await clientWith((_r, i) => (i === 0 ? { json: { success: true } } : { status: 401, json: { error: { message: 'Invalid OAuth access token', type: 'OAuthException', code: 190 } } }), { logger });
    await client.subscribeApp();
    const error = await errorOf(client.getPhoneNumber());
    expect(error.sentence).toBe('190: the access token has expired or was revoked — enter a new one');
    expect(logger.entries.length).toBeGreaterThan(0);
    const everything = JSON.stringify([logger.entries, error, error.message, error.stack, error.fields]);
    expect(everything).not.toContain(token);
  });

  it('uploads through the resumable upload API and resumes from Meta’s offset after a broken connection', async () => {
    const bytes = new Uint8Array(Array.from({ length: 12 }, (_, i) => i));
    const session = 'upload:MTphdHRhY2htZW50?sig=ARZabc';
    const { client, recorder } = await clientWith((r, i) => {
      if (i === 0) return { json: { id: session } };
      if (i === 1) return { destroy: true };
      if (i === 2) return { json: { id: 'upload:MTphdHRhY2htZW50', file_offset: 5 } };
      return { json: { h: '4::aW1hZ2U=' } };
    });
    expect(await client.uploadResumable({ bytes, mimeType: 'image/png', fileName: 'logo.png' })).toBe('4::aW1hZ2U=');
    const [start, first, status, resumed] = recorder.requests;
    expect([start!.method, start!.path, Object.fromEntries(start!.query)]).toEqual(['POST', `/v25.0/${ids.appId}/uploads`, { file_name: 'logo.png', file_length: '12', file_type: 'image/png' }]);
    expect(start!.headers.authorization).toBe(`Bearer ${token}`);
    for (const step of [first!, status!, resumed!]) {
      expect([step.path, step.query.get('sig'), step.headers.authorization]).toEqual(['/v25.0/upload:MTphdHRhY2htZW50', 'ARZabc', `OAuth ${token}`]);
    }
    expect([first!.headers.file_offset, first!.body.length]).toEqual(['0', 12]);
    expect(status!.method).toBe('GET');
    expect([resumed!.headers.file_offset, [...resumed!.body]]).toEqual(['5', [5, 6, 7, 8, 9, 10, 11]]);
  });

  it('needs the app id for the resumable upload API', async () => {
    const { client } = await clientWith(() => ({ json: {} }), { appId: undefined });
    expect(await errorOf(client.uploadResumable({ bytes: new Uint8Array(3), mimeType: 'image/png', fileName: 'a.png' }))).toMatchObject({ code: 'graph_no_app_id' });
  });
});
