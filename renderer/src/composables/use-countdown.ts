import { computed, onScopeDispose, ref } from 'vue';

/**
 * A wait the user must sit out (a throttled unlock): started from core's `retryAfterMs`, counted down in whole
 * seconds on screen. The length comes from core; only the ticking uses the renderer's clock.
 */
export function useCountdown(tickMs = 250) {
  const remainingMs = ref(0);
  let deadline = 0;
  let timer: ReturnType<typeof setInterval> | undefined;

  function stop(): void {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  }

  function update(): void {
    remainingMs.value = Math.max(0, deadline - Date.now());
    if (remainingMs.value === 0) stop();
  }

  function start(ms: number): void {
    stop();
    deadline = Date.now() + Math.max(0, ms);
    update();
    if (remainingMs.value > 0) timer = setInterval(update, tickMs);
  }

  function cancel(): void {
    stop();
    remainingMs.value = 0;
  }

  onScopeDispose(stop);

  const seconds = computed(() => Math.ceil(remainingMs.value / 1000));
  const running = computed(() => remainingMs.value > 0);

  return { seconds, running, start, cancel };
}
