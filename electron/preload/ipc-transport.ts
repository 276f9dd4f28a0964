/**
 * window.frontdesk's transport over Electron IPC. Handlers get the event payload only: the
 * IpcRendererEvent (which carries `sender`, i.e. ipcRenderer itself) never crosses into the page.
 */
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { fail } from '../../shared/ipc';
import type { ApiTransport, EventName, Result } from '../../shared/ipc';
import { eventChannel } from '../main/event-channel';

export type IpcRendererLike = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

export function createIpcTransport(ipcRenderer: IpcRendererLike): ApiTransport {
  const handlers = new Map<EventName, Set<(payload: unknown) => void>>();
  // One listener for all subscriptions: no MaxListeners warnings however many components subscribe.
  const listener = (_event: IpcRendererEvent, message: unknown) => {
    if (typeof message !== 'object' || message === null) return;
    const { name, payload } = message as { name?: unknown; payload?: unknown };
    const forEvent = handlers.get(name as EventName);
    if (!forEvent) return;
    for (const handler of [...forEvent]) {
      try {
        handler(payload);
      } catch (error) {
        // One failing handler must not keep the event from the others.
        console.error(error);
      }
    }
  };
  let listening = false;

  return {
    async invoke(channel, payload) {
      try {
        return (await ipcRenderer.invoke(channel, payload)) as Result<unknown>;
      } catch {
        // Only happens while main has not registered its handlers yet (starting or quitting).
        return fail('transport_unavailable', 'Frontdesk is not ready to answer yet');
      }
    },
    subscribe(event, handler) {
      if (!listening) {
        ipcRenderer.on(eventChannel, listener);
        listening = true;
      }
      let forEvent = handlers.get(event);
      if (!forEvent) handlers.set(event, (forEvent = new Set()));
      // A wrapper per subscription, so subscribing the same function twice needs two unsubscribes.
      const wrapped = (payload: unknown) => handler(payload);
      forEvent.add(wrapped);
      return () => {
        forEvent.delete(wrapped);
        if (forEvent.size === 0) handlers.delete(event);
        if (handlers.size === 0 && listening) {
          ipcRenderer.removeListener(eventChannel, listener);
          listening = false;
        }
      };
    },
  };
}
