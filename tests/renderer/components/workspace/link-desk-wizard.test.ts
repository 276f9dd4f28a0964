import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { fail, ok } from '../../../../shared/ipc/result';
import type { Result } from '../../../../shared/ipc/result';
import type { ResponseOf, WorkspaceDraft } from '../../../../shared/ipc/contract';
import { en } from '../../../../renderer/src/i18n/en';
import { zhCN } from '../../../../renderer/src/i18n/zh-cn';
import { cleanUpAfterEach } from '../../support/cleanup';
import { closedState, createFakeFrontdesk, unlockedState } from '../../support/fake-frontdesk';
import type { FakeHandlers } from '../../support/fake-frontdesk';
import { click, mountApp } from '../../support/mount-app';

cleanUpAfterEach();
afterEach(() => void vi.useRealTimers());

type Wrapper = Awaited<ReturnType<typeof mountApp>>['wrapper'];
type WaitAnswer = ResponseOf<'link:wait'>;

const groups = ['0123', '4567', '8901', '2345', '6789', '0123', '4567', '8901', '2345', '6789', '1111', '2222', '3333', '4444', '5555', '6666'];
const draft: WorkspaceDraft = { draftId: 'draft-link', recoveryKey: groups.join(' '), confirmGroups: [2, 15] };
const clinic = { id: 'ws-harbour-clinic', name: 'Harbour Clinic', kind: 'business' as const, keychainUnlock: false };
const passphrase = 'plum tiger window seven';
const expiresAt = Date.UTC(2025, 4, 6, 9, 40);

/**
 * `link:wait` answers from a queue the test fills; with the queue empty, the call waits (as core does for
 * ~25 s) until the test answers it.
 */
function waitQueue() {
  const queued: Array<Result<WaitAnswer>> = [];
  let waiting: ((result: Result<WaitAnswer>) => void) | null = null;
  return {
    handler: (): Promise<Result<WaitAnswer>> =>
      queued.length > 0 ? Promise.resolve(queued.shift()!) : new Promise((resolve) => (waiting = resolve)),
    answer(result: Result<WaitAnswer>) {
      if (waiting) {
        const resolve = waiting;
        waiting = null;
        resolve(result);
      } else {
        queued.push(result);
      }
    },
  };
}

async function openLink(handlers: FakeHandlers = {}, locale: 'en' | 'zh-CN' = 'en') {
  const frontdesk = createFakeFrontdesk({
    'workspace:state': () => ok(closedState),
    'workspace:list': () => ok([]),
    'link:start': () => ok({ code: '1234 5678', expiresAt }),
    'link:cancel': () => ok(undefined),
    'workspace:prepare': () => ok(draft),
    'workspace:discard-draft': () => ok(undefined),
    ...handlers,
  });
  const mounted = await mountApp({ frontdesk, locale });
  await click(mounted.wrapper, 'start-link');
  return mounted;
}

const get = (wrapper: Wrapper, testId: string) => wrapper.get(`[data-testid="${testId}"]`);
const find = (wrapper: Wrapper, testId: string) => wrapper.find(`[data-testid="${testId}"]`);

async function fillDetails(wrapper: Wrapper, relayUrl = 'https://relay.example.com', deskName = 'Reception 2') {
  await get(wrapper, 'link-relay-url').setValue(relayUrl);
  await get(wrapper, 'link-desk-name').setValue(deskName);
}

