/**
 * The few sentences main shows itself (tray menu, close-to-tray note, update dialog), in the app's two
 * languages. The page's own text lives in the renderer's i18n; main follows the system language.
 */
export type ShellLocale = 'en' | 'zh-CN';

export function shellLocale(systemLocale: string): ShellLocale {
  return systemLocale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export interface ShellText {
  open: string;
  lock: string;
  privacyMode: string;
  quit: string;
  restartToUpdate(version: string): string;
  updateWaiting(version: string): string;
  tooltipIdle: string;
  tooltipLocked: string;
  tooltipUnread(count: number): string;
  badgeUnread(count: number): string;
  stillRunningTitle: string;
  stillRunningDetail: string;
  ok: string;
  updateReadyTitle: string;
  updateReadyBody(version: string): string;
}

const text: Record<ShellLocale, ShellText> = {
  en: {
    open: 'Open Frontdesk',
    lock: 'Lock',
    privacyMode: 'Privacy mode',
    quit: 'Quit Frontdesk',
    restartToUpdate: (version: string) => `Restart to update to ${version}`,
    updateWaiting: (version: string) => `Update ${version} waits until messages are sent`,
    tooltipIdle: 'Frontdesk',
    tooltipLocked: 'Frontdesk — locked',
    tooltipUnread: (count: number) => `Frontdesk — ${count} unread`,
    badgeUnread: (count: number) => `${count} unread`,
    stillRunningTitle: 'Frontdesk is still running',
    stillRunningDetail:
      'Closing the window keeps Frontdesk in the tray, so messages keep arriving and automatic replies keep going. To stop it, choose Quit Frontdesk in the tray menu.',
    ok: 'OK',
    updateReadyTitle: 'An update is ready',
    updateReadyBody: (version: string) => `Frontdesk ${version} has been downloaded. Restart Frontdesk to install it.`,
  },
  'zh-CN': {
    open: '打开 Frontdesk',
    lock: '锁定',
    privacyMode: '隐私模式',
    quit: '退出 Frontdesk',
    restartToUpdate: (version: string) => `重启以更新到 ${version}`,
    updateWaiting: (version: string) => `更新 ${version} 将在消息发送完后安装`,
    tooltipIdle: 'Frontdesk',
    tooltipLocked: 'Frontdesk — 已锁定',
    tooltipUnread: (count: number) => `Frontdesk — ${count} 条未读`,
    badgeUnread: (count: number) => `${count} 条未读`,
    stillRunningTitle: 'Frontdesk 仍在运行',
    stillRunningDetail: '关闭窗口后 Frontdesk 仍在托盘中运行，继续接收消息和发送自动回复。要停止它，请在托盘菜单中选择“退出 Frontdesk”。',
    ok: '好',
    updateReadyTitle: '更新已就绪',
    updateReadyBody: (version: string) => `Frontdesk ${version} 已下载。重启 Frontdesk 即可安装。`,
  },
};

export function shellText(locale: ShellLocale): ShellText {
  return text[locale];
}
