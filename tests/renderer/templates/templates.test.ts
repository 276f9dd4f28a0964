/**
 * The Templates page's create form (validation naming fields, live preview, what reaches core) and the
 * composer's template mode (pick, fill, preview, send; marketing refused to an opted-out contact).
 */
import { describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { TemplateView } from '../../../shared/ipc/templates';
import { fail, ok } from '../../../shared/ipc/result';
import TemplatePanel from '../../../renderer/src/components/inbox/TemplatePanel.vue';
import { createAppI18n } from '../../../renderer/src/i18n';
import { templatesEn } from '../../../renderer/src/i18n/templates.en';
import { templatesZhCN } from '../../../renderer/src/i18n/templates.zh-cn';
import { templateIssueCodes } from '../../../shared/rules/templates';
import { useChatStore } from '../../../renderer/src/stores/chat';
import { conversationDetail } from '../contacts/contact-fixtures';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk } from '../support/fake-frontdesk';
import type { FakeHandlers } from '../support/fake-frontdesk';
import { mountApp } from '../support/mount-app';
import type { AppLocale } from '../../../renderer/src/i18n/locales';

cleanUpAfterEach();

function template(overrides: Partial<TemplateView> = {}): TemplateView {
  return {
    id: 7,
    metaId: '1234567890',
    name: 'order_update',
    language: 'en_US',
    category: 'UTILITY',
    subCategory: null,
    status: 'APPROVED',
    quality: 'GREEN',
    rejectionReason: null,
    parameterFormat: 'positional',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Order news' },
      { type: 'BODY', text: 'Hi {{1}}, your order {{2}} ships today.', example: { body_text: [['Ann', 'A1']] } },
      { type: 'FOOTER', text: 'Lucky Shrub' },
    ],
    syncedAt: 1,
    updatedAt: 1,
    ...overrides,
  };
}

async function openPage(handlers: FakeHandlers = {}, locale: AppLocale = 'en') {
  const frontdesk = createFakeFrontdesk({
    'templates:list': () => ok([template(), template({ id: 8, name: 'spring_offer', category: 'MARKETING', status: 'REJECTED', rejectionReason: 'PROMOTIONAL', quality: null })]),
    'templates:create': (request) => ok(template({ id: 9, name: request.definition.name, status: 'PENDING' })),
    'templates:delete': () => ok({ deleted: 1 }),
    'templates:sync': () => ok({ count: 2, at: 1 }),
    ...handlers,
  });
  return mountApp({ frontdesk, locale, path: '/templates' });
}

type Wrapper = Awaited<ReturnType<typeof openPage>>['wrapper'];
const byId = (w: Wrapper, id: string) => w.get(`[data-testid="${id}"]`);
const fieldError = (w: Wrapper, field: string) => w.find(`[data-testid="field-error"][data-field="${field}"]`);

