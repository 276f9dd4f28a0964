import { computed } from 'vue';
import { storeToRefs } from 'pinia';
import { useAppStore } from '../stores/app';
import { useCoreClockStore } from '../stores/core-clock';

/**
 * Core counts as connected once it has answered (app info) or spoken (a tick). The contract has no
 * transport-state event yet, so a bridge that drops later is noticed through the errors calls return.
 */
export function useCoreStatus() {
  const { info } = storeToRefs(useAppStore());
  const { lastTick } = storeToRefs(useCoreClockStore());
  const connected = computed(() => info.value !== null || lastTick.value !== null);
  return { connected };
}
