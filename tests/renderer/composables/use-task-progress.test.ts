import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { cleanUpAfterEach } from '../support/cleanup';
import { mountApp } from '../support/mount-app';

cleanUpAfterEach();

describe('long tasks in the status bar', () => {
  it('shows the search index rebuild with its progress, and hides it when done', async () => {
    const { wrapper, frontdesk } = await mountApp();
    const shown = () => wrapper.find('[data-testid="task-progress"]');
    expect(shown().exists()).toBe(false);
    frontdesk.emit('task:progress', { task: 'search-index', done: 450, total: 1000 });
    await flushPromises();
    expect(shown().text()).toBe('Rebuilding the search index… 45%');
    frontdesk.emit('task:progress', { task: 'search-index', done: 1000, total: 1000 });
    await flushPromises();
    expect(shown().exists()).toBe(false);
  });
});
