import { computed, onScopeDispose, ref } from 'vue';
import { defineStore } from 'pinia';
import type { EventPayload } from '../../../shared/ipc/contract';
import { useFrontdesk } from '../composables/use-frontdesk';

export type CoreTick = EventPayload<'app:tick'>;

/**
 * Core's clock as core last reported it through `app:tick` — never the renderer's own clock (DESIGN:
 * time-dependent state comes from core). Subscribes when the store is first used; `$dispose()` unsubscribes.
 */
export const useCoreClockStore = defineStore('core-clock', () => {
  const lastTick = ref<CoreTick | null>(null);
  const at = computed(() => lastTick.value?.at ?? null);
  const seq = computed(() => lastTick.value?.seq ?? null);

  const unsubscribe = useFrontdesk().on('app:tick', (tick) => {
    lastTick.value = { at: tick.at, seq: tick.seq };
  });
  // A setup store runs in its own effect scope, which `$dispose()` stops.
  onScopeDispose(unsubscribe);

  return { lastTick, at, seq };
});
