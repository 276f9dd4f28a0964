import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { defaultLocale, isAppLocale, saveLocale } from '../i18n/locales';
import type { AppLocale } from '../i18n/locales';

/** The UI language: reading it follows i18n; setting it switches every view at once and remembers it. */
export function useLocale() {
  const { locale } = useI18n({ useScope: 'global' });
  const current = computed<AppLocale>({
    get: () => (isAppLocale(locale.value) ? locale.value : defaultLocale),
    set: (next) => {
      if (!isAppLocale(next)) return;
      locale.value = next;
      saveLocale(next);
    },
  });
  return { locale: current };
}
