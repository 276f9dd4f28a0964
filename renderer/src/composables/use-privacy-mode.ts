import { onMounted, onUnmounted, watch, watchEffect } from 'vue';
import { privacyRootClass, usePrivacyStore } from '../stores/privacy';
import { useFrontdesk } from './use-frontdesk';

/** Ctrl+Shift+P (⌘⇧P on a Mac): free in the app (Ctrl+L locks; no menu or Chromium shortcut uses it). */
export function isPrivacyShortcut(event: KeyboardEvent): boolean {
  if (event.altKey || !event.shiftKey || !(event.ctrlKey || event.metaKey)) return false;
  return event.code === 'KeyP' || event.key.toLowerCase() === 'p';
}

/**
 * Started once from App.vue: keeps the `privacy-mode` class on the app root (`<html>`, so that anything
 * teleported out of the app is covered too) in step with the store, and toggles it with the shortcut anywhere
 * or from the tray menu (whose tick is kept in step by telling main each change).
 */
export function usePrivacyMode() {
  const privacy = usePrivacyStore();
  const frontdesk = useFrontdesk();

  watch(
    () => privacy.enabled,
    (enabled) => void frontdesk.desktop['privacy-mode']({ enabled }).catch(() => undefined),
    { immediate: true },
  );
  const stopCommands = frontdesk.on('desktop:command', ({ command }) => {
    if (command === 'toggle-privacy-mode') privacy.toggle();
  });

  watchEffect(() => {
    document.documentElement.classList.toggle(privacyRootClass, privacy.enabled);
  });

  function onKeydown(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.repeat || !isPrivacyShortcut(event)) return;
    event.preventDefault();
    privacy.toggle();
  }

  onMounted(() => window.addEventListener('keydown', onKeydown));
  onUnmounted(() => {
    stopCommands();
    window.removeEventListener('keydown', onKeydown);
    document.documentElement.classList.remove(privacyRootClass);
  });

  return privacy;
}
