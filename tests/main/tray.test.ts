import { describe, expect, it, vi } from 'vitest';
import { countLabel, createTrayController, initialTrayView, trayIconName, trayMenuTemplate, trayTitle } from '../../electron/main/tray';
import type { TrayActions, TrayLike } from '../../electron/main/tray';

function recordingTray() {
  const calls: Array<[string, unknown]> = [];
  let click: (() => void) | null = null;
  const tray: TrayLike = {
    setImage: (image) => void calls.push(['image', image]),
    setToolTip: (text) => void calls.push(['tooltip', text]),
    setTitle: (title) => void calls.push(['title', title]),
    setContextMenu: (menu) => void calls.push(['menu', menu]),
    onClick: (listener) => void (click = listener),
    destroy: () => void calls.push(['destroy', null]),
  };
  return { tray, calls, click: () => click?.() };
}

function actions() {
  return {
    open: vi.fn<() => void>(),
    lock: vi.fn<() => void>(),
    togglePrivacyMode: vi.fn<() => void>(),
    restartToUpdate: vi.fn<() => void>(),
    quit: vi.fn<() => void>(),
  } satisfies TrayActions;
}

describe('the tray', () => {
  it('draws the count on the icon on Windows and Linux, 1 to 9 then "9+", and beside the template icon on macOS', () => {
    expect([0, 1, 9, 10, 250].map((n) => trayIconName('win32', n))).toEqual(['tray', 'tray-1', 'tray-9', 'tray-9plus', 'tray-9plus']);
    expect(trayIconName('linux', 3)).toBe('tray-3');
    expect(trayIconName('darwin', 3)).toBe('tray-template');
    expect(trayTitle('darwin', { ...initialTrayView, unread: 12 })).toBe('12');
    expect(trayTitle('darwin', { ...initialTrayView, unread: 0 })).toBe('');
    expect(trayTitle('win32', { ...initialTrayView, unread: 12 })).toBe('');
    expect(countLabel(10)).toBe('9plus');
  });

  it('offers Lock only while a workspace is open and unlocked, ticks privacy mode, and runs each action', () => {
    const act = actions();
    const menu = (view: Partial<typeof initialTrayView>) => trayMenuTemplate({ ...initialTrayView, ...view }, act, 'en');
    const item = (view: Partial<typeof initialTrayView>, id: string) => menu(view).find((entry) => entry.id === id)!;

    expect(menu({}).filter((entry) => entry.id).map((entry) => entry.label)).toEqual(['Open Frontdesk', 'Lock', 'Privacy mode', 'Quit Frontdesk']);
    expect(item({}, 'lock').enabled).toBe(false);
    expect(item({ workspaceOpen: true, locked: true }, 'lock').enabled).toBe(false);
    expect(item({ workspaceOpen: true, locked: false }, 'lock').enabled).toBe(true);
    expect(item({ privacyMode: true }, 'privacy')).toMatchObject({ type: 'checkbox', checked: true });

    for (const id of ['open', 'lock', 'privacy', 'quit']) (item({ workspaceOpen: true }, id).click as () => void)();
    expect(act.open).toHaveBeenCalledOnce();
    expect(act.lock).toHaveBeenCalledOnce();
    expect(act.togglePrivacyMode).toHaveBeenCalledOnce();
    expect(act.quit).toHaveBeenCalledOnce();
  });

  it('offers "Restart to update" once an update is downloaded, greyed out while a message is being sent', () => {
    const act = actions();
    const update = (waitingForSends: boolean) =>
      trayMenuTemplate({ ...initialTrayView, update: { status: 'ready', version: '1.4.0', waitingForSends } }, act, 'en').find((entry) => entry.id === 'update')!;
    expect(trayMenuTemplate({ ...initialTrayView, update: { status: 'downloading', version: '1.4.0', percent: 40 } }, act, 'en').some((e) => e.id === 'update')).toBe(false);
    expect(update(false)).toMatchObject({ label: 'Restart to update to 1.4.0', enabled: true });
    expect(update(true)).toMatchObject({ label: 'Update 1.4.0 waits until messages are sent', enabled: false });
    (update(false).click as () => void)();
    expect(act.restartToUpdate).toHaveBeenCalledOnce();
  });

  it('speaks Chinese where the system does', () => {
    const labels = trayMenuTemplate(initialTrayView, actions(), 'zh-CN').filter((entry) => entry.id).map((entry) => entry.label);
    expect(labels).toEqual(['打开 Frontdesk', '锁定', '隐私模式', '退出 Frontdesk']);
  });

  it('follows the unread count and the lock, touching the native tray only for what changed', () => {
    const { tray, calls, click } = recordingTray();
    const act = actions();
    const controller = createTrayController({ platform: 'win32', locale: 'en', createTray: () => tray, actions: act });
    calls.length = 0;

    controller.update({ unread: 3 });
    expect(calls).toEqual([
      ['image', 'tray-3'],
      ['tooltip', 'Frontdesk — 3 unread'],
    ]);
    calls.length = 0;
    controller.update({ unread: 3 });
    expect(calls).toEqual([]);

    controller.update({ workspaceOpen: true });
    expect(calls.map(([kind]) => kind)).toEqual(['menu']);
    calls.length = 0;
    controller.update({ locked: true });
    expect(calls.map(([kind]) => kind)).toEqual(['tooltip', 'menu']);
    expect(calls[0]).toEqual(['tooltip', 'Frontdesk — locked']);

    click();
    expect(act.open).toHaveBeenCalledOnce();
  });

  it('on macOS a click shows the menu (no window), and the count sits beside the icon', () => {
    const { tray, calls, click } = recordingTray();
    const act = actions();
    const controller = createTrayController({ platform: 'darwin', locale: 'en', createTray: () => tray, actions: act });
    controller.update({ unread: 12 });
    expect(calls).toContainEqual(['title', '12']);
    expect(calls.filter(([kind]) => kind === 'image')).toEqual([]);
    click();
    expect(act.open).not.toHaveBeenCalled();
  });
});
