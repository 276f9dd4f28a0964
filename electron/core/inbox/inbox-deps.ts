import type { Archive, MediaStore } from '../archive';
import type { GraphClient } from '../cloud/graph-client';
import type { Outbox } from '../cloud/outbox';
import type { Logger } from '../logger';
import type { ClockPort, DialogsPort, EventSinkPort } from '../ports';
import type { InboxNotifier } from './inbox-notifier';

/** What the inbox's handlers are built from (create-core wires them). */
export interface InboxDeps {
  /** The open, unlocked workspace's archive (throws `locked` / `no_workspace_open`). */
  archive: () => Archive;
  clock: Pick<ClockPort, 'now'>;
  logger: Logger;
  /** The open workspace's outbox and media store; null when nothing runs for it. */
  outbox: () => Outbox | null;
  media: () => MediaStore | null;
  /** Whether a number is connected (sending needs one). */
  connected: () => boolean;
  /** Meta's Graph API for the connected number (throws `not_connected`). */
  graph: () => Pick<GraphClient, 'markRead'>;
  dialogs: Pick<DialogsPort, 'chooseSaveFile'>;
  events: EventSinkPort;
  notifier: Pick<InboxNotifier, 'changed'>;
}
