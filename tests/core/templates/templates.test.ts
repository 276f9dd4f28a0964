/**
 * Message templates against the sandbox (PRODUCT §9): sync every page with progress, create (PENDING, then
 * Meta's status webhook approves it), a media sample uploaded through the resumable upload API, delete by
 * name, send to a contact whose window has closed, and marketing refused to an opted-out contact.
 */
import { describe, expect, it } from 'vitest';
import type { TemplateView } from '../../../shared/ipc/templates';
import { signBody } from '../../../electron/core/cloud/signature';
import { demoIds } from '../../../electron/core/sandbox/demo';
import { templateStatusWebhook } from '../../../electron/core/sandbox/graph-route-templates';
import type { SignedWebhook, WebhookBody } from '../../../electron/core/sandbox/webhooks/payloads';
import { advanceUntil, call, customerWrites, openDemoInbox, waitFor } from '../inbox/inbox-support';
import type { DemoInbox } from '../inbox/inbox-support';

const hour = 60 * 60_000;
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);

async function failure(inbox: DemoInbox, channel: string, payload: unknown): Promise<{ code: string; message: string; fields?: Array<{ path: string }> }> {
  const result = (await inbox.core.invoke(channel as never, payload as never)) as { ok: boolean; error?: { code: string; message: string; fields?: Array<{ path: string }> } };
  expect(result.ok).toBe(false);
  return result.error!;
}

/** Meta's review, delivered as Meta does: the status webhook, signed, to the workspace's receiver. */
function review(inbox: DemoInbox, name: string, status: 'APPROVED' | 'REJECTED', reason?: string) {
  const demo = inbox.demo();
  const template = demo.graph.templates.list().find((t) => t.name === name)!;
  demo.graph.templates.setStatus(template.id, status, reason);
  const { body, bytes } = templateStatusWebhook(template, demoIds.wabaId, inbox.clock.now());
  const signed: SignedWebhook = { body: body as unknown as WebhookBody, bytes, signature: signBody(bytes, demo.credentials.appSecret) };
  demo.poster.post(signed);
}

const offer = {
  name: 'spring_offer',
  language: 'en_US',
  category: 'MARKETING',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Spring news from {{1}} today', example: { header_text: ['Lucky Shrub'] } },
    { type: 'BODY', text: 'Hi {{1}}, use code {{2}} for 20% off this week.', example: { body_text: [['Ann', 'SPRING20']] } },
    { type: 'FOOTER', text: 'Reply STOP to opt out' },
    { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Stop promotions' }] },
  ],
};

