import { describe, expect, it } from 'vitest';
import { cleanUpAfterEach } from '../../support/cleanup';
import { click, mountApp } from '../../support/mount-app';

cleanUpAfterEach();

/** The contract the end-to-end tests rely on: link test id → address → page title. */
const pages = [
  ['nav-inbox', '#/inbox', 'Inbox'],
  ['nav-search', '#/search', 'Search'],
  ['nav-contacts', '#/contacts', 'Contacts'],
  ['nav-templates', '#/templates', 'Templates'],
  ['nav-quick-replies', '#/quick-replies', 'Quick replies'],
  ['nav-labels', '#/labels', 'Labels'],
  ['nav-automation', '#/automation', 'Automation'],
  ['nav-profile', '#/profile', 'Business profile'],
  ['nav-statistics', '#/statistics', 'Statistics'],
  ['nav-backups', '#/backups', 'Backups & privacy'],
  ['nav-settings', '#/settings', 'Settings'],
] as const;

describe('navigation', () => {
  it('opens on the inbox', async () => {
    const { wrapper } = await mountApp({ locale: 'en' });

    expect(window.location.hash).toBe('#/inbox');
    expect(wrapper.get('[data-testid="page-title"]').text()).toBe('Inbox');
    expect(document.title).toBe('Inbox · Frontdesk');
  });

  it('lists every page, in order, as links in a labelled nav', async () => {
    const { wrapper } = await mountApp({ locale: 'en' });

    const nav = wrapper.get('nav[aria-label="Main"]');
    const links = nav.findAll('ul > li > a');
    expect(links.map((link) => link.attributes('data-testid'))).toEqual(pages.map(([testId]) => testId));
    expect(links.map((link) => link.attributes('href'))).toEqual(pages.map(([, hash]) => hash));
  });

  it.each(pages)('%s goes to %s and shows "%s"', async (testId, hash, title) => {
    const { wrapper } = await mountApp({ locale: 'en', path: testId === 'nav-inbox' ? '/settings' : '/inbox' });

    await click(wrapper, testId);

    expect(window.location.hash).toBe(hash);
    const heading = wrapper.get('main [data-testid="page-title"]');
    expect(heading.element.tagName).toBe('H1');
    expect(heading.text()).toBe(title);
    expect(wrapper.get('main p').text().length).toBeGreaterThan(20);
    expect(document.title).toBe(`${title} · Frontdesk`);
    // Only the current page's link is marked, so screen readers say "current page" once.
    const current = wrapper.findAll('[aria-current="page"]');
    expect(current.map((link) => link.attributes('data-testid'))).toEqual([testId]);
    // Focus follows the navigation to the new page's heading.
    expect(document.activeElement).toBe(heading.element);
  });

  it('sends an unknown address to the inbox instead of a blank page', async () => {
    const { wrapper } = await mountApp({ locale: 'en', path: '/no-such-page' });

    expect(window.location.hash).toBe('#/inbox');
    expect(wrapper.get('[data-testid="page-title"]').text()).toBe('Inbox');
  });

  it('has a main landmark and a skip link that moves focus into it', async () => {
    const { wrapper } = await mountApp({ locale: 'en' });
    const skip = wrapper.get('[data-testid="skip-link"]');
    expect(skip.text()).toBe('Skip to main content');

    await skip.trigger('click');

    expect(document.activeElement).toBe(wrapper.get('main#main').element);
    // The router's hash is left alone.
    expect(window.location.hash).toBe('#/inbox');
  });

  it('keeps the status bar outside the main content, with core status announced politely', async () => {
    const { wrapper } = await mountApp({ locale: 'en' });

    expect(wrapper.find('main [data-testid="core-status"]').exists()).toBe(false);
    expect(wrapper.get('footer [data-testid="core-status"]').attributes('role')).toBe('status');
  });
});
