import { describe, expect, it, onTestFinished } from 'vitest';
import { errorOf } from '../cloud/graph-test-server';
import { createGraphClient } from '../../../electron/core/cloud/graph-client';
import type { GraphClientOptions, OutboundContent } from '../../../electron/core/cloud/graph-client';
import { createVirtualClock } from '../../../electron/core/clock';
import { startSandboxGraph } from '../../../electron/core/sandbox/graph-server';
import type { SandboxGraphOptions, SandboxSentMessage, TemplateStatusChange } from '../../../electron/core/sandbox/graph-server';
import { describeWithFixtures, fixture } from '../cloud/graph-fixtures';

const ids = { phoneNumberId: '106540352242922', wabaId: '102290129340398', appId: '1234567890123456' };
const goodToken = 'EAAsandbox-good-token';
const customer = '+16505551234';
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 5, 6, 7, 8]);

async function start(extra: Partial<SandboxGraphOptions> = {}) {
  const clock = createVirtualClock();
  const onSent: SandboxSentMessage[] = [];
  const statusChanges: TemplateStatusChange[] = [];
  const sandbox = await startSandboxGraph({
    clock,
    seed: 7,
    validToken: goodToken,
    ...ids,
    onSent: (message) => onSent.push(message),
    onTemplateStatus: (change) => statusChanges.push(change),
    ...extra,
  });
  onTestFinished(async () => {
    expect(sandbox.internalErrors).toEqual([]);
    await sandbox.close();
  });
  const client = (options: Partial<GraphClientOptions> = {}) =>
    createGraphClient({ ...ids, baseUrl: sandbox.baseUrl, accessToken: () => goodToken, timeoutMs: 2_000, ...options });
  const raw = (path: string, init: RequestInit = {}) =>
    fetch(`${sandbox.baseUrl}/v25.0/${path}`, { ...init, headers: { Authorization: `Bearer ${goodToken}`, ...init.headers } });
  return { clock, sandbox, client, raw, onSent, statusChanges };
}


