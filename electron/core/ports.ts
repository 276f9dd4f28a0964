/**
 * The ports core is built from (DESIGN: createCore(ports)). In the app, main implements the Electron-backed
 * ones over a MessagePort; tests and the preview host use the plain-Node versions in `node-ports/`.
 */
import type { DesktopState, EventName, EventPayload, Transport } from '../../shared/ipc';

/** Wraps small secrets (a workspace master key) with the OS keychain. */
export interface KeychainPort {
  /** False when there is no keychain, or only an insecure one (Linux `basic_text`). */
  isAvailable(): Promise<boolean>;
  wrap(plain: Uint8Array): Promise<Uint8Array>;
  unwrap(wrapped: Uint8Array): Promise<Uint8Array>;
}

/** Settings that are not business data (window size, theme, language, failed-unlock counter). */
export interface SettingsPort {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every setting, for the diagnostics file (which removes anything secret-looking before writing it). */
  all(): Promise<Record<string, unknown>>;
}

export interface ClockPort {
  /** Milliseconds since the epoch: the wall clock in the app, virtual in tests and the sandbox. */
  now(): number;
  /** Runs `fn` once after `ms` on this clock; returns a function that cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
}

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface LoggerPort {
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: LogFields): void;
}

export interface PathsPort {
  /** The folder holding every workspace of this installation. */
  dataDir: string;
}

export interface EventSinkPort {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

export interface DialogsPort {
  /** Asks the user for a folder; null when cancelled. */
  chooseFolder(options: { title: string; defaultPath?: string }): Promise<string | null>;
  /** Asks where to save a file; null when cancelled. */
  chooseSaveFile(options: { title: string; defaultName: string }): Promise<string | null>;
  /** Asks the user for an existing file (e.g. a backup to verify or restore); null when cancelled. */
  chooseOpenFile(options: { title: string; filters?: Array<{ name: string; extensions: string[] }> }): Promise<string | null>;
}

/**
 * Prints an HTML file Frontdesk wrote (a transcript) through the system print dialog, where "Save as PDF" is
 * one of the printers. In the app, main loads the file in a hidden, sandboxed window with JavaScript off (the
 * file's own CSP loads nothing else) and calls `webContents.print()`; the preview host records the request.
 */
export interface PrintPort {
  /** Resolves when the dialog is done: `printed` false when it was cancelled or printing failed. */
  printHtmlFile(options: { path: string; title: string }): Promise<{ printed: boolean }>;
}

/** Signals from the operating system. */
export interface SystemPort {
  /** The computer's screen was locked: every open workspace locks too. Returns the unsubscribe function. */
  onScreenLocked(listener: () => void): () => void;
}

/**
 * The desktop shell (main): launch at login, self-update and the tray. The preview host and tests have no
 * shell; their port says so (updates disabled, launch at login unsupported).
 */
export interface DesktopPort {
  state(): Promise<DesktopState>;
  setLaunchAtLogin(enabled: boolean): Promise<DesktopState>;
  checkForUpdates(): Promise<DesktopState>;
  /** Quits and installs the downloaded update; core has checked that nothing is being sent. */
  restartToUpdate(): Promise<void>;
  /** Keeps the tray menu's privacy tick in step with the window. */
  setPrivacyMode(enabled: boolean): Promise<void>;
}

/** Facts about the process hosting core. */
export interface HostInfo {
  appVersion: string;
  platform: string;
  transport: Transport;
}

export interface CorePorts {
  keychain: KeychainPort;
  settings: SettingsPort;
  clock: ClockPort;
  logger: LoggerPort;
  paths: PathsPort;
  events: EventSinkPort;
  dialogs: DialogsPort;
  print: PrintPort;
  system: SystemPort;
  desktop: DesktopPort;
  host: HostInfo;
}
