import { describe, expect, it, vi } from 'vitest';
import { fail, ok } from '../../../../shared/ipc/result';
import type { WorkspaceDraft } from '../../../../shared/ipc/contract';
import { en } from '../../../../renderer/src/i18n/en';
import { zhCN } from '../../../../renderer/src/i18n/zh-cn';
import { cleanUpAfterEach } from '../../support/cleanup';
import { closedState, createFakeFrontdesk, unlockedState } from '../../support/fake-frontdesk';
import type { FakeHandlers } from '../../support/fake-frontdesk';
import { click, mountApp } from '../../support/mount-app';

cleanUpAfterEach();

const groups = ['0123', '4567', '8901', '2345', '6789', '0123', '4567', '8901', '2345', '6789', '1111', '2222', '3333', '4444', '5555', '6666'];
const draft: WorkspaceDraft = { draftId: 'draft-1', recoveryKey: groups.join(' '), confirmGroups: [3, 12] };
const shop = { id: 'ws-lotus-dental', name: 'Lotus Dental', kind: 'business' as const, keychainUnlock: true };

async function openWizard(handlers: FakeHandlers = {}, locale: 'en' | 'zh-CN' = 'en') {
  const frontdesk = createFakeFrontdesk({
    'workspace:state': () => ok(closedState),
    'workspace:list': () => ok([]),
    'workspace:prepare': () => ok(draft),
    'workspace:discard-draft': () => ok(undefined),
    ...handlers,
  });
  const mounted = await mountApp({ frontdesk, locale });
  await click(mounted.wrapper, 'start-setup');
  return mounted;
}

type Wrapper = Awaited<ReturnType<typeof mountApp>>['wrapper'];

async function fillDetails(wrapper: Wrapper, values: { name?: string; passphrase?: string; repeat?: string }) {
  if (values.name !== undefined) await wrapper.get('[data-testid="setup-name"]').setValue(values.name);
  if (values.passphrase !== undefined) await wrapper.get('[data-testid="setup-passphrase"]').setValue(values.passphrase);
  if (values.repeat !== undefined) await wrapper.get('[data-testid="setup-passphrase-repeat"]').setValue(values.repeat);
}

const good = 'plum tiger window seven';

describe('set-up wizard, step 1', () => {
  it('starts on the business name, focused', async () => {
    const { wrapper } = await openWizard();

    expect(document.activeElement).toBe(wrapper.get('[data-testid="setup-name"]').element);
    expect(wrapper.get('[data-testid="setup-passphrase"]').attributes('type')).toBe('password');
    expect(wrapper.get('[data-testid="setup-passphrase-repeat"]').attributes('type')).toBe('password');
  });

  it('refuses a short passphrase, naming the field, and sends nothing', async () => {
    const { wrapper, frontdesk } = await openWizard();

    await fillDetails(wrapper, { name: 'Lotus Dental', passphrase: 'short', repeat: 'short' });
    await click(wrapper, 'setup-next');

    const error = wrapper.get('[data-testid="setup-passphrase-error"]');
    expect(error.text()).toBe('Use at least 10 characters.');
    const input = wrapper.get('[data-testid="setup-passphrase"]');
    expect(input.attributes('aria-invalid')).toBe('true');
    expect(input.attributes('aria-describedby')).toContain(error.attributes('id'));
    expect(document.activeElement).toBe(input.element);
    expect(wrapper.find('[data-testid="setup-passphrase-repeat-error"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="setup-name-error"]').exists()).toBe(false);
    expect(frontdesk.callsTo('workspace:prepare')).toBe(0);
  });

  it('refuses a repeat that differs, naming the repeat field', async () => {
    const { wrapper, frontdesk } = await openWizard();

    await fillDetails(wrapper, { name: 'Lotus Dental', passphrase: good, repeat: `${good}!` });
    await click(wrapper, 'setup-next');

    expect(wrapper.get('[data-testid="setup-passphrase-repeat-error"]').text()).toBe(en.workspace.passphrase.mismatch);
    expect(wrapper.find('[data-testid="setup-passphrase-error"]').exists()).toBe(false);
    expect(document.activeElement).toBe(wrapper.get('[data-testid="setup-passphrase-repeat"]').element);
    expect(frontdesk.callsTo('workspace:prepare')).toBe(0);
  });

  it('requires a name, and says so in Chinese too', async () => {
    const { wrapper, frontdesk } = await openWizard({}, 'zh-CN');

    await fillDetails(wrapper, { name: '   ', passphrase: good, repeat: good });
    await click(wrapper, 'setup-next');

    expect(wrapper.get('[data-testid="setup-name-error"]').text()).toBe(zhCN.workspace.setup.nameRequired);
    expect(frontdesk.callsTo('workspace:prepare')).toBe(0);
  });

  it('shows the strength as the passphrase is typed', async () => {
    const { wrapper } = await openWizard();
    const strength = () => wrapper.get('[data-testid="setup-strength"]');
    expect(strength().text()).toBe('Strength: too short');

    await fillDetails(wrapper, { passphrase: 'password12' });
    expect(strength().text()).toBe('Strength: weak');
    expect(strength().attributes('data-level')).toBe('1');

    await fillDetails(wrapper, { passphrase: 'Plum-Tiger-Window-Seven-42' });
    expect(strength().text()).toBe('Strength: strong');
    expect(wrapper.get('meter').attributes('value')).toBe('4');
  });

  it('names the field core refuses', async () => {
    const { wrapper } = await openWizard({
      'workspace:prepare': () => fail('passphrase_too_weak', 'too short', [{ path: 'passphrase', message: 'too short' }]),
    });

    await fillDetails(wrapper, { name: 'Lotus Dental', passphrase: good, repeat: good });
    await click(wrapper, 'setup-next');

    expect(wrapper.get('[data-testid="setup-passphrase-error"]').text()).toBe('Use at least 10 characters.');
  });
});

