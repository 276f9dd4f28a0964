/** The languages the UI ships in, and how the choice is remembered. */
export const appLocales = ['en', 'zh-CN'] as const;
export type AppLocale = (typeof appLocales)[number];

/** Each language named in itself, so anyone can find their own in the list. */
export const localeNames: Record<AppLocale, string> = {
  en: 'English',
  'zh-CN': '简体中文',
};

export const defaultLocale: AppLocale = 'en';

/** localStorage for now; it moves to the settings store (DESIGN: Data) when settings have a channel. */
export const localeStorageKey = 'frontdesk.locale';

export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (appLocales as readonly string[]).includes(value);
}

/** The saved choice if there is one, else the first system language we have (any Chinese → zh-CN), else English. */
export function pickLocale(saved: string | null, systemLanguages: readonly string[]): AppLocale {
  if (isAppLocale(saved)) return saved;
  for (const language of systemLanguages) {
    const lower = language.toLowerCase();
    if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
  }
  return defaultLocale;
}

function readSaved(): string | null {
  try {
    return globalThis.localStorage?.getItem(localeStorageKey) ?? null;
  } catch {
    // Storage can be disabled; the system language is a fine answer then.
    return null;
  }
}

export function loadSavedLocale(): AppLocale {
  const languages = globalThis.navigator?.languages ?? [globalThis.navigator?.language ?? defaultLocale];
  return pickLocale(readSaved(), languages);
}

export function saveLocale(locale: AppLocale): void {
  try {
    globalThis.localStorage?.setItem(localeStorageKey, locale);
  } catch {
    // Not remembered across restarts, but the switch itself still works.
  }
}
