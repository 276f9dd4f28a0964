/**
 * The main-process side of window.frontdesk: one `ipcMain.handle` per contract channel, each checking who
 * is asking and what they sent before anything reaches core; and the way back for core's events.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { channelNames, channels, events, fail, fieldIssues, isEventName } from '../../shared/ipc';
import type { ChannelName, EventName, Result } from '../../shared/ipc';
import { appOrigin, isOnOrigin } from './app-origin';
import { eventChannel } from './event-channel';

export type InvokeCore = (channel: ChannelName, payload: unknown) => Promise<Result<unknown>>;

type SenderEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;
type FrameLike = Pick<WebFrameMain, 'url' | 'parent' | 'frameTreeNodeId'> & Partial<Pick<WebFrameMain, 'isDestroyed'>>;

export interface RelayOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  invokeCore: InvokeCore;
  /** True for the webContents of a window Frontdesk created (not devtools, not anything else). */
  isOurContents(contents: WebContents): boolean;
  origin?: string;
}

/**
 * A request is ours only when it comes from the main frame of one of our windows, showing a page on the
 * app's origin: an iframe, a page that navigated away, or any other webContents is refused.
 */
export function isTrustedSender(event: SenderEvent, isOurContents: (contents: WebContents) => boolean, origin: string = appOrigin): boolean {
  try {
    const frame = event.senderFrame as FrameLike | null;
    if (!frame || frame.isDestroyed?.()) return false;
    if (!isOurContents(event.sender)) return false;
    if (frame.parent !== null) return false;
    const mainFrame = event.sender.mainFrame as FrameLike | null;
    if (!mainFrame || mainFrame.frameTreeNodeId !== frame.frameTreeNodeId) return false;
    return isOnOrigin(frame.url, origin);
  } catch {
    // A frame destroyed mid-request throws on access: nobody left to trust.
    return false;
  }
}

/** Checks, validates, forwards: the whole life of one request in main. */
export async function relayRequest(
  channel: ChannelName,
  event: SenderEvent,
  payload: unknown,
  options: Pick<RelayOptions, 'invokeCore' | 'isOurContents' | 'origin'>,
): Promise<Result<unknown>> {
  if (!isTrustedSender(event, options.isOurContents, options.origin)) {
    return fail('forbidden_sender', `The request to ${channel} did not come from Frontdesk's own page`);
  }
  const parsed = channels[channel].request.safeParse(payload);
  if (!parsed.success) {
    return fail('invalid_request', `The request to ${channel} is not valid`, fieldIssues(parsed.error.issues));
  }
  try {
    // The payload as sent: core validates it again with the same schema, so transforms run once, there.
    return await options.invokeCore(channel, payload);
  } catch {
    return fail('transport_unavailable', 'Frontdesk core is not answering; it may be restarting');
  }
}

/** Registers a handler for every channel in the contract; returns the function that removes them. */
export function registerIpcRelay(options: RelayOptions): () => void {
  for (const channel of channelNames) {
    options.ipcMain.handle(channel, (event, payload: unknown) => relayRequest(channel, event, payload, options));
  }
  return () => {
    for (const channel of channelNames) options.ipcMain.removeHandler(channel);
  };
}

type EventTarget = Pick<WebContents, 'send' | 'getURL' | 'isDestroyed'>;

/**
 * Core's events → our windows, and only those still showing the app's own page. Unknown names and payloads
 * that do not match the contract are dropped; returns whether the event was valid.
 */
export function createEventForwarder(targets: () => Iterable<EventTarget>, origin: string = appOrigin) {
  return (name: unknown, payload: unknown): boolean => {
    if (!isEventName(name)) return false;
    const parsed = events[name as EventName].safeParse(payload);
    if (!parsed.success) return false;
    for (const contents of targets()) {
      if (contents.isDestroyed() || !isOnOrigin(contents.getURL(), origin)) continue;
      contents.send(eventChannel, { name, payload: parsed.data });
    }
    return true;
  };
}
