import type { EventName, EventPayload } from '../../../shared/ipc';
import type { EventSinkPort } from '../ports';

export type EventListener = (event: EventName, payload: unknown) => void;

export interface EventHub extends EventSinkPort {
  subscribe(listener: EventListener): () => void;
}

/** Fans core's events out to every listener (the preview host's sockets, a test). */
export function createEventHub(): EventHub {
  const listeners = new Set<EventListener>();
  return {
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      for (const listener of listeners) listener(event, payload);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