describe('set-up wizard, recovery key and confirmation', () => {
  async function toKeyStep(handlers: FakeHandlers = {}) {
    const mounted = await openWizard(handlers);
    await fillDetails(mounted.wrapper, { name: '  Lotus Dental ', passphrase: good, repeat: good });
    await mounted.wrapper.get('[data-testid="setup-keychain"]').setValue(true);
    await click(mounted.wrapper, 'setup-next');
    return mounted;
  }

  it('sends name, passphrase and the keychain choice, then shows the key in 16 groups', async () => {
    const { wrapper, frontdesk } = await toKeyStep();

    expect(frontdesk.payloadsOf('workspace:prepare')).toEqual([{ name: 'Lotus Dental', passphrase: good, keychainUnlock: true }]);
    const key = wrapper.get('[data-testid="setup-recovery-key"]');
    expect(key.element.tagName).toBe('OL');
    expect(key.findAll('[data-testid="setup-recovery-group"]').map((group) => group.text())).toEqual(groups);
    expect(key.text().split(/\s+/)).toEqual(groups);
    expect(wrapper.get('[data-testid="setup-written-down"]').text()).toBe(en.workspace.setup.written);
  });

  it('copies the key', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { wrapper } = await toKeyStep();

    await click(wrapper, 'setup-copy-key');

    expect(writeText).toHaveBeenCalledWith(draft.recoveryKey);
    expect(wrapper.get('[data-testid="setup-copy-status"]').text()).toBe(en.workspace.setup.copied);
  });

  it('asks for the two groups by number, checks them, and sends both confirmations', async () => {
    const { wrapper, frontdesk } = await toKeyStep({ 'workspace:create': () => ok(unlockedState(shop)) });

    await click(wrapper, 'setup-written-down');

    const first = wrapper.get('[data-testid="setup-confirm-1"]');
    const second = wrapper.get('[data-testid="setup-confirm-2"]');
    expect(wrapper.get(`label[for="${first.attributes('id')}"]`).text()).toBe('Group 3');
    expect(wrapper.get(`label[for="${second.attributes('id')}"]`).text()).toBe('Group 12');
    expect(document.activeElement).toBe(first.element);

    await first.setValue('89');
    await click(wrapper, 'setup-finish');
    expect(wrapper.get('[data-testid="setup-confirm-1-error"]').text()).toBe('Type the 4 digits of group 3.');
    expect(wrapper.get('[data-testid="setup-confirm-2-error"]').text()).toBe('Type the 4 digits of group 12.');
    expect(frontdesk.callsTo('workspace:create')).toBe(0);

    await first.setValue('8901');
    await second.setValue(' 2222 ');
    await click(wrapper, 'setup-finish');

    expect(frontdesk.payloadsOf('workspace:create')).toEqual([{ draftId: 'draft-1', confirmations: ['8901', '2222'] }]);
    // Core opened the workspace: the app shows, and the finished draft is not discarded.
    expect(wrapper.find('nav').exists()).toBe(true);
    expect(wrapper.get('[data-testid="workspace-name"]').text()).toBe('Lotus Dental');
    expect(frontdesk.callsTo('workspace:discard-draft')).toBe(0);
  });

  it('marks the group core says does not match', async () => {
    const { wrapper } = await toKeyStep({
      'workspace:create': () => fail('wrong_recovery_key', 'no match', [{ path: 'confirmations.1', message: 'group 12 does not match' }]),
    });
    await click(wrapper, 'setup-written-down');

    await wrapper.get('[data-testid="setup-confirm-1"]').setValue('8901');
    await wrapper.get('[data-testid="setup-confirm-2"]').setValue('2223');
    await click(wrapper, 'setup-finish');

    expect(wrapper.find('[data-testid="setup-confirm-1-error"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="setup-confirm-2-error"]').text()).toBe('This does not match group 12.');
    expect(wrapper.find('nav').exists()).toBe(false);
  });

  it('Back from the key discards the draft; so does Cancel', async () => {
    const { wrapper, frontdesk } = await toKeyStep();

    await click(wrapper, 'setup-back');
    expect(frontdesk.payloadsOf('workspace:discard-draft')).toEqual([{ draftId: 'draft-1' }]);
    expect(wrapper.find('[data-testid="setup-name"]').exists()).toBe(true);

    await click(wrapper, 'setup-next');
    await click(wrapper, 'setup-cancel');
    expect(frontdesk.payloadsOf('workspace:discard-draft')).toEqual([{ draftId: 'draft-1' }, { draftId: 'draft-1' }]);
    expect(wrapper.find('[data-testid="start-setup"]').exists()).toBe(true);
  });
});
