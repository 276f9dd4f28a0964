import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { fail, ok } from '../../../shared/ipc/result';
import type { RequestOf, SearchHit, SearchPage } from '../../../shared/ipc/contract';
import { searchDebounceMs } from '../../../renderer/src/composables/use-message-search';
import { en } from '../../../renderer/src/i18n/en';
import { zhCN } from '../../../renderer/src/i18n/zh-cn';
import { highlightSegments } from '../../../renderer/src/utils/highlight';
import { cleanUpAfterEach } from '../support/cleanup';
import { createFakeFrontdesk } from '../support/fake-frontdesk';
import type { FakeHandlers } from '../support/fake-frontdesk';
import { click, mountApp } from '../support/mount-app';

cleanUpAfterEach();
afterEach(() => {
  vi.useRealTimers();
});

function hit(messageId: number, text: string, highlights: SearchHit['snippet']['highlights'], extra: Partial<SearchHit> = {}): SearchHit {
  return {
    messageId,
    conversationId: 7,
    contactName: 'Mei Lin',
    timestamp: new Date(2025, 2, 14, 9, 30).getTime(),
    direction: 'in',
    type: 'text',
    status: null,
    snippet: { text, highlights },
    ...extra,
  };
}

type SearchRequest = RequestOf<'search:messages'>;

async function openSearch(answer: (request: SearchRequest) => ReturnType<NonNullable<FakeHandlers['search:messages']>>, locale: 'en' | 'zh-CN' = 'en') {
  const frontdesk = createFakeFrontdesk({ 'search:messages': answer });
  const mounted = await mountApp({ frontdesk, locale, path: '/search' });
  return mounted;
}

type Wrapper = Awaited<ReturnType<typeof mountApp>>['wrapper'];

/** Types into the box and presses Enter (searches at once, no debounce). */
async function search(wrapper: Wrapper, text: string) {
  const input = wrapper.get('[data-testid="search-input"]');
  await input.setValue(text);
  await input.trigger('keydown', { key: 'Enter' });
  await flushPromises();
}

