import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { fail, ok } from '../../../../shared/ipc/result';
import type { WorkspaceState } from '../../../../shared/ipc/contract';
import { en } from '../../../../renderer/src/i18n/en';
import { zhCN } from '../../../../renderer/src/i18n/zh-cn';
import { cleanUpAfterEach } from '../../support/cleanup';
import { businessWorkspace, closedState, createFakeFrontdesk, demoWorkspace, unlockedState } from '../../support/fake-frontdesk';
import { click, mountApp } from '../../support/mount-app';

cleanUpAfterEach();

const testIds = (wrapper: Awaited<ReturnType<typeof mountApp>>['wrapper'], testId: string) => wrapper.findAll(`[data-testid="${testId}"]`);

describe('first start', () => {
  it('offers the two ways, and nothing of the app', async () => {
    const frontdesk = createFakeFrontdesk({ 'workspace:state': () => ok(closedState), 'workspace:list': () => ok([]) });
    const { wrapper } = await mountApp({ frontdesk, locale: 'en' });

    expect(wrapper.get('h1').text()).toBe(en.workspace.picker.title);
    expect(wrapper.get('[data-testid="start-demo"]').text()).toContain(en.workspace.picker.demoTitle);
    expect(wrapper.get('[data-testid="start-setup"]').text()).toContain(en.workspace.picker.setupTitle);
    expect(testIds(wrapper, 'workspace-item')).toHaveLength(0);
    expect(wrapper.find('nav').exists()).toBe(false);
    expect(wrapper.find('[data-testid="page-title"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="lock-button"]').exists()).toBe(false);
    expect(document.title).toBe(`${en.workspace.gate.pickerTitle} · Frontdesk`);
  });

  it('"Try the demo" calls workspace:open-demo, and the demo opens with its banner', async () => {
    const opened = unlockedState(demoWorkspace);
    const frontdesk = createFakeFrontdesk({
      'workspace:state': () => ok(closedState),
      'workspace:list': () => ok([]),
      'workspace:open-demo': () => ok(opened),
    });
    const { wrapper } = await mountApp({ frontdesk, locale: 'en' });

    await click(wrapper, 'start-demo');

    expect(frontdesk.callsTo('workspace:open-demo')).toBe(1);
    expect(wrapper.find('nav').exists()).toBe(true);
    expect(wrapper.get('[data-testid="page-title"]').text()).toBe('Inbox');
    expect(wrapper.get('[data-testid="demo-banner"]').text()).toContain(en.workspace.demoBanner);
    expect(wrapper.get('[data-testid="workspace-name"]').text()).toBe('Demo');
  });

  it('says in words when the demo cannot open', async () => {
    const frontdesk = createFakeFrontdesk({
      'workspace:state': () => ok(closedState),
      'workspace:list': () => ok([]),
      'workspace:open-demo': () => fail('keychain_unavailable', 'no keychain'),
    });
    const { wrapper } = await mountApp({ frontdesk, locale: 'zh-CN' });

    await click(wrapper, 'start-demo');

    expect(wrapper.get('[data-testid="picker-error"]').text()).toContain(zhCN.errors.keychain_unavailable);
    expect(wrapper.find('nav').exists()).toBe(false);
  });

  it('opens the set-up wizard, and Cancel comes back', async () => {
    const frontdesk = createFakeFrontdesk({ 'workspace:state': () => ok(closedState), 'workspace:list': () => ok([]) });
    const { wrapper } = await mountApp({ frontdesk, locale: 'en' });

    await click(wrapper, 'start-setup');
    expect(wrapper.find('[data-testid="setup-name"]').exists()).toBe(true);

    await click(wrapper, 'setup-cancel');
    expect(wrapper.find('[data-testid="start-setup"]').exists()).toBe(true);
    // Nothing was prepared, so there was no draft to discard.
    expect(frontdesk.callsTo('workspace:discard-draft')).toBe(0);
  });
});

