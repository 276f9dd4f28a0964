import { createI18n } from 'vue-i18n';
import { en } from './en';
import type { MessageSchema } from './en';
import { zhCN } from './zh-cn';
import { defaultLocale } from './locales';
import type { AppLocale } from './locales';

declare module 'vue-i18n' {
  // Types `t()` and the message resources with our schema. Declaration merging needs the empty interface.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface DefineLocaleMessage extends MessageSchema {}
}

export const messages: Record<AppLocale, MessageSchema> = { en, 'zh-CN': zhCN };

/** A fresh i18n instance (composition mode): one for the app, one per test. */
export function createAppI18n(locale: AppLocale = defaultLocale) {
  return createI18n<[MessageSchema], AppLocale, false>({
    legacy: false,
    locale,
    fallbackLocale: defaultLocale,
    messages,
  });
}

export type AppI18n = ReturnType<typeof createAppI18n>;
