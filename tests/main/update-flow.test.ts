import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { classifyUpdateError, createUpdateFlow } from '../../electron/main/update-flow';
import type { UpdateFlowOptions, UpdaterLike } from '../../electron/main/update-flow';
import type { UpdateState } from '../../shared/ipc';

/** electron-updater's AppUpdater as far as the flow sees it: events are emitted by the test. */
class FakeUpdater extends EventEmitter implements UpdaterLike {
  autoDownload = false;
  autoInstallOnAppQuit = true;
  checks = 0;
  answer: (updater: FakeUpdater) => Promise<unknown> = async () => null;
  quitAndInstall = vi.fn();
  checkForUpdates() {
    this.checks += 1;
    return this.answer(this);
  }
}

/** Timers on a virtual clock. */
function manualTimers() {
  let now = 0;
  let timers: Array<{ at: number; fn: () => void }> = [];
  return {
    now: () => now,
    setTimer(ms: number, fn: () => void) {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return () => void (timers = timers.filter((t) => t !== timer));
    },
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.fn();
        await new Promise((resolve) => setImmediate(resolve));
      }
      now = until;
    },
    pending: () => timers.length,
  };
}

function setup(overrides: Partial<UpdateFlowOptions> = {}) {
  const updater = new FakeUpdater();
  const timers = manualTimers();
  const states: UpdateState[] = [];
  let sending = false;
  const steps: string[] = [];
  const options: UpdateFlowOptions = {
    updater,
    isSending: async () => sending,
    now: timers.now,
    setTimer: timers.setTimer,
    onChange: (state) => void states.push(state),
    onReady: (version) => void steps.push(`ready ${version}`),
    beforeInstall: async () => void steps.push('core stopped'),
    firstCheckDelayMs: 30_000,
    checkEveryMs: 86_400_000,
    sendPollMs: 3_000,
    ...overrides,
  };
  const flow = createUpdateFlow(options);
  updater.quitAndInstall.mockImplementation(() => void steps.push('quit and install'));
  return { flow, updater, timers, states, steps, setSending: (value: boolean) => void (sending = value) };
}

/** An update found and downloaded, as electron-updater reports it with autoDownload on. */
const releases = (version: string) => async (updater: FakeUpdater) => {
  updater.emit('checking-for-update');
  updater.emit('update-available', { version });
  updater.emit('download-progress', { percent: 41.7 });
  return { updateInfo: { version } };
};

describe('self-update', () => {
  it('is off in development: no checks, and the state says why', async () => {
    const { flow, timers, states } = setup({ updater: null, disabledReason: 'development' });
    flow.start();
    expect(flow.state()).toEqual({ status: 'disabled', reason: 'development' });
    expect(await flow.check()).toEqual({ status: 'disabled', reason: 'development' });
    expect(await flow.restart()).toBe('not-ready');
    expect(timers.pending()).toBe(0);
    expect(states).toEqual([]);
  });

  it('checks shortly after start and then daily, downloading in the background and installing only on restart', async () => {
    const { flow, updater, timers, states } = setup();
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(false);
    flow.start();
    await timers.advance(29_999);
    expect(updater.checks).toBe(0);
    await timers.advance(1);
    expect(updater.checks).toBe(1);
    expect(flow.state()).toEqual({ status: 'idle', checkedAt: 30_000 });

    await timers.advance(86_400_000 - 1);
    expect(updater.checks).toBe(1);
    updater.answer = releases('1.5.0');
    await timers.advance(1);
    expect(updater.checks).toBe(2);
    expect(flow.state()).toEqual({ status: 'downloading', version: '1.5.0', percent: 41 });
    expect(states.map((s) => s.status)).toEqual(['checking', 'idle', 'checking', 'downloading', 'downloading']);
    expect(updater.quitAndInstall).not.toHaveBeenCalled();
  });

  it('once downloaded, offers the restart only while nothing is being sent, and stops core before installing', async () => {
    const { flow, updater, timers, steps, setSending } = setup();
    updater.answer = releases('1.5.0');
    await flow.check();
    setSending(true);
    updater.emit('update-downloaded', { version: '1.5.0' });
    await timers.advance(0);
    expect(steps).toEqual(['ready 1.5.0']);
    expect(flow.state()).toEqual({ status: 'ready', version: '1.5.0', waitingForSends: true });

    expect(await flow.restart()).toBe('waiting-for-sends');
    expect(updater.quitAndInstall).not.toHaveBeenCalled();

    setSending(false);
    await timers.advance(3_000);
    expect(flow.state()).toEqual({ status: 'ready', version: '1.5.0', waitingForSends: false });
    expect(await flow.restart()).toBe('restarting');
    expect(steps).toEqual(['ready 1.5.0', 'core stopped', 'quit and install']);
    expect(updater.quitAndInstall).toHaveBeenCalledWith(false, true);
  });

  it('a ready update is not checked again, and a later failure does not take it back', async () => {
    const { flow, updater } = setup();
    updater.answer = releases('1.5.0');
    await flow.check();
    updater.emit('update-downloaded', { version: '1.5.0' });
    await flow.check();
    expect(updater.checks).toBe(1);
    updater.emit('error', new Error('net::ERR_INTERNET_DISCONNECTED'));
    expect(flow.state()).toMatchObject({ status: 'ready', version: '1.5.0' });
  });

  it('says why a check failed, and tries again the next day', async () => {
    const { flow, updater, timers } = setup();
    updater.answer = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND github.com'), { code: 'ENOTFOUND' });
    };
    flow.start();
    await timers.advance(30_000);
    expect(flow.state()).toEqual({ status: 'error', code: 'offline', at: 30_000 });
    updater.answer = async () => null;
    await timers.advance(86_400_000);
    expect(updater.checks).toBe(2);
    expect(flow.state()).toEqual({ status: 'idle', checkedAt: 86_430_000 });
  });

  it('tells a missing release, a failed download and the unexpected apart', () => {
    expect(classifyUpdateError(new Error('net::ERR_NAME_NOT_RESOLVED'), false)).toBe('offline');
    expect(classifyUpdateError(new Error('HttpError: 404 "method: GET url: https://github.com/x/y/releases.atom"'), false)).toBe('no_release');
    expect(classifyUpdateError(new Error('sha512 checksum mismatch'), true)).toBe('download_failed');
    expect(classifyUpdateError(new Error('something else'), false)).toBe('unknown');
  });

  it('a restart asked for before any download is refused', async () => {
    const { flow } = setup();
    expect(await flow.restart()).toBe('not-ready');
  });
});
