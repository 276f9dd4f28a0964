import type { Archive, MediaStore } from './archive';
import type { CloudRuntime } from './cloud/cloud-runtime';
import type { ConnectionService } from './cloud/connection';
import type { Outbox } from './cloud/outbox';
import type { Logger } from './logger';
import type { ClockPort, CorePorts, EventSinkPort } from './ports';

/** What a feature's IPC handlers may use (quick replies, labels, templates): core's services for the open workspace. */
export interface FeatureDeps {
  /** The open, unlocked workspace's archive (throws `locked` / `no_workspace_open` otherwise). */
  archive: () => Archive;
  clock: ClockPort;
  /** Events to the window (the inbox list's notifier sees them too). */
  events: EventSinkPort;
  logger: Logger;
  /** The open workspace's outbox, media store and runtime; null when none runs. */
  outbox: () => Outbox | null;
  media: () => MediaStore | null;
  runtime: () => CloudRuntime | null;
  /** The number's connection: its settings and a Graph client (the sandbox in the demo and tests). */
  connection: ConnectionService;
  dialogs: CorePorts['dialogs'];
  /** `{{business}}`: the number's verified name, else the workspace's name. */
  businessName: () => string;
}
