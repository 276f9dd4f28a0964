import { storeToRefs } from 'pinia';
import { useAppStore } from '../stores/app';

/**
 * Where a stored media file is shown from (DESIGN: one contract, three transports): main's `app-media://`
 * protocol in the app, the preview host's same-origin `/media/` route in a browser. Core decrypts it in memory.
 */
export function useMediaUrl() {
  const app = useAppStore();
  const { info } = storeToRefs(app);
  void app.load();
  return (mediaId: number): string => (info.value?.transport === 'electron' ? `app-media://media/${mediaId}` : `/media/${mediaId}`);
}
