import { join } from 'node:path';
import type { Transport } from '../../../shared/ipc';
import { createWallClock } from '../clock';
import type { ClockPort, CorePorts, LoggerPort } from '../ports';
import { createPresetDialogs } from './dialogs';
import type { PresetDialogs } from './dialogs';
import { createEventHub } from './events';
import type { EventHub } from './events';
import { createFileKeychain } from './keychain';
import { createStreamLogger } from './logger';
import { createConfSettings } from './settings';
import { createManualSystem } from './system';
import { createHeadlessDesktop } from './desktop';
import type { HeadlessDesktop } from './desktop';
import type { ManualSystem } from './system';
import { createRecordingPrinter } from './printer';
import type { RecordingPrinter } from './printer';

export interface NodePorts extends CorePorts {
  events: EventHub;
  dialogs: PresetDialogs;
  print: RecordingPrinter;
  system: ManualSystem;
  desktop: HeadlessDesktop;
}

export interface NodePortOptions {
  dataDir: string;
  transport: Transport;
  appVersion: string;
  clock?: ClockPort;
  logger?: LoggerPort;
}

/** Every port in plain Node: for tests and the preview host. */
export function createNodePorts(options: NodePortOptions): NodePorts {
  return {
    keychain: createFileKeychain(join(options.dataDir, 'dev-keychain.key')),
    settings: createConfSettings(options.dataDir),
    clock: options.clock ?? createWallClock(),
    logger: options.logger ?? createStreamLogger(),
    paths: { dataDir: options.dataDir },
    events: createEventHub(),
    dialogs: createPresetDialogs(),
    print: createRecordingPrinter(),
    system: createManualSystem(),
    desktop: createHeadlessDesktop(),
    host: { appVersion: options.appVersion, platform: process.platform, transport: options.transport },
  };
}

export { createEventHub, createFileKeychain, createConfSettings, createPresetDialogs, createStreamLogger };
export { createMemoryLogger } from './logger';
export type { EventHub, EventListener } from './events';
export type { PresetDialogs, DialogKind } from './dialogs';
export type { MemoryLogger } from './logger';
export type { ManualSystem } from './system';
export { createManualSystem } from './system';
export { createHeadlessDesktop } from './desktop';
export type { HeadlessDesktop } from './desktop';
export { createRecordingPrinter } from './printer';
export type { PrintRecord, RecordingPrinter } from './printer';
