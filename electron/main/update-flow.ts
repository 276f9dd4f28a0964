/**
 * Self-update (packaging issue): electron-updater checks shortly after start and then daily, downloads in the
 * background, and the update is installed by "Restart to update" — offered only while no message is on its way
 * to Meta, since a restart mid-request leaves that message "not confirmed". Queued messages are safe in the
 * outbox and simply go after the restart. Off in development builds.
 */
import type { UpdateState } from '../../shared/ipc';

/** The part of electron-updater's AppUpdater used here. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  on(event: 'checking-for-update' | 'update-available' | 'update-not-available' | 'download-progress' | 'update-downloaded' | 'error', listener: (arg: unknown) => void): unknown;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

export interface UpdateFlowOptions {
  /** Null: updates are off (`disabledReason` says why). */
  updater: UpdaterLike | null;
  disabledReason?: 'development' | 'unsupported';
  /** Asks core whether a message is on its way to Meta. */
  isSending(): Promise<boolean>;
  now(): number;
  setTimer(ms: number, fn: () => void): () => void;
  onChange(state: UpdateState): void;
  /** Once per downloaded version: main shows a system notification. */
  onReady?(version: string): void;
  /** Runs before the installer takes over: core closes the archive cleanly. */
  beforeInstall(): Promise<void>;
  log?(level: 'info' | 'warn', message: string, fields?: Record<string, string | number>): void;
  firstCheckDelayMs?: number;
  checkEveryMs?: number;
  /** While an update waits for sends to finish: how often to ask again. */
  sendPollMs?: number;
}

export type RestartOutcome = 'restarting' | 'waiting-for-sends' | 'not-ready';

export interface UpdateFlow {
  start(): void;
  state(): UpdateState;
  /** Checks now (the settings' "Check for updates"); resolves when the check is answered. */
  check(): Promise<UpdateState>;
  restart(): Promise<RestartOutcome>;
  stop(): void;
}

const day = 24 * 60 * 60 * 1000;

function versionOf(info: unknown): string {
  const version = (info as { version?: unknown } | null)?.version;
  return typeof version === 'string' && version.length <= 64 ? version : 'unknown';
}

/** What went wrong, in the few words the settings show. */
export function classifyUpdateError(error: unknown, downloading: boolean): 'offline' | 'no_release' | 'download_failed' | 'unknown' {
  const text = error instanceof Error ? `${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}` : String(error);
  if (/net::ERR_(INTERNET_DISCONNECTED|NAME_NOT_RESOLVED|NETWORK_CHANGED|CONNECTION_|TIMED_OUT|ADDRESS_UNREACHABLE)|ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENETUNREACH/.test(text)) return 'offline';
  if (downloading) return 'download_failed';
  if (/\b404\b|No published versions|Unable to find latest version|Cannot find latest/i.test(text)) return 'no_release';
  return 'unknown';
}

export function createUpdateFlow(options: UpdateFlowOptions): UpdateFlow {
  const { updater } = options;
  const firstCheckDelayMs = options.firstCheckDelayMs ?? 30_000;
  const checkEveryMs = options.checkEveryMs ?? day;
  const sendPollMs = options.sendPollMs ?? 3_000;
  let state: UpdateState = updater ? { status: 'idle', checkedAt: null } : { status: 'disabled', reason: options.disabledReason ?? 'development' };
  let cancelCheck: (() => void) | null = null;
  let cancelPoll: (() => void) | null = null;
  let announced: string | null = null;
  let stopped = false;

  const set = (next: UpdateState) => {
    if (JSON.stringify(next) === JSON.stringify(state)) return;
    state = next;
    options.onChange(state);
  };

  // While ready: keep `waitingForSends` true to the facts, so the menu item and the button enable themselves.
  const pollSends = () => {
    cancelPoll?.();
    cancelPoll = null;
    if (stopped || state.status !== 'ready') return;
    void options.isSending().then((sending) => {
      if (state.status !== 'ready') return;
      set({ ...state, waitingForSends: sending });
      if (!stopped) cancelPoll = options.setTimer(sendPollMs, pollSends);
    });
  };

  if (updater) {
    updater.autoDownload = true;
    // Installing happens on "Restart to update", never as a surprise on the next quit.
    updater.autoInstallOnAppQuit = false;
    updater.on('checking-for-update', () => {
      if (state.status !== 'ready' && state.status !== 'downloading') set({ status: 'checking' });
    });
    updater.on('update-not-available', () => set({ status: 'idle', checkedAt: options.now() }));
    updater.on('update-available', (info) => set({ status: 'downloading', version: versionOf(info), percent: 0 }));
    updater.on('download-progress', (progress) => {
      if (state.status !== 'downloading') return;
      const percent = Number((progress as { percent?: unknown } | null)?.percent);
      if (Number.isFinite(percent)) set({ ...state, percent: Math.max(0, Math.min(100, Math.floor(percent))) });
    });
    updater.on('update-downloaded', (info) => {
      const version = versionOf(info);
      set({ status: 'ready', version, waitingForSends: false });
      options.log?.('info', 'An update was downloaded', { version });
      if (announced !== version) {
        announced = version;
        options.onReady?.(version);
      }
      pollSends();
    });
    updater.on('error', (error) => fail(error));
  }

  function fail(error: unknown): void {
    // A later check's failure does not take back an update already downloaded.
    if (state.status === 'ready') return;
    const code = classifyUpdateError(error, state.status === 'downloading');
    options.log?.('warn', 'Checking for updates failed', { code });
    set({ status: 'error', code, at: options.now() });
  }

  async function check(): Promise<UpdateState> {
    if (!updater || state.status === 'downloading' || state.status === 'ready' || state.status === 'checking') return state;
    set({ status: 'checking' });
    try {
      await updater.checkForUpdates();
      // A check that answered without an event (the updater had nothing to do) counts as "up to date".
      if ((state as UpdateState).status === 'checking') set({ status: 'idle', checkedAt: options.now() });
    } catch (error) {
      fail(error);
    }
    return state;
  }

  const schedule = (ms: number) => {
    cancelCheck?.();
    cancelCheck = options.setTimer(ms, () => {
      void check().finally(() => {
        if (!stopped) schedule(checkEveryMs);
      });
    });
  };

  return {
    start() {
      if (updater && !stopped) schedule(firstCheckDelayMs);
    },
    state: () => state,
    check,
    async restart() {
      if (!updater || state.status !== 'ready') return 'not-ready';
      if (await options.isSending()) {
        set({ ...state, waitingForSends: true });
        return 'waiting-for-sends';
      }
      stopped = true;
      cancelCheck?.();
      cancelPoll?.();
      await options.beforeInstall();
      updater.quitAndInstall(false, true);
      return 'restarting';
    },
    stop() {
      stopped = true;
      cancelCheck?.();
      cancelPoll?.();
    },
  };
}