describe('the Templates page', () => {
  it('lists templates with status, category, language, quality and rejection reason', async () => {
    const { wrapper } = await openPage();
    const rows = wrapper.findAll('[data-testid="template-row"]');
    expect(rows.map((r) => r.attributes('data-status'))).toEqual(['APPROVED', 'REJECTED']);
    expect(rows[0]!.text()).toContain('order_update');
    expect(rows[0]!.text()).toContain('Utility');
    expect(rows[0]!.text()).toContain('High');
    expect(rows[1]!.text()).toContain('Rejected: promotional content in a utility template');
    await byId(wrapper, 'template-filter-category').setValue('MARKETING');
    expect(wrapper.findAll('[data-testid="template-row"]').map((r) => r.attributes('data-name'))).toEqual(['spring_offer']);
  });

  it('names every wrong field on submit and sends nothing to core', async () => {
    const { wrapper, frontdesk } = await openPage();
    await byId(wrapper, 'template-new').trigger('click');
    await byId(wrapper, 'template-name').setValue('Order Update');
    await byId(wrapper, 'template-body').setValue('Hi {{1}}, your order {{3}} ships.');
    await byId(wrapper, 'template-footer').setValue('x'.repeat(61));
    await byId(wrapper, 'template-submit').trigger('click');
    await flushPromises();
    expect(fieldError(wrapper, 'name').text()).toContain('Lowercase');
    expect(fieldError(wrapper, 'body.text').text()).toContain('without gaps');
    expect(fieldError(wrapper, 'footer.text').text()).toContain('60');
    expect(frontdesk.callsTo('templates:create')).toBe(0);
  });

  it('has words for every template rule in both languages', () => {
    for (const code of templateIssueCodes) {
      expect(templatesEn.issues[code], code).toBeTruthy();
      expect(templatesZhCN.issues[code], code).toBeTruthy();
    }
  });

  it('says what is wrong in the UI language, with the limits and variables filled in', async () => {
    const { wrapper, frontdesk } = await openPage({}, 'zh-CN');
    await byId(wrapper, 'template-new').trigger('click');
    await byId(wrapper, 'template-name').setValue('Order Update');
    await byId(wrapper, 'template-body').setValue('Hi {{1}}, your order {{2}} ships.');
    await byId(wrapper, 'template-footer').setValue('x'.repeat(61));
    await byId(wrapper, 'template-submit').trigger('click');
    await flushPromises();
    expect(fieldError(wrapper, 'name').text()).toBe('只能使用小写字母、数字和下划线');
    expect(fieldError(wrapper, 'name').text()).not.toContain('Lowercase');
    expect(fieldError(wrapper, 'footer.text').text()).toBe('页脚最多 60 个字符');
    expect(fieldError(wrapper, 'body.example.0').text()).toBe('请为 {{1}} 提供示例');
    expect(frontdesk.callsTo('templates:create')).toBe(0);
  });

  it('shows core’s field messages as they come when they carry no code', async () => {
    const { wrapper } = await openPage({ 'templates:create': () => fail('invalid_request', 'name: taken', [{ path: 'name', message: 'Name taken on the server' }]) }, 'zh-CN');
    await byId(wrapper, 'template-new').trigger('click');
    await byId(wrapper, 'template-name').setValue('order_update');
    await byId(wrapper, 'template-body').setValue('Your order has shipped.');
    await byId(wrapper, 'template-submit').trigger('click');
    await flushPromises();
    expect(fieldError(wrapper, 'name').text()).toBe('Name taken on the server');
  });

  it('asks for one example per variable, previews live, and submits Meta’s create body', async () => {
    const { wrapper, frontdesk } = await openPage();
    await byId(wrapper, 'template-new').trigger('click');
    await byId(wrapper, 'template-name').setValue('order_ready');
    await byId(wrapper, 'template-category').setValue('UTILITY');
    await byId(wrapper, 'template-body').setValue('Hi {{1}}, order {{2}} is ready.');
    expect(wrapper.findAll('[data-testid^="template-body-example-"]')).toHaveLength(2);
    await byId(wrapper, 'template-submit').trigger('click');
    await flushPromises();
    expect(fieldError(wrapper, 'body.example.1').exists()).toBe(true);
    await byId(wrapper, 'template-body-example-1').setValue('Ann');
    await byId(wrapper, 'template-body-example-2').setValue('A17');
    expect(byId(wrapper, 'template-preview').text()).toContain('Hi Ann, order A17 is ready.');
    await byId(wrapper, 'template-add-button-QUICK_REPLY').trigger('click');
    await byId(wrapper, 'template-button-0-text').setValue('Thanks');
    await byId(wrapper, 'template-submit').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('templates:create')[0]).toEqual({
      definition: {
        name: 'order_ready',
        language: 'en_US',
        category: 'UTILITY',
        components: [
          { type: 'BODY', text: 'Hi {{1}}, order {{2}} is ready.', example: { body_text: [['Ann', 'A17']] } },
          { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Thanks' }] },
        ],
      },
    });
    expect(byId(wrapper, 'templates-notice').text()).toContain('order_ready');
  });

  it('shows Meta’s refusal beside the form', async () => {
    const { wrapper } = await openPage({ 'templates:create': () => fail('meta_rejected', 'There is already en_US content for this template.', undefined, undefined, 100) });
    await byId(wrapper, 'template-new').trigger('click');
    await byId(wrapper, 'template-name').setValue('order_update');
    await byId(wrapper, 'template-body').setValue('Your order has shipped.');
    await byId(wrapper, 'template-submit').trigger('click');
    await flushPromises();
    expect(byId(wrapper, 'template-create-error').text()).toContain('meta_rejected');
  });

  it('deletes by name only after confirmation', async () => {
    const { wrapper, frontdesk } = await openPage();
    await wrapper.findAll('[data-testid="template-delete"]')[0]!.trigger('click');
    expect(frontdesk.callsTo('templates:delete')).toBe(0);
    await byId(wrapper, 'template-delete-confirm').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('templates:delete')).toEqual([{ name: 'order_update' }]);
  });
});

