import { describe, expect, it } from 'vitest';
import { errorCodes } from '../../../shared/ipc/errors';
import { en } from '../../../renderer/src/i18n/en';
import { zhCN } from '../../../renderer/src/i18n/zh-cn';
import { messages } from '../../../renderer/src/i18n';
import { appLocales, pickLocale } from '../../../renderer/src/i18n/locales';

/** Every leaf as [dotted key, text]. */
function leaves(tree: object, prefix = ''): [string, unknown][] {
  return Object.entries(tree).flatMap(([key, value]): [string, unknown][] =>
    value !== null && typeof value === 'object' ? leaves(value as object, `${prefix}${key}.`) : [[`${prefix}${key}`, value]],
  );
}

const keysOf = (tree: object) => leaves(tree).map(([key]) => key);

describe('message files', () => {
  it('have exactly the same keys in English and Simplified Chinese', () => {
    const english = new Set(keysOf(en));
    const chinese = new Set(keysOf(zhCN));

    expect([...english].filter((key) => !chinese.has(key)), 'missing in zh-CN').toEqual([]);
    expect([...chinese].filter((key) => !english.has(key)), 'missing in en').toEqual([]);
  });

  it('have a non-empty sentence for every key, in every language', () => {
    for (const locale of appLocales) {
      const blank = leaves(messages[locale]).filter(([, text]) => typeof text !== 'string' || text.trim() === '');
      expect(blank.map(([key]) => key), `blank in ${locale}`).toEqual([]);
    }
  });

  it('translate every stable error code, and no code that does not exist', () => {
    for (const locale of appLocales) {
      expect(Object.keys(messages[locale].errors).sort(), locale).toEqual([...errorCodes].sort());
    }
  });

  it('really are in Chinese where they should be', () => {
    expect(zhCN.nav.inbox).not.toBe(en.nav.inbox);
    expect(zhCN.errors.transport_unavailable).toMatch(/\p{Script=Han}/u);
  });
});

describe('pickLocale', () => {
  it('prefers the remembered choice', () => {
    expect(pickLocale('zh-CN', ['en-US'])).toBe('zh-CN');
    expect(pickLocale('en', ['zh-CN'])).toBe('en');
  });

  it('otherwise follows the system language, any Chinese giving Simplified Chinese', () => {
    expect(pickLocale(null, ['zh-Hans-CN', 'en'])).toBe('zh-CN');
    expect(pickLocale(null, ['zh-TW'])).toBe('zh-CN');
    expect(pickLocale(null, ['fr-FR', 'en-GB', 'zh'])).toBe('en');
    expect(pickLocale('klingon', ['fr-FR'])).toBe('en');
  });
});
