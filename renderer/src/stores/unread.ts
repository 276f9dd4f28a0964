import { onScopeDispose, ref, watch } from 'vue';
import { defineStore } from 'pinia';
import { useFrontdesk } from '../composables/use-frontdesk';
import { useWorkspaceStore } from './workspace';

/**
 * The unread total over unmuted conversations, as core counts it (`inbox:unread` event; `inbox:summary` when
 * the workspace opens or unlocks). App.vue prefixes the document title with it — "(3) Inbox · Frontdesk" — and it
 * is the one place the dock/taskbar badge and the tray are to read it from.
 */
export const useUnreadStore = defineStore('unread', () => {
  const frontdesk = useFrontdesk();
  const workspace = useWorkspaceStore();

  const unreadMessages = ref(0);
  const unreadConversations = ref(0);
  /** Bumped by every event, so an older summary answer does not overwrite a newer push. */
  let version = 0;

  const unsubscribe = frontdesk.on('inbox:unread', (counts) => {
    version += 1;
    unreadMessages.value = counts.unreadMessages;
    unreadConversations.value = counts.unreadConversations;
  });
  onScopeDispose(unsubscribe);

  async function load(): Promise<void> {
    const before = version;
    try {
      const result = await frontdesk.inbox.summary();
      if (result.ok && version === before) {
        unreadMessages.value = result.value.unreadMessages;
        unreadConversations.value = result.value.unreadConversations;
      }
    } catch {
      // The next inbox:unread event tells.
    }
  }

  watch(
    () => workspace.open?.id ?? null,
    (now, before) => {
      if (now === before) return;
      version += 1;
      unreadMessages.value = 0;
      unreadConversations.value = 0;
    },
  );
  watch(
    () => workspace.unlocked,
    (unlocked) => {
      if (unlocked) void load();
    },
    { immediate: true },
  );

  return { unreadMessages, unreadConversations, load };
});
