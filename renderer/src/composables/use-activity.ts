import { onMounted, onUnmounted } from 'vue';
import { useFrontdesk } from './use-frontdesk';

/** Core hears about activity at most this often. */
export const activityIntervalMs = 30_000;

/** What counts as someone using the window. */
export const activityEvents = ['pointerdown', 'pointermove', 'keydown', 'wheel'] as const;

/**
 * Tells core the user is active (`app:activity`), so auto-lock counts real idle time. Throttled: the first
 * event is reported at once, later ones at most once per interval — with one trailing report at the end of
 * an interval that saw activity, so core's idea of the last activity is never more than an interval old.
 * Reports only while `active()` (a workspace open and unlocked).
 */
export function useActivityReporter(active: () => boolean, intervalMs = activityIntervalMs) {
  const frontdesk = useFrontdesk();
  let lastSent = Number.NEGATIVE_INFINITY;
  let trailing: ReturnType<typeof setTimeout> | undefined;

  function send(): void {
    lastSent = Date.now();
    // Nothing to tell the user if it fails: the worst case is an earlier auto-lock.
    void frontdesk.app.activity().catch(() => undefined);
  }

  function onActivity(): void {
    // Runs on every wheel and pointer move: when a report is already due, there is nothing to do.
    if (trailing !== undefined) return;
    if (!active()) return;
    const since = Date.now() - lastSent;
    if (since >= intervalMs) {
      send();
      return;
    }
    trailing ??= setTimeout(() => {
      trailing = undefined;
      if (active()) send();
    }, intervalMs - since);
  }

  const options: AddEventListenerOptions = { capture: true, passive: true };
  onMounted(() => {
    for (const type of activityEvents) window.addEventListener(type, onActivity, options);
  });
  onUnmounted(() => {
    for (const type of activityEvents) window.removeEventListener(type, onActivity, options);
    if (trailing !== undefined) clearTimeout(trailing);
    trailing = undefined;
  });
}
