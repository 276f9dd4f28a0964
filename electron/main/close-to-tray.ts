/**
 * Closing the window keeps Frontdesk running in the tray (messages keep arriving, automatic replies keep going):
 * the window hides instead. The first time, a short note says so; it is remembered in the settings store.
 * Quitting (the tray menu, the app menu, an update, the OS shutting down) closes windows for real.
 */

/** The settings key remembering the one-time note was shown. */
export const closeToTrayNoteKey = 'desktop.closeToTrayExplained';

export interface ClosableWindow {
  hide(): void;
}

export interface CloseToTrayOptions {
  /** True once quitting has begun: a close is then a real close. */
  isQuitting(): boolean;
  settings: { get(key: string): unknown; set(key: string, value: unknown): void };
  /** Shows the one-time note (a message box). */
  explain(): void;
}

/** The window's 'close' handler. */
export function createCloseToTray(options: CloseToTrayOptions) {
  return (event: { preventDefault(): void }, window: ClosableWindow): void => {
    if (options.isQuitting()) return;
    event.preventDefault();
    window.hide();
    if (options.settings.get(closeToTrayNoteKey) === true) return;
    options.settings.set(closeToTrayNoteKey, true);
    options.explain();
  };
}