describe('the workspace picker', () => {
  const keychainShop = { id: 'ws-tea-house-01', name: 'Tea House', kind: 'business' as const, keychainUnlock: true };

  function pickerFrontdesk(extra: Parameters<typeof createFakeFrontdesk>[0] = {}) {
    return createFakeFrontdesk({
      'workspace:state': () => ok(closedState),
      'workspace:list': () => ok([{ ...demoWorkspace }, { ...businessWorkspace }, { ...keychainShop }]),
      ...extra,
    });
  }

  it('lists the workspaces by name and kind, with the two ways below', async () => {
    const { wrapper } = await mountApp({ frontdesk: pickerFrontdesk(), locale: 'en' });

    const items = testIds(wrapper, 'workspace-item');
    expect(items.map((item) => item.get('[data-testid="workspace-item-name"]').text())).toEqual(['Demo', 'Lotus Dental', 'Tea House']);
    expect(items.map((item) => item.get('[data-testid="workspace-item-kind"]').text())).toEqual([
      en.workspace.kinds.demo,
      en.workspace.kinds.business,
      `${en.workspace.kinds.business} · ${en.workspace.picker.unlocksAutomatically}`,
    ]);
    expect(items.every((item) => item.element.tagName === 'BUTTON')).toBe(true);
    expect(wrapper.find('[data-testid="start-demo"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="start-setup"]').exists()).toBe(true);
  });

  it('a business workspace opens the unlock screen for it; unlocking sends its id; Back returns to the list', async () => {
    let state: WorkspaceState = closedState;
    const frontdesk = pickerFrontdesk({
      'workspace:state': () => ok(state),
      'vault:unlock': () => fail('wrong_passphrase', 'no'),
    });
    const { wrapper } = await mountApp({ frontdesk, locale: 'en' });

    await testIds(wrapper, 'workspace-item')[1]!.trigger('click');
    await flushPromises();

    expect(wrapper.get('h1').text()).toBe('Unlock Lotus Dental');
    expect(wrapper.find('[data-testid="unlock-back"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="unlock-keychain"]').exists()).toBe(false);
    await wrapper.get('[data-testid="unlock-passphrase"]').setValue('not the one');
    await click(wrapper, 'unlock-submit');
    expect(frontdesk.payloadsOf('vault:unlock')).toEqual([{ workspaceId: businessWorkspace.id, method: 'passphrase', passphrase: 'not the one' }]);

    await click(wrapper, 'unlock-back');
    expect(testIds(wrapper, 'workspace-item')).toHaveLength(3);

    // And a successful unlock opens it.
    state = unlockedState(businessWorkspace);
    await testIds(wrapper, 'workspace-item')[1]!.trigger('click');
    await flushPromises();
    frontdesk.emit('workspace:state', state);
    await flushPromises();
    expect(wrapper.find('nav').exists()).toBe(true);
    expect(wrapper.get('[data-testid="workspace-name"]').text()).toBe('Lotus Dental');
  });

  it('a workspace that unlocks with the keychain opens at once', async () => {
    const frontdesk = pickerFrontdesk({ 'vault:unlock': () => ok(unlockedState(keychainShop)) });
    const { wrapper } = await mountApp({ frontdesk, locale: 'en' });

    await testIds(wrapper, 'workspace-item')[2]!.trigger('click');
    await flushPromises();

    expect(frontdesk.payloadsOf('vault:unlock')).toEqual([{ workspaceId: keychainShop.id, method: 'keychain' }]);
    expect(wrapper.find('nav').exists()).toBe(true);
  });

  it('when the keychain cannot open it, the unlock screen stays, saying why', async () => {
    const frontdesk = pickerFrontdesk({ 'vault:unlock': () => fail('keychain_unavailable', 'no keychain') });
    const { wrapper } = await mountApp({ frontdesk, locale: 'en' });

    await testIds(wrapper, 'workspace-item')[2]!.trigger('click');
    await flushPromises();

    expect(wrapper.get('[data-testid="unlock-error"]').text()).toContain(en.errors.keychain_unavailable);
    expect(wrapper.find('[data-testid="unlock-passphrase"]').exists()).toBe(true);
  });

  it('the demo in the list opens like "Try the demo"', async () => {
    const frontdesk = pickerFrontdesk({ 'workspace:open-demo': () => ok(unlockedState(demoWorkspace)) });
    const { wrapper } = await mountApp({ frontdesk, locale: 'en' });

    await testIds(wrapper, 'workspace-item')[0]!.trigger('click');
    await flushPromises();

    expect(frontdesk.callsTo('workspace:open-demo')).toBe(1);
    expect(frontdesk.callsTo('vault:unlock')).toBe(0);
    expect(wrapper.find('[data-testid="demo-banner"]').exists()).toBe(true);
  });
});
