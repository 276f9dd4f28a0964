import type { SystemPort } from '../ports';

export interface ManualSystem extends SystemPort {
  /** Acts as if the OS locked the screen (the preview host's test controls use it). */
  lockScreen(): void;
}

export function createManualSystem(): ManualSystem {
  const listeners = new Set<() => void>();
  return {
    onScreenLocked(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    lockScreen: () => listeners.forEach((listener) => listener()),
  };
}
