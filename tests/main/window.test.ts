import { EventEmitter } from 'node:events';
import type { WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { createWindowRegistry, mainWindowOptions, openMainWindow } from '../../electron/main/window';

class FakeWindow extends EventEmitter {
  destroyed = false;
  webContents = { id: Math.random() } as unknown as WebContents;
  show = vi.fn();
  loadURL = vi.fn(async (_url: string) => undefined);
  constructor(readonly options: unknown) {
    super();
  }
  isDestroyed() {
    return this.destroyed;
  }
}

describe('the main window', () => {
  it('opens at 1280×800, no smaller than 960×600, hidden until painted, with the secure preferences', () => {
    const options = mainWindowOptions('/app/dist-electron/preload.cjs', false);
    expect(options).toMatchObject({ width: 1280, height: 800, minWidth: 960, minHeight: 600, show: false });
    expect(options.backgroundColor).toMatch(/^#[0-9a-f]{6}$/i);
    expect(mainWindowOptions('/p', true).backgroundColor).not.toBe(options.backgroundColor);
    expect(options.webPreferences).toMatchObject({ preload: '/app/dist-electron/preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false });
  });

  it('loads app://frontdesk/index.html and shows only once ready to show', () => {
    const registry = createWindowRegistry<FakeWindow>();
    const window = openMainWindow((options) => new FakeWindow(options), registry, mainWindowOptions('/p', false));
    expect(window.loadURL).toHaveBeenCalledExactlyOnceWith('app://frontdesk/index.html');
    expect(window.show).not.toHaveBeenCalled();
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalledOnce();
  });

  it('knows its own webContents, and forgets a window once closed', () => {
    const registry = createWindowRegistry<FakeWindow>();
    const window = registry.add(new FakeWindow({}));
    const stranger = { id: -1 };
    expect(registry.isOurContents(window.webContents)).toBe(true);
    expect(registry.isOurContents(stranger as never)).toBe(false);
    expect(registry.first()).toBe(window);
    window.destroyed = true;
    expect(registry.isOurContents(window.webContents)).toBe(false);
    window.emit('closed');
    expect(registry.all()).toEqual([]);
    expect(registry.first()).toBeNull();
  });
});
