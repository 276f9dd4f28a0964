import { computed, onBeforeUnmount, onMounted, ref } from 'vue';
import { useFrontdesk } from './use-frontdesk';

/** Core's long tasks (index rebuild now; backups and restores later): the latest progress while one runs. */
export function useTaskProgress() {
  const frontdesk = useFrontdesk();
  const progress = ref<{ task: string; done: number; total: number } | null>(null);
  let stop: (() => void) | undefined;
  onMounted(() => {
    stop = frontdesk.on('task:progress', (payload) => {
      progress.value = payload.done >= payload.total ? null : payload;
    });
  });
  onBeforeUnmount(() => stop?.());
  const percent = computed(() => (progress.value && progress.value.total > 0 ? Math.floor((progress.value.done / progress.value.total) * 100) : null));
  return { progress, percent };
}
