import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import { localeStorageKey } from '../../../../renderer/src/i18n/locales';
import { cleanUpAfterEach } from '../../support/cleanup';
import { click, mountApp } from '../../support/mount-app';

cleanUpAfterEach();

const navText = (wrapper: Awaited<ReturnType<typeof mountApp>>['wrapper']) =>
  wrapper.findAll('nav a').map((link) => link.text());

describe('language choice', () => {
  it('offers English and Simplified Chinese, each named in its own language', async () => {
    const { wrapper } = await mountApp({ locale: 'en' });

    const options = wrapper.findAll('[data-testid="language-select"] option');
    expect(options.map((option) => [option.attributes('value'), option.text()])).toEqual([
      ['en', 'English'],
      ['zh-CN', '简体中文'],
    ]);
    expect(wrapper.get('label[for]').text()).toBe('Language');
  });

  it('switches the whole window to Chinese at once', async () => {
    const { wrapper, frontdesk } = await mountApp({ locale: 'en' });
    expect(navText(wrapper)).toContain('Inbox');

    await wrapper.get('[data-testid="language-select"]').setValue('zh-CN');
    frontdesk.emit('app:tick', { at: Date.now(), seq: 3 });
    await flushPromises();

    expect(wrapper.get('[data-testid="nav-inbox"]').text()).toBe('收件箱');
    expect(navText(wrapper)).toEqual(['收件箱', '搜索', '联系人', '消息模板', '快捷回复', '标签', '自动回复', '商家资料', '统计', '备份与隐私', '设置']);
    expect(wrapper.get('nav').attributes('aria-label')).toBe('主导航');
    expect(wrapper.get('[data-testid="page-title"]').text()).toBe('收件箱');
    expect(wrapper.get('[data-testid="core-status"]').text()).toBe('已连接到核心');
    expect(wrapper.get('[data-testid="skip-link"]').text()).toBe('跳到主要内容');
    expect(document.title).toBe('收件箱 · Frontdesk');
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('switches back to English', async () => {
    const { wrapper } = await mountApp({ locale: 'zh-CN' });
    expect(wrapper.get('[data-testid="nav-settings"]').text()).toBe('设置');

    await wrapper.get('[data-testid="language-select"]').setValue('en');

    expect(wrapper.get('[data-testid="nav-settings"]').text()).toBe('Settings');
    expect(document.documentElement.lang).toBe('en');
  });

  it('is remembered the next time the app starts', async () => {
    const first = await mountApp();
    await first.wrapper.get('[data-testid="language-select"]').setValue('zh-CN');
    expect(window.localStorage.getItem(localeStorageKey)).toBe('zh-CN');
    first.wrapper.unmount();

    const second = await mountApp();

    expect(second.wrapper.get('[data-testid="nav-inbox"]').text()).toBe('收件箱');
    expect((second.wrapper.get('[data-testid="language-select"]').element as HTMLSelectElement).value).toBe('zh-CN');
  });

  it('can also be changed in Settings, and both selectors agree', async () => {
    const { wrapper } = await mountApp({ locale: 'en' });
    await click(wrapper, 'nav-settings');

    await wrapper.get('[data-testid="settings-language-select"]').setValue('zh-CN');

    expect(wrapper.get('[data-testid="page-title"]').text()).toBe('设置');
    expect(wrapper.get('[data-testid="about-platform"]').text()).toBe('Linux');
    expect((wrapper.get('[data-testid="language-select"]').element as HTMLSelectElement).value).toBe('zh-CN');
  });
});