describe('search results', () => {
  it('mark the highlighted ranges from core’s offsets', async () => {
    const { wrapper } = await openSearch(() =>
      ok({ hits: [hit(1, 'Can I book a cleaning for Friday? 周五可以预约洗牙吗', [{ start: 13, end: 21 }, { start: 34, end: 36 }])], nextCursor: null }),
    );

    await search(wrapper, 'cleaning');

    const snippet = wrapper.get('[data-testid="search-hit"] [data-testid="search-hit-snippet"]');
    expect(snippet.findAll('mark').map((mark) => mark.text())).toEqual(['cleaning', '周五']);
    expect(snippet.text()).toBe('Can I book a cleaning for Friday? 周五可以预约洗牙吗');
  });

  it('show message text as text: markup in a message never becomes HTML', async () => {
    const evil = 'hello <img src=x onerror="alert(1)"> <b>bold</b> world';
    const { wrapper } = await openSearch(() => ok({ hits: [hit(1, evil, [{ start: 0, end: 5 }], { contactName: '<script>x</script>' })], nextCursor: null }));

    await search(wrapper, 'hello');

    const item = wrapper.get('[data-testid="search-hit"]');
    expect(item.find('img').exists()).toBe(false);
    expect(item.find('b').exists()).toBe(false);
    expect(item.find('script').exists()).toBe(false);
    expect(item.get('[data-testid="search-hit-snippet"]').text()).toBe(evil);
    expect(item.get('[data-testid="search-hit-contact"]').text()).toBe('<script>x</script>');
    expect(item.get('mark').text()).toBe('hello');
  });

  it('show who, which way, what type and when, in the UI language', async () => {
    const { wrapper } = await openSearch(
      () => ok({ hits: [hit(1, 'photo of the room', [], { direction: 'out', type: 'image', contactName: 'Hotel guest' })], nextCursor: null }),
      'zh-CN',
    );

    await search(wrapper, 'room');

    const item = wrapper.get('[data-testid="search-hit"]');
    expect(item.get('[data-testid="search-hit-contact"]').text()).toBe('Hotel guest');
    expect(item.get('[data-testid="search-hit-direction"]').text()).toBe(zhCN.search.directions.out);
    expect(item.get('[data-testid="search-hit-type"]').text()).toBe(zhCN.search.types.image);
    const time = item.get('time');
    expect(time.attributes('datetime')).toBe(new Date(2025, 2, 14, 9, 30).toISOString());
    expect(time.text()).toBe(new Intl.DateTimeFormat('zh-CN', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(2025, 2, 14, 9, 30)));
  });

  it('load more with the cursor core gave, appended, until there is no more', async () => {
    const pages: Record<string, SearchPage> = {
      first: { hits: [hit(30, 'one', []), hit(29, 'two', [])], nextCursor: '29' },
      '29': { hits: [hit(28, 'three', [])], nextCursor: null },
    };
    const { wrapper, frontdesk } = await openSearch((request) => ok(pages[request.cursor ?? 'first']!));

    await search(wrapper, 'price');
    expect(wrapper.findAll('[data-testid="search-hit"]')).toHaveLength(2);
    expect(wrapper.get('[data-testid="search-status"]').text()).toBe('2 messages shown; more are available');

    await click(wrapper, 'search-more');

    expect(frontdesk.payloadsOf('search:messages').map((request) => request.cursor)).toEqual([undefined, '29']);
    expect(frontdesk.payloadsOf('search:messages')[1]).toMatchObject({ query: 'price' });
    expect(wrapper.findAll('[data-testid="search-hit"]').map((item) => item.attributes('data-message-id'))).toEqual(['30', '29', '28']);
    expect(wrapper.find('[data-testid="search-more"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="search-status"]').text()).toBe('3 messages found');
    // Keyboard users land on the first new result.
    expect(document.activeElement).toBe(wrapper.findAll('[data-testid="search-hit-link"]')[2]!.element);
  });

  it('say so when nothing matches', async () => {
    const { wrapper } = await openSearch(() => ok({ hits: [], nextCursor: null }));

    await search(wrapper, 'zebra');

    expect(wrapper.get('[data-testid="search-empty"]').text()).toBe('No messages match “zebra”.');
    expect(wrapper.findAll('[data-testid="search-hit"]')).toHaveLength(0);
    expect(wrapper.find('[data-testid="search-more"]').exists()).toBe(false);
  });

  it('say what went wrong in words', async () => {
    const { wrapper } = await openSearch(() => fail('internal', 'database exploded'), 'zh-CN');

    await search(wrapper, 'anything');

    const error = wrapper.get('[data-testid="search-error"]');
    expect(error.text()).toContain(zhCN.errors.internal);
    expect(error.text()).not.toContain('database exploded');
  });

  it('open the chat at that message', async () => {
    const { wrapper, router } = await openSearch(() => ok({ hits: [hit(42, 'see you then', [])], nextCursor: null }));
    await search(wrapper, 'see');

    await click(wrapper, 'search-hit-link');
    await router.isReady();

    expect(window.location.hash).toBe('#/inbox?conversation=7&message=42');
    expect(wrapper.get('[data-testid="page-title"]').text()).toBe('Inbox');
  });

  it('start with a hint, and ask nothing for an empty box', async () => {
    const { wrapper, frontdesk } = await openSearch(() => ok({ hits: [], nextCursor: null }));

    expect(wrapper.get('[data-testid="search-hint"]').text()).toBe(en.search.hint);
    await search(wrapper, '   ');
    expect(frontdesk.callsTo('search:messages')).toBe(0);
  });
});

