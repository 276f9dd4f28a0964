/**
 * The computer locking means Frontdesk locking (PRODUCT §11): Electron's powerMonitor reports the screen lock
 * (macOS, Windows) and sleep (every platform; a laptop lid closing). Core locks every open workspace.
 */
export interface PowerMonitorLike {
  on(event: 'lock-screen' | 'suspend', listener: () => void): unknown;
  off(event: 'lock-screen' | 'suspend', listener: () => void): unknown;
}

/** Returns the function that stops listening. */
export function lockOnScreenLock(powerMonitor: PowerMonitorLike, lock: () => void): () => void {
  const listener = () => lock();
  powerMonitor.on('lock-screen', listener);
  powerMonitor.on('suspend', listener);
  return () => {
    powerMonitor.off('lock-screen', listener);
    powerMonitor.off('suspend', listener);
  };
}
