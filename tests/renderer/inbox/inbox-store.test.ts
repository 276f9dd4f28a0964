import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { fail, ok } from '../../../shared/ipc/result';
import { emptyFilterForm, filterToRequest, inboxPageSize, inboxQueryDebounceMs, inboxRefreshDebounceMs, useInboxStore } from '../../../renderer/src/stores/inbox';
import { useWorkspaceStore } from '../../../renderer/src/stores/workspace';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk, lockedState, unlockedState } from '../support/fake-frontdesk';
import type { FakeHandlers } from '../support/fake-frontdesk';
import { inboxHandlers, listOf, row, summary } from './inbox-fakes';

cleanUpAfterEach();

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startStore(handlers: FakeHandlers = inboxHandlers()) {
  const frontdesk = createFakeFrontdesk(handlers).install();
  setActivePinia(createPinia());
  const workspace = useWorkspaceStore();
  await workspace.load();
  const inbox = useInboxStore();
  await inbox.start();
  await flushPromises();
  return { frontdesk, inbox, workspace };
}

describe('the conversation list’s window of rows', () => {
  it('asks for the summary and the first page, unfiltered, on start', async () => {
    const { frontdesk, inbox } = await startStore();

    expect(frontdesk.payloadsOf('inbox:list')).toEqual([{ offset: 0, limit: inboxPageSize }]);
    expect(frontdesk.callsTo('inbox:summary')).toBe(1);
    expect(inbox.total).toBe(3);
    expect([...inbox.rows.values()].map((r) => r.id)).toEqual([1, 2, 3]);
    expect(inbox.labels.map((label) => label.name)).toEqual(['New customer', 'Paid']);
    expect(inbox.unreadMessages).toBe(3);
  });

  it('fetches by offset and limit only the pages the visible range touches, each once', async () => {
    const { frontdesk, inbox } = await startStore({ ...inboxHandlers(), 'inbox:list': listOf(100_000) });

    await inbox.ensureRange(40, 130);
    await inbox.ensureRange(45, 135);

    expect(frontdesk.payloadsOf('inbox:list').map((p) => p.offset)).toEqual([0, 50, 100]);
    expect(inbox.rows.get(130)?.id).toBe(131);
    expect(inbox.total).toBe(100_000);
  });

  it('holds only the pages near the window when scrolled far through 100,000 conversations', async () => {
    const { frontdesk, inbox } = await startStore({ ...inboxHandlers(), 'inbox:list': listOf(100_000) });

    for (const start of [0, 10_000, 50_000, 99_980]) await inbox.ensureRange(start, start + 15);

    expect(frontdesk.payloadsOf('inbox:list').map((p) => p.offset)).toEqual([0, 10_000, 50_000, 99_950]);
    expect(inbox.rows.size).toBeLessThanOrEqual(inboxPageSize * 13);
    expect(inbox.rows.has(0)).toBe(false);
    expect(inbox.rows.get(99_999)?.id).toBe(100_000);
  });

  it('drops rows past a total that shrank', async () => {
    let total = 60;
    const { inbox } = await startStore({ ...inboxHandlers(), 'inbox:list': (request) => listOf(total)(request) });
    await inbox.ensureRange(0, 59);
    expect(inbox.rows.size).toBe(60);

    total = 10;
    await inbox.refreshVisible();

    expect(inbox.total).toBe(10);
    expect(Math.max(...inbox.rows.keys())).toBe(9);
  });

  it('keeps the error and no rows when core cannot answer', async () => {
    const { inbox } = await startStore({ ...inboxHandlers(), 'inbox:list': () => fail('locked', 'Locked') });
    expect(inbox.error?.code).toBe('locked');
    expect(inbox.total).toBeNull();
  });
});

