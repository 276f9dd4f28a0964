import { onScopeDispose, ref } from 'vue';
import { defineStore } from 'pinia';
import type { EventPayload, RequestOf } from '../../../shared/ipc/contract';
import type { AutomationLogPage, AutoRepliesView, DryRunResult } from '../../../shared/ipc/automation';
import type { Result } from '../../../shared/ipc/result';
import { useFrontdesk } from '../composables/use-frontdesk';
import { settle } from '../utils/settle';

/**
 * Greeting and away messages (PRODUCT §6): their settings, the dry run before a change is saved, and the log
 * of what was sent. Holds no business data itself, only `lastSent` — the last `automation:sent` event — so an
 * open log can show a new automatic message as it goes out.
 */
export const useAutomationStore = defineStore('automation', () => {
  const frontdesk = useFrontdesk();
  const lastSent = ref<EventPayload<'automation:sent'> | null>(null);

  const unsubscribe = frontdesk.on('automation:sent', (sent) => {
    lastSent.value = { ...sent };
  });
  onScopeDispose(unsubscribe);

  return {
    lastSent,
    get: (): Promise<Result<AutoRepliesView>> => settle(() => frontdesk.automation.get()),
    save: (settings: RequestOf<'automation:save'>): Promise<Result<AutoRepliesView>> => settle(() => frontdesk.automation.save(settings)),
    dryRun: (request: RequestOf<'automation:dry-run'>): Promise<Result<DryRunResult>> => settle(() => frontdesk.automation['dry-run'](request)),
    log: (request: RequestOf<'automation:log'>): Promise<Result<AutomationLogPage>> => settle(() => frontdesk.automation.log(request)),
  };
});
