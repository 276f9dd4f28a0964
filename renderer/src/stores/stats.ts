import { ref, watch } from 'vue';
import { defineStore } from 'pinia';
import type { IpcError } from '../../../shared/ipc/errors';
import type { Result } from '../../../shared/ipc/result';
import type { StatsDrillPage, StatsExportRequest, StatsFigure, StatsFilterRequest, StatsRange, StatsReport } from '../../../shared/ipc/stats';
import { useFrontdesk } from '../composables/use-frontdesk';
import { settle } from '../utils/settle';
import { useWorkspaceStore } from './workspace';

/** A label or staff member a table cell narrows a drill-down to (on top of the page's own filters). */
export interface StatsScope {
  labelId?: number;
  /** null: the messages no staff member sent. */
  staffId?: string | null;
}

/**
 * Statistics (PRODUCT §10): the page's filters (kept while the app runs, so coming back shows the same
 * view), the figures core computed for them, and the lists and files behind them. Figures are computed on
 * request (opening the page, changing a filter, Refresh), never on the renderer's own clock.
 */
export const useStatsStore = defineStore('stats', () => {
  const frontdesk = useFrontdesk();
  const workspace = useWorkspaceStore();

  const range = ref<StatsRange>({ preset: '7d' });
  const labelId = ref<number | null>(null);
  const staffId = ref<string | null>(null);
  /** Response times counting open hours only. */
  const businessHours = ref(false);

  const report = ref<StatsReport | null>(null);
  const loading = ref(false);
  const error = ref<IpcError | null>(null);
  let generation = 0;

  function filter(scope: StatsScope = {}): StatsFilterRequest {
    const request: StatsFilterRequest = { range: range.value };
    const label = scope.labelId ?? labelId.value;
    if (label !== null) request.labelId = label;
    // The page's own filter uses null for "everyone"; a table row's scope uses it for "no staff member".
    if (scope.staffId !== undefined) request.staffId = scope.staffId;
    else if (staffId.value !== null) request.staffId = staffId.value;
    return request;
  }

  /** Computes again for the current filters; an older answer arriving late is dropped. */
  async function load(): Promise<void> {
    const mine = ++generation;
    loading.value = true;
    const result = await settle(() => frontdesk.stats.compute(filter()));
    if (mine !== generation) return;
    loading.value = false;
    if (!result.ok) {
      error.value = result.error;
      // A filter that no longer exists (a deleted label) falls back to everything.
      if (result.error.code === 'not_found' && (labelId.value !== null || staffId.value !== null)) {
        labelId.value = null;
        staffId.value = null;
        void load();
      }
      return;
    }
    error.value = null;
    report.value = result.value;
  }

  const drillDown = (figure: StatsFigure, scope: StatsScope, offset: number, limit = 50): Promise<Result<StatsDrillPage>> =>
    settle(() => frontdesk.stats['drill-down']({ ...filter(scope), figure, offset, limit }));

  type ExportOf<K> = K extends StatsExportRequest ? Omit<K, 'range' | 'labelId' | 'staffId'> : never;
  const exportCsv = (request: ExportOf<StatsExportRequest>, scope: StatsScope = {}): Promise<Result<{ saved: boolean; rows: number }>> =>
    settle(() => frontdesk.stats['export-csv']({ ...request, ...filter(scope) } as StatsExportRequest));

  watch(
    () => workspace.unlocked,
    (unlocked) => {
      if (unlocked) return;
      // Nothing of the archive stays on screen while locked; another workspace starts afresh.
      generation++;
      report.value = null;
      error.value = null;
      loading.value = false;
      labelId.value = null;
      staffId.value = null;
    },
  );

  return { range, labelId, staffId, businessHours, report, loading, error, filter, load, drillDown, exportCsv };
});