describe('searching', () => {
  it('searches as you type, once typing pauses for 200 ms', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const { wrapper, frontdesk } = await openSearch(() => ok({ hits: [hit(1, 'refund', [{ start: 0, end: 6 }])], nextCursor: null }));
    const input = wrapper.get('[data-testid="search-input"]');

    await input.setValue('re');
    vi.advanceTimersByTime(searchDebounceMs - 50);
    await input.setValue('refu');
    vi.advanceTimersByTime(searchDebounceMs - 50);
    await flushPromises();
    expect(frontdesk.callsTo('search:messages')).toBe(0);

    vi.advanceTimersByTime(50);
    await flushPromises();

    expect(frontdesk.payloadsOf('search:messages')).toEqual([{ query: 'refu', limit: 50 }]);
    expect(wrapper.findAll('[data-testid="search-hit"]')).toHaveLength(1);
  });

  it('Enter searches at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const { wrapper, frontdesk } = await openSearch(() => ok({ hits: [], nextCursor: null }));

    await search(wrapper, 'invoice');
    expect(frontdesk.callsTo('search:messages')).toBe(1);

    // The debounce that typing started was cancelled: no second request.
    vi.advanceTimersByTime(1_000);
    await flushPromises();
    expect(frontdesk.callsTo('search:messages')).toBe(1);
  });

  it('shows only the answer to the newest search', async () => {
    const answers: Array<(page: SearchPage) => void> = [];
    const { wrapper } = await openSearch(() => new Promise((resolve) => answers.push((page) => resolve(ok(page)))));

    await search(wrapper, 'first');
    await search(wrapper, 'second');
    answers[1]!({ hits: [hit(2, 'second', [])], nextCursor: null });
    await flushPromises();
    answers[0]!({ hits: [hit(1, 'first', [])], nextCursor: null });
    await flushPromises();

    expect(wrapper.findAll('[data-testid="search-hit"]').map((item) => item.attributes('data-message-id'))).toEqual(['2']);
  });

  it('sends the filters with the query: direction, type, and dates with the last day included', async () => {
    const { wrapper, frontdesk } = await openSearch(() => ok({ hits: [], nextCursor: null }));
    await search(wrapper, 'booking');

    await wrapper.get('[data-testid="search-direction"]').setValue('out');
    await flushPromises();
    await wrapper.get('[data-testid="search-type"]').setValue('document');
    await flushPromises();
    await wrapper.get('[data-testid="search-from"]').setValue('2025-03-01');
    await flushPromises();
    await wrapper.get('[data-testid="search-to"]').setValue('2025-03-31');
    await flushPromises();

    expect(frontdesk.payloadsOf('search:messages').at(-1)).toEqual({
      query: 'booking',
      limit: 50,
      filters: { direction: 'out', type: 'document', from: new Date(2025, 2, 1).getTime(), to: new Date(2025, 3, 1).getTime() },
    });
    expect(wrapper.get('[data-testid="search-empty"]').text()).toBe('No messages match “booking” with these filters.');

    await click(wrapper, 'search-clear-filters');
    expect(frontdesk.payloadsOf('search:messages').at(-1)).toEqual({ query: 'booking', limit: 50 });
  });

  it('refuses an end date before the start date, naming it', async () => {
    const { wrapper, frontdesk } = await openSearch(() => ok({ hits: [], nextCursor: null }));
    await search(wrapper, 'booking');
    const before = frontdesk.callsTo('search:messages');

    await wrapper.get('[data-testid="search-from"]').setValue('2025-03-10');
    await wrapper.get('[data-testid="search-to"]').setValue('2025-03-01');
    await flushPromises();

    expect(wrapper.get('[data-testid="search-date-error"]').text()).toBe(en.search.dateOrder);
    expect(wrapper.get('[data-testid="search-to"]').attributes('aria-invalid')).toBe('true');
    // The valid "from" alone was searched; the impossible range was not.
    expect(frontdesk.payloadsOf('search:messages').slice(before).every((request) => request.filters?.to === undefined)).toBe(true);
  });
});

describe('highlightSegments', () => {
  it('cuts the text into plain and marked pieces that add up to the text', () => {
    expect(highlightSegments('abcdef', [{ start: 1, end: 3 }])).toEqual([
      { text: 'a', marked: false },
      { text: 'bc', marked: true },
      { text: 'def', marked: false },
    ]);
  });

  it('copes with unsorted, overlapping, empty and out-of-range offsets', () => {
    const segments = highlightSegments('hello world', [
      { start: 8, end: 50 },
      { start: 0, end: 2 },
      { start: 1, end: 4 },
      { start: 5, end: 5 },
      { start: -3, end: 0 },
    ]);
    expect(segments).toEqual([
      { text: 'hell', marked: true },
      { text: 'o wo', marked: false },
      { text: 'rld', marked: true },
    ]);
    expect(segments.map((segment) => segment.text).join('')).toBe('hello world');
  });

  it('leaves text without highlights whole', () => {
    expect(highlightSegments('plain', [])).toEqual([{ text: 'plain', marked: false }]);
    expect(highlightSegments('', [{ start: 0, end: 3 }])).toEqual([]);
  });
});