describe('filters', () => {
  it('turn into exactly the request’s filter', () => {
    const form = { ...emptyFilterForm(), unread: true, labelIds: [2, 5], labelMode: 'all' as const, window: 'closed' as const, needsReply: true, archived: true, from: '2025-03-01', to: '2025-03-14' };
    expect(filterToRequest(form, '  Mei  ')).toEqual({
      unread: true,
      labelIds: [2, 5],
      labelMode: 'all',
      window: 'closed',
      needsReply: true,
      archived: true,
      from: new Date(2025, 2, 1).getTime(),
      to: new Date(2025, 2, 15).getTime(),
      query: 'Mei',
    });
    expect(filterToRequest(emptyFilterForm())).toBeUndefined();
  });

  it('reload the list from the top when one changes', async () => {
    const { frontdesk, inbox } = await startStore({ ...inboxHandlers(), 'inbox:list': listOf(500) });
    await inbox.ensureRange(200, 220);
    const generation = inbox.generation;

    inbox.form.unread = true;
    inbox.form.labelIds = [1];
    await flushPromises();
    await wait(5);

    expect(inbox.generation).toBeGreaterThan(generation);
    const last = frontdesk.payloadsOf('inbox:list').at(-1);
    expect(last).toEqual({ offset: 0, limit: inboxPageSize, filter: { unread: true, labelIds: [1], labelMode: 'any' } });
  });

  it('search the box’s text after typing stops, or at once on request', async () => {
    const { frontdesk, inbox } = await startStore();

    inbox.form.query = 'Me';
    inbox.form.query = 'Mei';
    await flushPromises();
    expect(frontdesk.payloadsOf('inbox:list').some((p) => p.filter?.query)).toBe(false);

    await wait(inboxQueryDebounceMs + 30);
    await flushPromises();
    expect(frontdesk.payloadsOf('inbox:list').filter((p) => p.filter?.query).map((p) => p.filter?.query)).toEqual(['Mei']);

    inbox.form.query = '李';
    inbox.applyQueryNow();
    await flushPromises();
    expect(frontdesk.payloadsOf('inbox:list').at(-1)?.filter).toEqual({ query: '李' });
  });

  it('forget a label that no longer exists', async () => {
    const { inbox } = await startStore();
    inbox.form.labelIds = [1, 9];
    await inbox.loadSummary();
    expect(inbox.form.labelIds).toEqual([1]);
  });
});

describe('live refresh', () => {
  it('refetches the visible pages and the summary once per burst of conversations:changed', async () => {
    const { frontdesk, inbox } = await startStore({ ...inboxHandlers(), 'inbox:list': listOf(300) });
    await inbox.ensureRange(60, 80);
    const lists = frontdesk.callsTo('inbox:list');
    const summaries = frontdesk.callsTo('inbox:summary');

    frontdesk.emit('conversations:changed', { ids: [61] });
    frontdesk.emit('conversations:changed', { ids: [62] });
    await wait(inboxRefreshDebounceMs + 30);
    await flushPromises();

    expect(frontdesk.payloadsOf('inbox:list').slice(lists).map((p) => p.offset)).toEqual([50]);
    expect(frontdesk.callsTo('inbox:summary')).toBe(summaries + 1);
  });

  it('refetches the visible rows when a message arrives, and shows the new order', async () => {
    let first = 1;
    const { frontdesk, inbox } = await startStore({ ...inboxHandlers(), 'inbox:list': (request) => listOf(3, (index) => row(((index + first - 1) % 3) + 1))(request) });
    expect(inbox.rows.get(0)?.id).toBe(1);

    first = 3;
    frontdesk.emit('messages:received', { conversationId: 3, messageId: 77, contactId: 3, groupId: null, type: 'text', timestamp: 1 });
    await wait(inboxRefreshDebounceMs + 30);
    await flushPromises();

    expect(inbox.rows.get(0)?.id).toBe(3);
  });

  it('takes the unread badge from inbox:unread', async () => {
    const { frontdesk, inbox } = await startStore();
    frontdesk.emit('inbox:unread', { unreadMessages: 12, unreadConversations: 4 });
    expect(inbox.unreadMessages).toBe(12);
    expect(inbox.unreadConversations).toBe(4);
  });

  it('drops everything when the window locks', async () => {
    const { frontdesk, inbox } = await startStore();
    inbox.toggleSelected(1);
    frontdesk.emit('workspace:state', lockedState());
    await flushPromises();

    expect(inbox.rows.size).toBe(0);
    expect(inbox.total).toBeNull();
    expect(inbox.labels).toEqual([]);
    expect(inbox.selected.size).toBe(0);

    frontdesk.emit('workspace:state', unlockedState());
    await inbox.start();
    expect(inbox.total).toBe(3);
  });
});

describe('actions', () => {
  it('send one action for many conversations, then refetch', async () => {
    const { frontdesk, inbox } = await startStore();
    inbox.toggleSelected(1);
    inbox.selectRange(1, 2);
    expect(inbox.selectedIds.sort()).toEqual([1, 2, 3]);
    const lists = frontdesk.callsTo('inbox:list');

    const result = await inbox.act({ action: 'mute', ids: inbox.selectedIds, until: null });

    expect(result.ok).toBe(true);
    expect(frontdesk.payloadsOf('conversations:act')).toEqual([{ action: 'mute', ids: [1, 2, 3], until: null }]);
    expect(frontdesk.callsTo('inbox:list')).toBeGreaterThan(lists);
  });

  it('open a new chat by number through core', async () => {
    const { frontdesk, inbox } = await startStore({
      ...inboxHandlers(),
      'conversations:open-number': ({ phone }) => ok({ row: row(44, { title: phone, windowOpen: false, windowClosesAt: null }), contact: null, draft: '' }),
    });
    const result = await inbox.openNumber('+447700900123');
    expect(result.ok && result.value.row.windowOpen).toBe(false);
    expect(frontdesk.payloadsOf('conversations:open-number')).toEqual([{ phone: '+447700900123' }]);
    expect(summary.labels).toHaveLength(2);
  });
});