describe('the sandbox Graph API with the real client', () => {
  it('refuses a wrong token with 190 and HTTP 401, and shows the phone number to the right one', async () => {
    const { client } = await start({ phone: { verified_name: 'Lucky Shrub', display_phone_number: '+1 631-555-5555' } });
    const refused = await errorOf(client({ accessToken: () => 'EAAwrong' }).getPhoneNumber());
    expect(refused).toMatchObject({ code: 190, kind: 'auth', retryable: false, httpStatus: 401, type: 'OAuthException' });
    expect(refused.sentence).toBe('190: the access token has expired or was revoked — enter a new one');
    expect(refused.fbtraceId).toMatch(/^A[\w-]{22}$/);

    const phone = await client().getPhoneNumber();
    expect(phone).toMatchObject({ id: ids.phoneNumberId, verified_name: 'Lucky Shrub', display_phone_number: '+1 631-555-5555', quality_rating: 'GREEN', status: 'CONNECTED' });
    expect(await client().listPhoneNumbers()).toEqual([{ verified_name: 'Lucky Shrub', display_phone_number: '+1 631-555-5555', id: ids.phoneNumberId, quality_rating: 'GREEN' }]);
  });

  it('answers an unknown id with 100 (subcode 33) and an unknown field with 100', async () => {
    const { client, raw } = await start();
    const unknown = await errorOf(client({ phoneNumberId: '999999999999999' }).getPhoneNumber());
    expect(unknown).toMatchObject({ code: 100, subcode: 33, kind: 'invalid', retryable: false, type: 'GraphMethodException' });
    expect(unknown.sentence).toBe('100: no object with this id — check the phone-number id and Business Account id, and that the token may use them');
    const field = await raw(`${ids.phoneNumberId}?fields=verified_name,colour`);
    expect(field.status).toBe(400);
    expect(((await field.json()) as { error: { message: string } }).error.message).toBe('(#100) Tried accessing nonexisting field (colour) on node type (WhatsAppBusinessPhoneNumber)');
  });

  it('sends text inside the window; outside it Meta accepts and the message fails with 131047', async () => {
    const { client, sandbox, clock, onSent } = await start();
    sandbox.noteInbound('16505551234', clock.now());
    const inside = await client().send(customer, { type: 'text', body: 'Your order is ready', previewUrl: false }, { clientId: 'out-1' });
    expect(inside.wamid).toMatch(/^wamid\./);
    expect(inside).toMatchObject({ input: customer, waId: '16505551234' });
    expect(sandbox.sent[0]).toMatchObject({ wamid: inside.wamid, clientId: 'out-1', type: 'text', waId: '16505551234', failure: undefined });
    expect(onSent).toEqual(sandbox.sent);

    const reply = await client().send(customer, { type: 'text', body: 'See you' }, { clientId: 'out-2', replyTo: inside.wamid });
    expect(sandbox.sent[1]!.request.context).toEqual({ message_id: inside.wamid });
    expect(reply.wamid).not.toBe(inside.wamid);

    clock.advance(24 * 60 * 60 * 1000);
    expect(sandbox.isWindowOpen(customer)).toBe(false);
    const late = await client().send(customer, { type: 'text', body: 'Still there?' }, { clientId: 'out-3' });
    expect(late.wamid).toMatch(/^wamid\./);
    expect(sandbox.sent[2]!.failure).toMatchObject({ code: 131047, title: 'Re-engagement message' });

    const template = await client().send(customer, { type: 'template', name: 'hello_world', language: 'en_US' }, { clientId: 'out-4' });
    expect(template.messageStatus).toBe('accepted');
    expect(sandbox.sent[3]).toMatchObject({ type: 'template', clientId: 'out-4', failure: undefined });
  });

  it('uploads an image, sends it by id and serves it back with the token only', async () => {
    const { client, sandbox, clock, raw } = await start();
    sandbox.noteInbound(customer, clock.now());
    const { id } = await client().uploadMedia({ bytes: jpeg, mimeType: 'image/jpeg', fileName: 'cake.jpg' });
    expect(id).toMatch(/^[1-9]\d{15}$/);
    await client().send(customer, { type: 'image', media: { id }, caption: 'Your cake' }, { clientId: 'img-1' });
    expect(sandbox.sent[0]!.request).toMatchObject({ type: 'image', image: { id, caption: 'Your cake' } });

    const info = await client().getMedia(id);
    expect(info).toMatchObject({ id, mimeType: 'image/jpeg', fileSize: jpeg.byteLength });
    expect(info.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await client().downloadMedia(id, { maxBytes: 1_000 })).bytes).toEqual(jpeg);
    expect((await fetch(info.url)).status).toBe(401);
    clock.advance(5 * 60 * 1000);
    expect((await fetch(info.url, { headers: { Authorization: `Bearer ${goodToken}` } })).status).toBe(404);

    await client().deleteMedia(id);
    expect(await errorOf(client().getMedia(id))).toMatchObject({ code: 100, subcode: 33 });

    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('type', 'image/gif');
    form.set('file', new Blob([new Uint8Array(4)], { type: 'image/gif' }), 'a.gif');
    const gif = await raw(`${ids.phoneNumberId}/media`, { method: 'POST', body: form });
    expect(gif.status).toBe(400);
    expect(((await gif.json()) as { error: { code: number } }).error.code).toBe(131053);
  });

  it('creates, reviews, lists, sends and deletes templates', async () => {
    const { client, clock, sandbox, statusChanges } = await start();
    const created = await client().createTemplate({
      name: 'table_ready',
      language: 'en_US',
      category: 'utility',
      components: [{ type: 'BODY', text: 'Hi {{1}}, your table for {{2}} is ready.', example: { body_text: [['Ann', '4']] } }],
    });
    expect(created).toMatchObject({ status: 'PENDING', category: 'UTILITY' });
    expect(await client().getTemplateStatus(created.id)).toEqual({ status: 'PENDING', id: created.id });
    const send = () => client().send(customer, { type: 'template', name: 'table_ready', language: 'en_US', body: [{ text: 'Ann' }, { text: '4' }] }, { clientId: 't1' });
    expect(await errorOf(send())).toMatchObject({ code: 132001, retryable: false });

    clock.advance(60_000);
    expect(statusChanges.map((c) => [c.template.name, c.previous, c.template.status])).toEqual([['table_ready', 'PENDING', 'APPROVED']]);
    const listed = await client().listTemplates();
    expect(listed.map((t) => [t.name, t.status, t.category, t.parameter_format])).toEqual([
      ['hello_world', 'APPROVED', 'UTILITY', 'POSITIONAL'],
      ['table_ready', 'APPROVED', 'UTILITY', 'POSITIONAL'],
    ]);
    expect((await send()).messageStatus).toBe('accepted');
    const wrongCount = client().send(customer, { type: 'template', name: 'table_ready', language: 'en_US', body: [{ text: 'Ann' }] }, { clientId: 't2' });
    expect(await errorOf(wrongCount)).toMatchObject({ code: 132000, retryable: false });

    const duplicate = await errorOf(client().createTemplate({ name: 'table_ready', language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'Again' }] }));
    expect(duplicate).toMatchObject({ code: 100, subcode: 2388024 });
    expect(duplicate.sentence).toBe('100: a template with this name already exists in this language');

    await client().deleteTemplate({ name: 'table_ready' });
    expect((await client().listTemplates()).map((t) => t.name)).toEqual(['hello_world']);
    expect(await errorOf(send())).toMatchObject({ code: 132001 });
    expect(await errorOf(client().deleteTemplate({ name: 'table_ready' }))).toMatchObject({ code: 100 });
    expect(sandbox.templates.list()).toHaveLength(1);
  });

  it('pages a long template list with cursors until the last page', async () => {
    const { client, sandbox } = await start({ helloWorld: false });
    for (let i = 0; i < 30; i++) sandbox.templates.seed({ name: `offer_${i}`, language: 'en_US', category: 'MARKETING', components: [{ type: 'BODY', text: `Offer ${i}` }] });
    const pages: number[] = [];
    const all = await client().listTemplates({ limit: 7, onPage: (n) => pages.push(n) });
    expect(all.map((t) => t.name)).toEqual(Array.from({ length: 30 }, (_, i) => `offer_${i}`));
    expect(pages).toEqual([7, 14, 21, 28, 30]);
    const last = await client().listTemplatesPage({ limit: 7, after: undefined, status: 'REJECTED' });
    expect(last).toEqual({ templates: [], after: undefined });
  });

  it('updates the business profile and refuses bad fields as Meta does', async () => {
    const { client, raw, sandbox } = await start({ profile: { about: 'Succulent specialists!' } });
    expect(await client().getBusinessProfile()).toEqual({ about: 'Succulent specialists!', messaging_product: 'whatsapp' });
    await client().updateBusinessProfile({ address: '1 Hacker Way', email: 'lucky@luckyshrub.com', websites: ['https://www.luckyshrub.com/'], vertical: 'RETAIL' });
    expect(await client().getBusinessProfile()).toEqual({
      about: 'Succulent specialists!',
      address: '1 Hacker Way',
      email: 'lucky@luckyshrub.com',
      websites: ['https://www.luckyshrub.com/'],
      vertical: 'RETAIL',
      messaging_product: 'whatsapp',
    });

    const local = await errorOf(client().updateBusinessProfile({ about: 'x'.repeat(140) }));
    expect(local).toMatchObject({ code: 'graph_invalid_request', kind: 'invalid' });
    expect(local.fields?.[0]?.path).toBe('about');

    for (const [body, field] of [
      [{ messaging_product: 'whatsapp', about: 'x'.repeat(140) }, 'about'],
      [{ messaging_product: 'whatsapp', email: 'nope' }, 'email'],
      [{ messaging_product: 'whatsapp', websites: '["https://www.luckyshrub.com"]' }, 'websites'],
      [{ messaging_product: 'whatsapp', vertical: 'UNDEFINED' }, 'vertical'],
    ] as const) {
      const answer = await raw(`${ids.phoneNumberId}/whatsapp_business_profile`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
      expect(answer.status).toBe(400);
      const { error } = (await answer.json()) as { error: { code: number; error_data: { details: string } } };
      expect(error.code).toBe(100);
      expect(error.error_data.details).toMatch(new RegExp(`^Param ${field}:`));
    }
    expect(sandbox.account.profile.about).toBe('Succulent specialists!');
  });

  it('gives resumable-upload handles for a profile photo and a template’s media sample', async () => {
    const { client, sandbox } = await start();
    const handle = await client().uploadResumable({ bytes: png, mimeType: 'image/png', fileName: 'logo.png' });
    expect(handle).toMatch(/^4::/);
    expect(sandbox.uploads.get(handle)?.length).toBe(png.byteLength);

    await client().updateBusinessProfile({ profile_picture_handle: handle });
    const url = (await client().getBusinessProfile()).profile_picture_url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/pps\//);
    expect(new Uint8Array(await (await fetch(url!)).arrayBuffer())).toEqual(png);

    const header = (h: string) => ({ name: 'new_menu', language: 'en_US', category: 'MARKETING', components: [{ type: 'HEADER', format: 'IMAGE', example: { header_handle: [h] } }, { type: 'BODY', text: 'Our new menu is here.' }] });
    expect((await client().createTemplate(header(handle))).status).toBe('PENDING');
    expect(await errorOf(client().createTemplate({ ...header('4::YX...'), name: 'other_menu' }))).toMatchObject({ code: 100 });
  });

  it('subscribes the app to the Business Account', async () => {
    const { client } = await start();
    expect(await client().listSubscribedApps()).toEqual([]);
    await client().subscribeApp();
    expect(await client().listSubscribedApps()).toEqual([{ whatsapp_business_api_data: { link: expect.any(String), name: 'Frontdesk', id: ids.appId } }]);
    await client().unsubscribeApp();
    expect(await client().listSubscribedApps()).toEqual([]);
  });

  it('accepts every kind of message the client builds (Meta’s rules are the same schemas on both sides)', async () => {
    const { client, sandbox, clock } = await start();
    sandbox.noteInbound(customer, clock.now());
    sandbox.templates.seed({
      name: 'welcome_discount',
      language: 'en_US',
      category: 'MARKETING',
      parameterFormat: 'NAMED',
      components: [
        { type: 'HEADER', format: 'IMAGE' },
        { type: 'BODY', text: 'Hi {{first_name}}, use {{code}} today.' },
      ],
    });
    const { id } = await client().uploadMedia({ bytes: jpeg, mimeType: 'image/jpeg', fileName: 'a.jpg' });
    const contents: OutboundContent[] = [
      { type: 'text', body: 'Hello https://example.com', previewUrl: true },
      { type: 'reaction', messageId: 'wamid.X', emoji: '' },
      { type: 'image', media: { id }, caption: '图片' },
      { type: 'video', media: { link: 'https://example.com/v.mp4' } },
      { type: 'audio', media: { id }, voice: true },
      { type: 'document', media: { id }, filename: 'menu.pdf', caption: 'Menu' },
      { type: 'sticker', media: { id } },
      { type: 'location', latitude: 22.2783, longitude: 114.1747, name: '中环', address: 'Central, Hong Kong' },
      { type: 'contacts', contacts: [{ name: { formatted_name: '王小明', first_name: '小明' }, phones: [{ phone: '+85291234567', type: 'CELL' }] }] },
      { type: 'buttons', header: { type: 'text', text: 'Booking' }, body: 'Keep your booking?', footer: 'Frontdesk', buttons: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }] },
      { type: 'list', body: 'Pick a time', button: 'Times', sections: [{ rows: [{ id: 't1', title: '10:00' }, { id: 't2', title: '11:00', description: 'Late morning' }] }] },
      { type: 'cta_url', body: 'See the menu', displayText: 'Menu', url: 'https://example.com/menu' },
      { type: 'template', name: 'hello_world', language: 'en_US' },
      {
        type: 'template',
        name: 'welcome_discount',
        language: 'en_US',
        header: { type: 'image', media: { id } },
        body: [
          { name: 'first_name', text: 'Ann' },
          { name: 'code', text: 'WELCOME25' },
        ],
      },
    ];
    for (const [i, content] of contents.entries()) {
      await client().send(customer, content, { clientId: `k${i}`, ...(content.type === 'text' ? { replyTo: 'wamid.Y' } : {}) });
    }
    expect(sandbox.sent.map((m) => [m.clientId, m.failure])).toEqual(contents.map((_, i) => [`k${i}`, undefined]));

    // A body stored in Meta's shape (the outbox's) goes the same way.
    const stored = await client().sendRequest({ to: customer, type: 'text', text: { body: 'From the outbox' } }, 'outbox-7');
    expect(sandbox.sent.at(-1)).toMatchObject({ wamid: stored.wamid, clientId: 'outbox-7', request: { messaging_product: 'whatsapp', text: { body: 'From the outbox' } } });
  });

  it('surfaces injected 429 and 500 faults as retryable errors, then answers normally', async () => {
    const { client, sandbox, clock } = await start();
    sandbox.noteInbound(customer, clock.now());
    sandbox.faults.inject('429');
    sandbox.faults.inject('500');
    const send = () => client().send(customer, { type: 'text', body: 'Hello' }, { clientId: 'f1' });
    expect(await errorOf(send())).toMatchObject({ code: 130429, kind: 'throttle', retryable: true, httpStatus: 429, subcode: 2494055 });
    expect(await errorOf(send())).toMatchObject({ code: 2, kind: 'server', retryable: true, httpStatus: 500 });
    expect(sandbox.faults.pending()).toBe(0);
    expect(sandbox.sent).toHaveLength(0);
    await send();
    expect(sandbox.sent).toHaveLength(1);
  });

  it('times out before acceptance (nothing sent) and after acceptance (sent, answer lost)', async () => {
    const { client, sandbox, clock } = await start();
    sandbox.noteInbound(customer, clock.now());
    sandbox.faults.inject('timeout-before-accept');
    const before = await errorOf(client({ timeoutMs: 200 }).send(customer, { type: 'text', body: 'One' }, { clientId: 'before' }));
    expect(before).toMatchObject({ code: 'graph_timeout', kind: 'timeout', maybeDelivered: true, retryable: false });
    expect(sandbox.sent).toHaveLength(0);

    sandbox.faults.inject('timeout-after-accept');
    // Long enough for the sandbox to have read and carried out the request before the client gives up.
    const after = await errorOf(client({ timeoutMs: 1_000 }).send(customer, { type: 'text', body: 'Two' }, { clientId: 'after' }));
    expect(after).toMatchObject({ code: 'graph_timeout', maybeDelivered: true });
    // Accepted: the status webhooks will carry the client id back.
    expect(sandbox.sent.map((m) => m.clientId)).toEqual(['after']);
  });

  it('enforces throughput (130429) and the pair rate (131056) on its clock', async () => {
    const { client, sandbox, clock } = await start({ throughputPerSecond: 3 });
    for (const n of ['1', '2', '3', '4']) sandbox.noteInbound(`+1650555000${n}`, clock.now());
    for (const n of ['1', '2', '3']) await client().send(`+1650555000${n}`, { type: 'text', body: 'Hi' }, { clientId: n });
    expect(await errorOf(client().send('+16505550004', { type: 'text', body: 'Hi' }, { clientId: '4' }))).toMatchObject({ code: 130429, retryable: true });
    clock.advance(1_000);
    await client().send('+16505550004', { type: 'text', body: 'Hi' }, { clientId: '4' });

    const pair = await start();
    pair.sandbox.noteInbound(customer, pair.clock.now());
    for (let i = 0; i < 45; i++) await pair.client().send(customer, { type: 'reaction', messageId: 'wamid.X', emoji: '👍' }, { clientId: `r${i}` });
    expect(await errorOf(pair.client().send(customer, { type: 'text', body: 'Hi' }, { clientId: 'r45' }))).toMatchObject({ code: 131056, kind: 'throttle', retryable: true });
    pair.clock.advance(6_000);
    await pair.client().send(customer, { type: 'text', body: 'Hi' }, { clientId: 'r46' });
  });

  it('refuses a message body Meta would refuse, with the Cloud API’s codes', async () => {
    const { raw } = await start();
    const post = async (body: unknown) => {
      const answer = await raw(`${ids.phoneNumberId}/messages`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
      return { status: answer.status, error: ((await answer.json()) as { error: { code: number; error_data?: { details: string } } }).error };
    };
    expect(await post({ messaging_product: 'whatsapp', to: customer, type: 'text', text: {} })).toMatchObject({ status: 400, error: { code: 131008, error_data: { details: "Parameter 'text.body' is required." } } });
    expect((await post({ messaging_product: 'whatsapp', to: customer, type: 'text', text: { body: 'x'.repeat(5000) } })).error.code).toBe(131009);
    expect((await post({ messaging_product: 'whatsapp', to: customer, type: 'text', text: { body: 'hi', colour: 'red' } })).error.code).toBe(100);
    expect((await post({ messaging_product: 'whatsapp', to: '+1 555-010-0100', type: 'text', text: { body: 'hi' } })).error.code).toBe(131021);
  });

  it('records read receipts and typing indicators', async () => {
    const { client, sandbox, clock } = await start();
    await client().markRead('wamid.ABC', { typing: true });
    await client().markRead('wamid.DEF');
    expect(sandbox.reads).toEqual([
      { messageId: 'wamid.ABC', typing: true, at: clock.now() },
      { messageId: 'wamid.DEF', typing: false, at: clock.now() },
    ]);
  });

  it('is deterministic for a seed', async () => {
    const run = async (seed: number) => {
      const { client, sandbox, clock } = await start({ seed });
      sandbox.noteInbound(customer, clock.now());
      const a = await client().send(customer, { type: 'text', body: 'a' }, { clientId: 'a' });
      const { id } = await client().uploadMedia({ bytes: jpeg, mimeType: 'image/jpeg', fileName: 'a.jpg' });
      return [a.wamid, id];
    };
    expect(await run(11)).toEqual(await run(11));
    expect(await run(11)).not.toEqual(await run(12));
  });
});

