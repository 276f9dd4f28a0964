import { z } from 'zod';
import { channel, channelNone } from './channel';

/**
 * Desktop integration (issue: packaging): launch at login, self-update, privacy mode in the tray menu, and the
 * diagnostics file. Main owns the state (it alone can talk to the OS and to electron-updater); core forwards the
 * renderer's requests through its desktop port, and main pushes changes as the `desktop:state` event.
 */

export const updateStateSchema = z.discriminatedUnion('status', [
  /** Off: a development build (`npm start`), the preview host, or a package format that cannot update itself. */
  z.object({ status: z.literal('disabled'), reason: z.enum(['development', 'unsupported']) }),
  z.object({ status: z.literal('idle'), checkedAt: z.number().nullable() }),
  z.object({ status: z.literal('checking') }),
  z.object({ status: z.literal('downloading'), version: z.string(), percent: z.number().min(0).max(100) }),
  /** Downloaded; `waitingForSends` while a message is on its way to Meta (a restart then could leave it not confirmed). */
  z.object({ status: z.literal('ready'), version: z.string(), waitingForSends: z.boolean() }),
  /** The last check or download failed; the next daily check tries again. */
  z.object({ status: z.literal('error'), code: z.enum(['offline', 'no_release', 'download_failed', 'unknown']), at: z.number() }),
]);
export type UpdateState = z.infer<typeof updateStateSchema>;

export const desktopStateSchema = z.object({
  launchAtLogin: z.object({ supported: z.boolean(), enabled: z.boolean() }),
  update: updateStateSchema,
});
export type DesktopState = z.infer<typeof desktopStateSchema>;

export interface DiagnosticsExport {
  /** The file name written (for the toast); null when the save dialog was cancelled. */
  fileName: string | null;
}

export const desktopChannels = {
  /** Always: the unlock screen's menu offers diagnostics and updates too. */
  'desktop:state': channel<DesktopState>()(channelNone, 'always'),
  'desktop:set-launch-at-login': channel<DesktopState>()(z.object({ enabled: z.boolean() }).strict(), 'always'),
  'desktop:check-for-updates': channel<DesktopState>()(channelNone, 'always'),
  /** Refused with `update_waiting_for_sends` while a message is being sent, `update_not_ready` before a download. */
  'desktop:restart-to-update': channel<void>()(channelNone, 'always'),
  /** The renderer tells main privacy mode changed, so the tray menu's tick matches. */
  'desktop:privacy-mode': channel<void>()(z.object({ enabled: z.boolean() }).strict(), 'always'),
  /** Saves a zip with no customer data (version, platform, settings without secrets, health, recent logs). */
  'desktop:export-diagnostics': channel<DiagnosticsExport>()(channelNone, 'always'),
} as const;

export const desktopEvents = {
  'desktop:state': desktopStateSchema,
  /** The tray menu asked the window to do something only the page can do. */
  'desktop:command': z.object({ command: z.enum(['toggle-privacy-mode']) }),
} as const;