async function mountPanel(options: { optedOut?: boolean; templates?: TemplateView[]; handlers?: FakeHandlers } = {}) {
  const frontdesk = createFakeFrontdesk({
    'templates:list': () => ok(options.templates ?? [template(), template({ id: 8, name: 'spring_offer', category: 'MARKETING' })]),
    'templates:send': () => ok({ messageId: 99 }),
    ...options.handlers,
  });
  frontdesk.install();
  const pinia = createPinia();
  setActivePinia(pinia);
  useChatStore().detail = conversationDetail(5, { windowOpen: false }, { marketingOptOut: options.optedOut ?? false });
  const wrapper = mount(TemplatePanel, { global: { plugins: [pinia, createAppI18n('en')] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, frontdesk };
}

describe('the composer’s template mode', () => {
  it('picks an approved template, fills every variable, previews and sends', async () => {
    const { wrapper, frontdesk } = await mountPanel();
    expect(frontdesk.payloadsOf('templates:list')).toEqual([{ status: 'APPROVED' }]);
    await wrapper.get('[data-testid="template-pick"]').setValue('7');
    expect(wrapper.get('[data-testid="template-category-shown"]').text()).toBe('Category: Utility');
    await wrapper.get('[data-testid="template-var-1"]').setValue('Mei');
    await wrapper.get('[data-testid="template-send"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="field-error"][data-field="body.2"]').exists()).toBe(true);
    expect(frontdesk.callsTo('templates:send')).toBe(0);
    await wrapper.get('[data-testid="template-var-2"]').setValue('B42');
    expect(wrapper.get('[data-testid="template-preview"]').text()).toContain('Hi Mei, your order B42 ships today.');
    await wrapper.get('[data-testid="template-send"]').trigger('click');
    await flushPromises();
    expect(frontdesk.payloadsOf('templates:send')).toEqual([{ conversationId: 5, templateId: 7, values: { 'body.1': 'Mei', 'body.2': 'B42' } }]);
    expect(wrapper.get('[data-testid="template-sent"]').text()).toContain('order_update');
  });

  it('says in words that marketing templates are not sent to an opted-out contact', async () => {
    const { wrapper, frontdesk } = await mountPanel({ optedOut: true });
    await wrapper.get('[data-testid="template-pick"]').setValue('8');
    expect(wrapper.get('[data-testid="template-opted-out"]').text()).toContain('opted out of marketing messages');
    expect(wrapper.get('[data-testid="template-send"]').attributes('disabled')).toBeDefined();
    await wrapper.get('[data-testid="template-pick"]').setValue('7');
    expect(wrapper.find('[data-testid="template-opted-out"]').exists()).toBe(false);
    expect(frontdesk.callsTo('templates:send')).toBe(0);
  });

  it('shows core’s refusal in words', async () => {
    const { wrapper } = await mountPanel({ handlers: { 'templates:send': () => fail('opted_out', 'opted out') } });
    await wrapper.get('[data-testid="template-pick"]').setValue('7');
    await wrapper.get('[data-testid="template-var-1"]').setValue('Mei');
    await wrapper.get('[data-testid="template-var-2"]').setValue('B42');
    await wrapper.get('[data-testid="template-send"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="template-send-error"]').text()).toContain('opted out of marketing messages');
  });

  it('says so when there is no approved template', async () => {
    const { wrapper } = await mountPanel({ templates: [] });
    expect(wrapper.get('[data-testid="templates-empty"]').text()).toContain('No approved templates yet');
  });
});
