import { computed, onScopeDispose, ref } from 'vue';
import { defineStore } from 'pinia';
import type { HealthState } from '../../../shared/ipc/contract';
import { useFrontdesk } from '../composables/use-frontdesk';

/** The quality ratings that deserve a banner; GREEN, UNKNOWN and the like do not. */
const WORRYING_QUALITY = new Set(['YELLOW', 'RED']);

/** What `health:get` answers or `health:state` pushes (a push from an older core may lack `relayUnreachable`). */
type IncomingHealth = Omit<HealthState, 'relayUnreachable'> & { relayUnreachable?: boolean };

function copyState(state: IncomingHealth): HealthState {
  return { ...state, relayUnreachable: state.relayUnreachable ?? false, alerts: state.alerts.map((alert) => ({ ...alert })) };
}

/**
 * What is wrong with the line to Meta, as core computes it (PRODUCT §1): read with `health:get` when the
 * app shell mounts, then kept current by the `health:state` event. Subscribes when the store is first
 * used; `$dispose()` unsubscribes. Nothing is known (and nothing shown) until core has answered.
 */
export const useHealthStore = defineStore('health', () => {
  const frontdesk = useFrontdesk();
  const state = ref<HealthState | null>(null);

  /** Bumped by every pushed state, so that an older `health:get` answer does not overwrite a newer push. */
  let version = 0;

  const unsubscribe = frontdesk.on('health:state', (next) => {
    version += 1;
    state.value = copyState(next);
  });
  // A setup store runs in its own effect scope, which `$dispose()` stops.
  onScopeDispose(unsubscribe);

  async function load(): Promise<void> {
    const before = version;
    try {
      const result = await frontdesk.health.get();
      if (result.ok && version === before) state.value = copyState(result.value);
    } catch {
      // A transport that throws is, for the banners, one that has not answered yet: the event will tell.
    }
  }

  const offline = computed(() => state.value?.offline ?? false);
  const tokenRejected = computed(() => state.value?.tokenRejected ?? false);
  const webhooksSilent = computed(() => state.value?.webhooksSilent ?? false);
  /** Relay mode: the relay has not answered for over a minute. */
  const relayUnreachable = computed(() => state.value?.relayUnreachable ?? false);
  /** YELLOW or RED, upper-cased; null when the rating is fine or unknown. */
  const worryingQuality = computed(() => {
    const rating = state.value?.qualityRating?.toUpperCase() ?? null;
    return rating !== null && WORRYING_QUALITY.has(rating) ? rating : null;
  });
  const alerts = computed(() => state.value?.alerts ?? []);
  const hasProblems = computed(
    () =>
      offline.value ||
      tokenRejected.value ||
      webhooksSilent.value ||
      relayUnreachable.value ||
      worryingQuality.value !== null ||
      alerts.value.length > 0,
  );

  return { state, offline, tokenRejected, webhooksSilent, relayUnreachable, worryingQuality, alerts, hasProblems, load };
});