describe('templates', () => {
  it('syncs every page from the Business Account with progress', async () => {
    const inbox = await openDemoInbox();
    for (let i = 0; i < 130; i++) {
      inbox.demo().graph.templates.seed({ name: `notice_${String(i).padStart(3, '0')}`, language: i % 2 ? 'en_US' : 'zh_CN', category: i % 3 ? 'UTILITY' : 'MARKETING', components: [{ type: 'BODY', text: `Notice ${i}` }] });
    }
    const result = await call<{ count: number }>(inbox.core, 'templates:sync');
    expect(result.count).toBe(131); // with Meta's hello_world
    const progress = inbox.of('task:progress').filter((p) => p.task === 'template-sync');
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)).toEqual({ task: 'template-sync', done: 131, total: 131 });
    const all = await call<TemplateView[]>(inbox.core, 'templates:list');
    expect(all).toHaveLength(131);
    expect(all.find((t) => t.name === 'hello_world')).toMatchObject({ status: 'APPROVED', category: 'UTILITY', language: 'en_US', quality: 'GREEN' });
    const marketingChinese = await call<TemplateView[]>(inbox.core, 'templates:list', { category: 'marketing', language: 'zh_CN' });
    expect(marketingChinese.length).toBeGreaterThan(0);
    expect(marketingChinese.every((t) => t.category === 'MARKETING' && t.language === 'zh_CN')).toBe(true);
  });

  it('creates a template PENDING, and Meta\'s status webhook approves it', async () => {
    const inbox = await openDemoInbox();
    const created = await call<TemplateView>(inbox.core, 'templates:create', { definition: offer });
    expect(created).toMatchObject({ name: 'spring_offer', status: 'PENDING', category: 'MARKETING', parameterFormat: 'positional' });
    expect(inbox.demo().graph.templates.list().find((t) => t.name === 'spring_offer')?.status).toBe('PENDING');
    inbox.clock.advance(2000);
    review(inbox, 'spring_offer', 'APPROVED');
    await waitFor(() => inbox.archive().templates.get(created.id)?.status === 'APPROVED');
    expect(inbox.of('templates:changed').at(-1)).toMatchObject({ templateId: created.id, status: 'APPROVED' });
  });

  it('records a rejection with its reason', async () => {
    const inbox = await openDemoInbox();
    const created = await call<TemplateView>(inbox.core, 'templates:create', { definition: { ...offer, name: 'bad_offer' } });
    inbox.clock.advance(2000);
    review(inbox, 'bad_offer', 'REJECTED', 'PROMOTIONAL');
    await waitFor(() => inbox.archive().templates.get(created.id)?.status === 'REJECTED');
    expect((await call<TemplateView[]>(inbox.core, 'templates:list', { status: 'rejected' }))[0]).toMatchObject({ name: 'bad_offer', rejectionReason: 'PROMOTIONAL' });
  });

  it('uploads a media header sample and sends its handle', async () => {
    const inbox = await openDemoInbox();
    const definition = { ...offer, name: 'photo_offer', components: [{ type: 'HEADER', format: 'IMAGE' }, ...offer.components.slice(1)] };
    await call(inbox.core, 'templates:create', { definition, headerSample: { fileName: 'spring.png', mime: 'image/png', bytes: png } });
    const stored = inbox.demo().graph.templates.list().find((t) => t.name === 'photo_offer')!;
    const header = stored.components.find((c) => c.type === 'HEADER') as { example?: { header_handle?: string[] } };
    expect(header.example?.header_handle?.[0]).toMatch(/\S/);
  });

  it('refuses a broken template before Meta sees it, naming the field', async () => {
    const inbox = await openDemoInbox();
    const error = await failure(inbox, 'templates:create', { definition: { ...offer, name: 'Spring Offer' } });
    expect(error.code).toBe('invalid_request');
    expect(error.fields?.map((f) => f.path)).toContain('name');
    const noExample = await failure(inbox, 'templates:create', { definition: { ...offer, components: [{ type: 'BODY', text: 'Hi {{1}}, welcome.' }] } });
    expect(noExample.fields?.map((f) => f.path)).toContain('body.example.0');
    expect(inbox.demo().graph.templates.list().map((t) => t.name)).toEqual(['hello_world']);
  });

  it('shows Meta\'s refusal of a duplicate in words with the code', async () => {
    const inbox = await openDemoInbox();
    await call(inbox.core, 'templates:create', { definition: offer });
    const error = await failure(inbox, 'templates:create', { definition: offer });
    expect(error).toMatchObject({ code: 'meta_rejected', metaCode: 100 });
  });

  it('deletes a template by name in every language', async () => {
    const inbox = await openDemoInbox();
    await call(inbox.core, 'templates:create', { definition: offer });
    await call(inbox.core, 'templates:create', { definition: { ...offer, language: 'zh_CN' } });
    expect(await call(inbox.core, 'templates:delete', { name: 'spring_offer' })).toEqual({ deleted: 2 });
    expect(inbox.demo().graph.templates.list().map((t) => t.name)).toEqual(['hello_world']);
    expect((await call<TemplateView[]>(inbox.core, 'templates:list')).map((t) => t.name)).toEqual([]);
    await call(inbox.core, 'templates:sync');
    expect((await call<TemplateView[]>(inbox.core, 'templates:list')).map((t) => t.name)).toEqual(['hello_world']);
  });

  async function approvedOffer(inbox: DemoInbox): Promise<TemplateView> {
    const created = await call<TemplateView>(inbox.core, 'templates:create', { definition: offer });
    inbox.clock.advance(2000);
    review(inbox, 'spring_offer', 'APPROVED');
    await waitFor(() => inbox.archive().templates.get(created.id)?.status === 'APPROVED');
    return created;
  }

  it('sends a template to a contact whose window has closed, through the outbox as the staff member', async () => {
    const inbox = await openDemoInbox();
    const { conversationId } = await customerWrites(inbox, 2);
    inbox.clock.advance(25 * hour);
    const template = await approvedOffer(inbox);
    const free = await failure(inbox, 'messages:send', { kind: 'text', conversationId, text: 'hello?' });
    expect(free.code).toBe('window_closed');
    const missing = await failure(inbox, 'templates:send', { conversationId, templateId: template.id, values: { 'header.1': 'Lucky Shrub', 'body.1': 'Ann' } });
    expect(missing).toMatchObject({ code: 'invalid_request', fields: [{ path: 'body.2' }] });

    const before = inbox.demo().graph.sent.length;
    const { messageId } = await call<{ messageId: number }>(inbox.core, 'templates:send', {
      conversationId,
      templateId: template.id,
      values: { 'header.1': 'Lucky Shrub', 'body.1': 'Ann', 'body.2': 'SPRING20' },
    });
    await waitFor(() => inbox.demo().graph.sent.length > before);
    const sent = inbox.demo().graph.sent.at(-1)!;
    expect(sent.request).toMatchObject({
      type: 'template',
      template: {
        name: 'spring_offer',
        language: { code: 'en_US' },
        components: [
          { type: 'header', parameters: [{ type: 'text', text: 'Lucky Shrub' }] },
          { type: 'body', parameters: [{ type: 'text', text: 'Ann' }, { type: 'text', text: 'SPRING20' }] },
        ],
      },
    });
    await waitFor(() => inbox.archive().messages.get(messageId)?.wamid !== null);
    const message = inbox.archive().messages.get(messageId)!;
    expect(message).toMatchObject({ direction: 'out', type: 'template', conversationId });
    expect(message.senderStaffId).toBeTruthy();
  });

  it('sends a media header from the media store', async () => {
    const inbox = await openDemoInbox();
    const { conversationId } = await customerWrites(inbox, 3);
    const created = await call<TemplateView>(inbox.core, 'templates:create', {
      definition: { ...offer, name: 'photo_offer', category: 'UTILITY', components: [{ type: 'HEADER', format: 'IMAGE' }, ...offer.components.slice(1, 2)] },
      headerSample: { fileName: 'spring.png', mime: 'image/png', bytes: png },
    });
    inbox.clock.advance(2000);
    review(inbox, 'photo_offer', 'APPROVED');
    await waitFor(() => inbox.archive().templates.get(created.id)?.status === 'APPROVED');
    const noFile = await failure(inbox, 'templates:send', { conversationId, templateId: created.id, values: { 'body.1': 'Ann', 'body.2': 'X' } });
    expect(noFile.fields?.map((f) => f.path)).toEqual(['header.media']);
    const before = inbox.demo().graph.sent.length;
    // Meta fails the upload once: the message is queued anyway, and the outbox's sender uploads the header
    // file when it sends again.
    inbox.demo().graph.faults.inject('500', 1);
    const { messageId } = await call<{ messageId: number }>(inbox.core, 'templates:send', {
      conversationId,
      templateId: created.id,
      values: { 'body.1': 'Ann', 'body.2': 'X' },
      headerFile: { fileName: 'today.png', mime: 'image/png', bytes: png },
    });
    await advanceUntil(inbox, () => inbox.demo().graph.sent.length > before, 2000);
    const header = (inbox.demo().graph.sent.at(-1)!.request as { template: { components: Array<{ type: string; parameters: Array<{ image?: { id?: string } }> }> } }).template.components[0]!;
    expect(header.type).toBe('header');
    const uploaded = inbox.demo().graph.media.get(header.parameters[0]!.image!.id!);
    expect(Buffer.from(uploaded!.bytes).equals(Buffer.from(png))).toBe(true);
    expect(inbox.archive().messages.get(messageId)!.mediaId).not.toBeNull();
  });

  it('refuses a marketing template to a contact who opted out of marketing, and sends utility ones', async () => {
    const inbox = await openDemoInbox();
    const { conversationId } = await customerWrites(inbox, 4);
    const template = await approvedOffer(inbox);
    const contactId = inbox.archive().conversations.get(conversationId)!.contactId!;
    inbox.archive().contacts.update(contactId, { marketingOptOut: { optedOut: true, at: inbox.clock.now() } });
    const before = inbox.demo().graph.sent.length;
    const refused = await failure(inbox, 'templates:send', { conversationId, templateId: template.id, values: { 'header.1': 'a', 'body.1': 'b', 'body.2': 'c' } });
    expect(refused.code).toBe('opted_out');
    await call(inbox.core, 'templates:sync');
    const hello = (await call<TemplateView[]>(inbox.core, 'templates:list')).find((t) => t.name === 'hello_world')!;
    await call(inbox.core, 'templates:send', { conversationId, templateId: hello.id, values: {} });
    await waitFor(() => inbox.demo().graph.sent.length === before + 1);
    expect(inbox.demo().graph.sent.at(-1)!.request).toMatchObject({ type: 'template', template: { name: 'hello_world' } });
  });
});
