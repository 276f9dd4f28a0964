import { ref, watch } from 'vue';
import { defineStore } from 'pinia';

/**
 * Privacy mode (PRODUCT §2): for screens customers can see. While it is on, the app root (`<html>`) carries
 * the class `privacy-mode`, and every element marked with the attribute `data-private` is blurred
 * (`filter: blur(…)` in styles/privacy.css) — and stays blurred on hover and focus, since a customer may be
 * looking at the screen. Notifications then say only "New message".
 *
 * THE CONVENTION, for every screen: put `data-private` (no value needed) on each element that shows a
 * customer's name, number, username, BSUID, message preview or text, notes, or any other personal data.
 * Mark the smallest element that holds it (a `<span>`, a cell), not a whole row, so the layout stays readable.
 *
 * Only the on/off boolean is remembered across reloads (localStorage); it is not sensitive.
 */
export const privacyStorageKey = 'frontdesk.privacyMode';

/** The class on the app root while privacy mode is on. */
export const privacyRootClass = 'privacy-mode';

/** The attribute that marks what privacy mode blurs. */
export const privateAttribute = 'data-private';

function readSaved(): boolean {
  try {
    return globalThis.localStorage?.getItem(privacyStorageKey) === 'on';
  } catch {
    return false;
  }
}

function save(enabled: boolean): void {
  try {
    if (enabled) globalThis.localStorage?.setItem(privacyStorageKey, 'on');
    else globalThis.localStorage?.removeItem(privacyStorageKey);
  } catch {
    // Storage can be disabled: the mode still works for this session.
  }
}

export const usePrivacyStore = defineStore('privacy', () => {
  const enabled = ref(readSaved());

  watch(enabled, save);

  function set(next: boolean): void {
    enabled.value = next;
  }

  function toggle(): void {
    enabled.value = !enabled.value;
  }

  return { enabled, set, toggle };
});