describeWithFixtures('the sandbox answers in Meta’s shapes', () => {
  const keys = (value: unknown) => Object.keys(value as object).sort();

  it('gives the throughput error exactly as Meta’s example, bar the trace id', async () => {
    const { sandbox, raw } = await start();
    sandbox.faults.inject('429');
    const answer = (await (await raw(`${ids.phoneNumberId}/messages`, { method: 'POST', body: '{}' })).json()) as { error: Record<string, unknown> };
    const example = fixture('error-130429-rate-limit.json');
    expect({ ...answer.error, fbtrace_id: 'x' }).toEqual({ ...example.error, fbtrace_id: 'x' });
  });

  it('matches the send, media, phone, profile and template fixtures key for key', async () => {
    const { raw, client, sandbox, clock } = await start({ profile: { about: 'a', address: 'b', description: 'c', email: 'd@e.fr', websites: ['https://x.example'], vertical: 'RETAIL' } });
    sandbox.noteInbound(customer, clock.now());
    const json = async (path: string, init?: RequestInit) => (await raw(path, init)).json() as Promise<Record<string, unknown>>;
    const post = (path: string, body: unknown) => json(path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

    const sent = await post(`${ids.phoneNumberId}/messages`, { messaging_product: 'whatsapp', to: customer, type: 'text', text: { body: 'hi' } });
    expect(keys(sent)).toEqual(keys(fixture('send-response.json')));
    expect(sent.contacts).toEqual(fixture('send-response.json').contacts);
    const templated = await post(`${ids.phoneNumberId}/messages`, { messaging_product: 'whatsapp', to: '16505551234', type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } });
    expect(templated).toMatchObject({ contacts: fixture('send-response-template-message-status-accepted.json').contacts, messages: [{ message_status: 'accepted' }] });
    expect(await post(`${ids.phoneNumberId}/messages`, fixture('send-request-mark-as-read.json'))).toEqual(fixture('send-response-success-true.json'));

    const { id } = await client().uploadMedia({ bytes: jpeg, mimeType: 'image/jpeg', fileName: 'a.jpg' });
    expect(keys(await json(id))).toEqual(keys(fixture('media-get-url-response.json')));
    expect(typeof (await json(id)).file_size).toBe(typeof fixture('media-get-url-response.json').file_size);

    const phone = await json(ids.phoneNumberId);
    expect(keys(phone)).toEqual(keys(fixture('phone-number-get-response.json')).filter((k) => k !== 'code_verification_status'));
    expect(keys(((await json(`${ids.wabaId}/phone_numbers`)).data as object[])[0])).toEqual(keys(fixture('phone-numbers-list-response.json').data[0]));

    const profile = (await json(`${ids.phoneNumberId}/whatsapp_business_profile?fields=about,address,description,email,profile_picture_url,websites,vertical`)) as { data: object[] };
    expect(keys(profile.data[0])).toEqual(keys(fixture('business-profile-get-response.json').data[0]).filter((k) => k !== 'profile_picture_url'));
    expect(await post(`${ids.phoneNumberId}/whatsapp_business_profile`, { messaging_product: 'whatsapp', about: 'Hi' })).toEqual(fixture('business-profile-update-response.json'));

    const created = await post(`${ids.wabaId}/message_templates`, fixture('template-create-request-named-params.json'));
    expect(keys(created)).toEqual(keys(fixture('template-create-response-pending.json')));
    expect(keys(await json(`${created.id as string}?fields=status`))).toEqual(keys(fixture('template-get-status-response.json')));
    const list = (await json(`${ids.wabaId}/message_templates?limit=1`)) as { data: object[]; paging: { cursors: object } };
    expect(keys(list)).toEqual(keys(fixture('template-list-response.json')));
    expect(keys(list.data[0])).toEqual(keys(fixture('template-list-response.json').data[0]));
    expect(keys(list.paging)).toEqual(keys(fixture('template-list-response.json').paging));
    expect(keys(list.paging.cursors)).toEqual(keys(fixture('template-list-response.json').paging.cursors));
    const deleted = await json(`${ids.wabaId}/message_templates?name=order_confirmation`, { method: 'DELETE' });
    expect(deleted).toEqual(fixture('template-delete-response.json'));
  });

  it('accepts every documented message body that does not depend on media or templates it lacks', async () => {
    const { raw, sandbox, clock } = await start();
    sandbox.noteInbound(customer, clock.now());
    for (const name of ['send-request-text-preview-url.json', 'send-request-text-reply-context.json', 'send-request-reaction.json', 'send-request-image-by-id.json', 'send-request-video-by-id.json', 'send-request-audio-voice.json', 'send-request-sticker.json', 'send-request-location.json', 'send-request-contacts.json', 'send-request-interactive-list.json', 'send-request-interactive-reply-buttons.json', 'send-request-interactive-cta-url.json', 'send-request-typing-indicator.json']) {
      const answer = await raw(`${ids.phoneNumberId}/messages`, { method: 'POST', body: JSON.stringify(fixture(name)), headers: { 'Content-Type': 'application/json' } });
      expect({ name, status: answer.status }).toEqual({ name, status: 200 });
    }
  });
});