describe('first start › link to another desk', () => {
  it('is offered beside the other ways, and starts on the relay’s address', async () => {
    const { wrapper } = await openLink();

    expect(get(wrapper, 'link-wizard').get('h1').text()).toBe(en.workspace.link.title);
    const input = get(wrapper, 'link-relay-url');
    expect(document.activeElement).toBe(input.element);
    expect(wrapper.get(`label[for="${input.attributes('id')}"]`).text()).toBe(en.workspace.link.relayUrl);

    await click(wrapper, 'link-cancel');
    expect(get(wrapper, 'start-link').text()).toContain(en.workspace.picker.linkTitle);
  });

  it('checks the address and the name before asking the relay', async () => {
    const { wrapper, frontdesk } = await openLink();

    await click(wrapper, 'link-start');
    expect(get(wrapper, 'link-relay-url-error').text()).toBe(en.workspace.link.relayRequired);
    expect(get(wrapper, 'link-desk-name-error').text()).toBe(en.workspace.link.deskNameRequired);

    await fillDetails(wrapper, 'http://relay.example.com', 'Reception 2');
    await click(wrapper, 'link-start');
    expect(get(wrapper, 'link-relay-url-error').text()).toBe(en.workspace.link.relayHttps);
    expect(document.activeElement).toBe(get(wrapper, 'link-relay-url').element);
    expect(frontdesk.callsTo('link:start')).toBe(0);
  });

  it('shows the code big with where to enter it, and keeps waiting while the other desk has not approved', async () => {
    const wait = waitQueue();
    const { wrapper, frontdesk } = await openLink({ 'link:wait': wait.handler });
    // A relay on this computer is fine over http (development, tests).
    await fillDetails(wrapper, ' http://127.0.0.1:8787 ', ' Reception 2 ');
    await click(wrapper, 'link-start');

    expect(frontdesk.payloadsOf('link:start')).toEqual([{ relayUrl: 'http://127.0.0.1:8787', deskName: 'Reception 2' }]);
    expect(get(wrapper, 'link-code').text()).toBe('1234 5678');
    expect(get(wrapper, 'link-instructions').text()).toBe(en.workspace.link.instructions);
    expect(get(wrapper, 'link-instructions').text()).toContain('Settings › Desks › Link another desk');
    expect(get(wrapper, 'link-valid-until').text()).toMatch(/^The code works until /);
    const status = get(wrapper, 'link-waiting');
    expect(status.attributes('role')).toBe('status');
    expect(status.text()).toBe(en.workspace.link.waiting);
    expect(frontdesk.callsTo('link:wait')).toBe(1);

    // Core answers "pending" after its ~25 s: the wizard asks again.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    wait.answer(ok({ status: 'pending' }));
    await flushPromises();
    await vi.advanceTimersByTimeAsync(1_000);
    await flushPromises();
    expect(frontdesk.callsTo('link:wait')).toBe(2);
    expect(get(wrapper, 'link-waiting').text()).toBe(en.workspace.link.waiting);
    expect(find(wrapper, 'setup-wizard').exists()).toBe(false);
  });

  it('once approved, continues into the passphrase and recovery key, preparing the workspace from the link', async () => {
    const wait = waitQueue();
    wait.answer(ok({ status: 'approved', workspaceName: 'Harbour Clinic' }));
    const { wrapper, frontdesk } = await openLink({ 'link:wait': wait.handler, 'workspace:create': () => ok(unlockedState(clinic)) });
    await fillDetails(wrapper);
    await click(wrapper, 'link-start');

    expect(find(wrapper, 'link-code').exists()).toBe(false);
    expect(get(wrapper, 'setup-wizard').get('h1').text()).toBe(en.workspace.link.setupTitle);
    expect(get(wrapper, 'setup-linked-intro').text()).toBe(en.workspace.link.setupIntro);
    expect((get(wrapper, 'setup-name').element as HTMLInputElement).value).toBe('Harbour Clinic');
    expect(document.activeElement).toBe(get(wrapper, 'setup-passphrase').element);

    await get(wrapper, 'setup-passphrase').setValue(passphrase);
    await get(wrapper, 'setup-passphrase-repeat').setValue(passphrase);
    await click(wrapper, 'setup-next');

    expect(frontdesk.payloadsOf('workspace:prepare')).toEqual([{ name: 'Harbour Clinic', passphrase, keychainUnlock: false, fromLink: true }]);
    expect(get(wrapper, 'setup-recovery-key').text().split(/\s+/)).toEqual(groups);

    await click(wrapper, 'setup-written-down');
    await get(wrapper, 'setup-confirm-1').setValue('4567');
    await get(wrapper, 'setup-confirm-2').setValue('5555');
    await click(wrapper, 'setup-finish');

    expect(frontdesk.payloadsOf('workspace:create')).toEqual([{ draftId: 'draft-link', confirmations: ['4567', '5555'] }]);
    expect(wrapper.find('nav').exists()).toBe(true);
    expect(get(wrapper, 'workspace-name').text()).toBe('Harbour Clinic');
    expect(frontdesk.callsTo('workspace:discard-draft')).toBe(0);
  });

  it('Cancel while waiting stops waiting, calls link:cancel and goes back to the first screen', async () => {
    const wait = waitQueue();
    const { wrapper, frontdesk } = await openLink({ 'link:wait': wait.handler });
    await fillDetails(wrapper);
    await click(wrapper, 'link-start');
    expect(frontdesk.callsTo('link:wait')).toBe(1);

    await click(wrapper, 'link-cancel');

    expect(frontdesk.callsTo('link:cancel')).toBe(1);
    expect(find(wrapper, 'link-wizard').exists()).toBe(false);
    expect(find(wrapper, 'start-link').exists()).toBe(true);
    // The call that was waiting ends (core cancelled it): nothing more is asked.
    wait.answer(ok({ status: 'pending' }));
    await flushPromises();
    expect(frontdesk.callsTo('link:wait')).toBe(1);
  });

  it('leaving the screen any other way cancels the link too', async () => {
    const wait = waitQueue();
    const { wrapper, frontdesk } = await openLink({ 'link:wait': wait.handler });
    await fillDetails(wrapper);
    await click(wrapper, 'link-start');

    // Another window opened a workspace: the gate goes, and the link with it.
    frontdesk.emit('workspace:state', unlockedState(clinic));
    await flushPromises();

    expect(find(wrapper, 'link-wizard').exists()).toBe(false);
    expect(frontdesk.callsTo('link:cancel')).toBe(1);
  });

  it('an expired code says so and starts again with a new code on request', async () => {
    let started = 0;
    const { wrapper, frontdesk } = await openLink(
      {
        'link:start': () => ok({ code: ++started === 1 ? '1234 5678' : '8765 4321', expiresAt }),
        'link:wait': () => (started === 1 ? fail('relay_link_not_found', 'The link code expired; start again') : new Promise(() => {})),
      },
      'zh-CN',
    );
    await fillDetails(wrapper);
    await click(wrapper, 'link-start');

    const error = get(wrapper, 'link-error');
    expect(error.attributes('role')).toBe('alert');
    expect(error.text()).toContain(zhCN.errors.relay_link_not_found);
    expect(get(wrapper, 'link-waiting').text()).toBe('');
    expect(get(wrapper, 'link-start-again').text()).toBe(zhCN.workspace.link.startAgain);

    await click(wrapper, 'link-start-again');

    expect(frontdesk.payloadsOf('link:start')).toEqual([
      { relayUrl: 'https://relay.example.com', deskName: 'Reception 2' },
      { relayUrl: 'https://relay.example.com', deskName: 'Reception 2' },
    ]);
    expect(get(wrapper, 'link-code').text()).toBe('8765 4321');
    expect(find(wrapper, 'link-error').exists()).toBe(false);
    expect(get(wrapper, 'link-waiting').text()).toBe(zhCN.workspace.link.waiting);
  });

  it('says in words when the relay cannot be reached to start', async () => {
    const { wrapper } = await openLink({ 'link:start': () => fail('relay_unreachable', 'ECONNREFUSED') });
    await fillDetails(wrapper);
    await click(wrapper, 'link-start');

    expect(get(wrapper, 'link-error').text()).toContain(en.errors.relay_unreachable);
    expect(find(wrapper, 'link-code').exists()).toBe(false);
    expect((get(wrapper, 'link-desk-name').element as HTMLInputElement).value).toBe('Reception 2');
  });

  it('cancelling the passphrase step after the approval cancels the link', async () => {
    const wait = waitQueue();
    wait.answer(ok({ status: 'approved', workspaceName: 'Harbour Clinic' }));
    const { wrapper, frontdesk } = await openLink({ 'link:wait': wait.handler });
    await fillDetails(wrapper);
    await click(wrapper, 'link-start');

    await click(wrapper, 'setup-cancel');

    expect(frontdesk.callsTo('link:cancel')).toBe(1);
    expect(find(wrapper, 'start-link').exists()).toBe(true);
  });
});
