import { afterEach } from 'vitest';
import { enableAutoUnmount } from '@vue/test-utils';

/** Every test starts from a fresh window: no app mounted, no bridge, no remembered language. */
export function cleanUpAfterEach(): void {
  enableAutoUnmount(afterEach);
  afterEach(() => {
    delete window.frontdesk;
    window.localStorage.clear();
    document.title = '';
    document.documentElement.lang = '';
  });
}
