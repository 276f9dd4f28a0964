/**
 * The tray (menu-bar) icon: the unread count on the icon, and a menu to open the window, lock, switch privacy
 * mode, install a downloaded update and quit. State in, Electron out: `createTrayController` takes the parts of
 * Electron it drives as parameters, so its behaviour is tested without Electron.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { UpdateState } from '../../shared/ipc';
import { shellText } from './shell-text';
import type { ShellLocale } from './shell-text';

export interface TrayView {
  unread: number;
  workspaceOpen: boolean;
  locked: boolean;
  privacyMode: boolean;
  update: UpdateState;
}

export const initialTrayView: TrayView = {
  unread: 0,
  workspaceOpen: false,
  locked: false,
  privacyMode: false,
  update: { status: 'disabled', reason: 'development' },
};

/** What the menu items do; main wires them to the window, core and the updater. */
export interface TrayActions {
  open(): void;
  lock(): void;
  togglePrivacyMode(): void;
  restartToUpdate(): void;
  quit(): void;
}

/** The count as the icons show it: 1–9, then "9+". */
export function countLabel(unread: number): string {
  return unread > 9 ? '9plus' : String(unread);
}

/**
 * The image file (in assets/tray, `@2x` beside it) for a count. macOS shows a monochrome template image and
 * the count as text beside it (`trayTitle`), as menu-bar apps do; Windows and Linux draw the count on the icon.
 */
export function trayIconName(platform: NodeJS.Platform, unread: number): string {
  if (platform === 'darwin') return 'tray-template';
  return unread > 0 ? `tray-${countLabel(unread)}` : 'tray';
}

/** The text beside the macOS menu-bar icon: the count, or nothing. */
export function trayTitle(platform: NodeJS.Platform, view: TrayView): string {
  return platform === 'darwin' && view.unread > 0 ? String(view.unread) : '';
}

export function trayTooltip(view: TrayView, locale: ShellLocale): string {
  const text = shellText(locale);
  if (view.locked) return text.tooltipLocked;
  return view.unread > 0 ? text.tooltipUnread(view.unread) : text.tooltipIdle;
}

export function trayMenuTemplate(view: TrayView, actions: TrayActions, locale: ShellLocale): MenuItemConstructorOptions[] {
  const text = shellText(locale);
  const items: MenuItemConstructorOptions[] = [
    { id: 'open', label: text.open, click: () => actions.open() },
    { type: 'separator' },
    { id: 'lock', label: text.lock, enabled: view.workspaceOpen && !view.locked, click: () => actions.lock() },
    { id: 'privacy', label: text.privacyMode, type: 'checkbox', checked: view.privacyMode, click: () => actions.togglePrivacyMode() },
  ];
  if (view.update.status === 'ready') {
    items.push(
      { type: 'separator' },
      {
        id: 'update',
        label: view.update.waitingForSends ? text.updateWaiting(view.update.version) : text.restartToUpdate(view.update.version),
        enabled: !view.update.waitingForSends,
        click: () => actions.restartToUpdate(),
      },
    );
  }
  items.push({ type: 'separator' }, { id: 'quit', label: text.quit, click: () => actions.quit() });
  return items;
}

/** The part of Electron's Tray used here. */
export interface TrayLike {
  setImage(image: string): void;
  setToolTip(text: string): void;
  setTitle(title: string): void;
  setContextMenu(menu: MenuItemConstructorOptions[]): void;
  onClick(listener: () => void): void;
  destroy(): void;
}

export interface TrayControllerOptions {
  platform: NodeJS.Platform;
  locale: ShellLocale;
  /** Creates the tray with the first image name. */
  createTray(image: string): TrayLike;
  actions: TrayActions;
}

export interface TrayController {
  update(change: Partial<TrayView>): void;
  view(): TrayView;
  destroy(): void;
}

export function createTrayController(options: TrayControllerOptions): TrayController {
  let view = initialTrayView;
  const firstImage = trayIconName(options.platform, 0);
  const tray = options.createTray(firstImage);
  // Windows and Linux open the window on a click on the icon; macOS shows the menu, as menu-bar apps do.
  if (options.platform !== 'darwin') tray.onClick(() => options.actions.open());
  let shown: { image: string; tooltip: string | null; title: string | null; menu: string | null } = { image: firstImage, tooltip: null, title: null, menu: null };

  const render = () => {
    const menu = trayMenuTemplate(view, options.actions, options.locale);
    const next = {
      image: trayIconName(options.platform, view.unread),
      tooltip: trayTooltip(view, options.locale),
      title: trayTitle(options.platform, view),
      // Labels, ticks and enabled states: the click handlers are the same functions every time.
      menu: JSON.stringify(menu),
    };
    // Only what changed: rebuilding a native menu on every unread event makes it flicker while open.
    if (next.image !== shown.image) tray.setImage(next.image);
    if (next.tooltip !== shown.tooltip) tray.setToolTip(next.tooltip);
    if (next.title !== shown.title) tray.setTitle(next.title);
    if (next.menu !== shown.menu) tray.setContextMenu(menu);
    shown = next;
  };
  render();

  return {
    update(change) {
      view = { ...view, ...change };
      render();
    },
    view: () => view,
    destroy: () => tray.destroy(),
  };
}
