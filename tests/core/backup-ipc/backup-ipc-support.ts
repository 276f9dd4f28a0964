/**
 * The backup channels on a real core: plain-Node ports (preset dialogs, file keychain, conf settings), a
 * virtual clock, cheap Argon2id, real encrypted archives and media files in a temp folder, business workspaces
 * set up through the same channels the wizard uses.
 */
import { randomBytes } from 'node:crypto';
import { onTestFinished, expect } from 'vitest';
import type { IpcError } from '../../../shared/ipc';
import type { Archive } from '../../../electron/core/archive';
import { createVirtualClock } from '../../../electron/core/clock';
import type { VirtualClock } from '../../../electron/core/clock';
import { createCore } from '../../../electron/core/create-core';
import type { CloudFolder } from '../../../electron/core/backup';
import { createMemoryLogger, createNodePorts } from '../../../electron/core/node-ports';
import { call, fastArgon2, tempDir } from '../helpers';

export { call, tempDir };
export const passphrase = 'correct horse battery staple';

export interface BackupCoreOptions {
  dataDir?: string;
  start?: number;
  cloudFolders?: CloudFolder[];
  startDelayMs?: number;
}

export function startBackupCore(options: BackupCoreOptions = {}) {
  const clock: VirtualClock = createVirtualClock(options.start ?? Date.UTC(2026, 0, 5, 9, 0, 0));
  const logger = createMemoryLogger();
  const dataDir = options.dataDir ?? tempDir('frontdesk-backup-ipc-');
  const ports = createNodePorts({ dataDir, transport: 'preview', appVersion: '9.9.9-test', clock, logger });
  const core = createCore(ports, {
    argon2: fastArgon2,
    idleClock: createVirtualClock(),
    demoCustomerIntervalMs: 0,
    backup: { timeZone: 'UTC', cloudFolders: () => options.cloudFolders ?? [], startDelayMs: options.startDelayMs ?? 30_000 },
  });
  onTestFinished(() => core.close());
  const events: Array<{ event: string; payload: Record<string, unknown> }> = [];
  ports.events.subscribe((event, payload) => events.push({ event, payload: payload as Record<string, unknown> }));
  const archive = (): Archive => core.services.workspaces.current()!.archive;
  const of = (name: string) => events.filter((e) => e.event === name).map((e) => e.payload);
  return { core, ports, clock, logger, dataDir, events, of, archive };
}

export type BackupCore = ReturnType<typeof startBackupCore>;

/** Sets up and opens a business workspace through the wizard's channels; returns its id and recovery key. */
export async function createBusiness(bc: BackupCore, name = 'Harbour Dental 港湾牙科'): Promise<{ id: string; recoveryKey: string }> {
  const draft = await call<{ draftId: string; recoveryKey: string; confirmGroups: [number, number] }>(bc.core, 'workspace:prepare', { name, passphrase, keychainUnlock: false });
  const groups = draft.recoveryKey.split(' ');
  const state = await call<{ open: { id: string } }>(bc.core, 'workspace:create', {
    draftId: draft.draftId,
    confirmations: [groups[draft.confirmGroups[0] - 1], groups[draft.confirmGroups[1] - 1]],
  });
  return { id: state.open.id, recoveryKey: draft.recoveryKey };
}

/** A customer, a conversation and messages with `word` in them, and a photo stored encrypted beside the archive. */
export async function writeMessages(bc: BackupCore, word: string, options: { count?: number; mediaBytes?: number } = {}) {
  const archive = bc.archive();
  const contact = archive.contacts.upsertByIdentity({ waId: '447700900123', phone: '447700900123', profileName: 'Oliver Bennett' });
  const conversationId = archive.conversations.getOrCreateForContact(contact.id).conversation.id;
  for (let i = 0; i < (options.count ?? 5); i++) {
    archive.messages.insert({ conversationId, wamid: `wamid.${word}.${i}`, direction: 'in', type: 'text', text: `Please keep the ${word} appointment ${i}`, timestamp: bc.clock.now() - 60_000 + i });
  }
  const media = bc.core.services.cloud()!.media;
  const stored = await media.put(randomBytes(options.mediaBytes ?? 200_000));
  const row = archive.media.create({ state: 'stored', contentHash: stored.hash, size: stored.size, mime: 'image/jpeg' });
  archive.messages.insert({ conversationId, wamid: `wamid.${word}.photo`, direction: 'in', type: 'image', caption: `Photo ${word}`, mediaId: row.id, timestamp: bc.clock.now() });
  return { conversationId, contactId: contact.id };
}

/** Invokes a channel that must fail; returns its error. */
export async function fails(bc: BackupCore, channel: string, payload?: unknown): Promise<IpcError> {
  const result = (await bc.core.invoke(channel, payload)) as { ok: boolean; error?: IpcError };
  expect(result.ok, `${channel} should have failed`).toBe(false);
  return result.error!;
}

export const reasonOf = (error: IpcError) => error.fields?.find((f) => f.path === 'backup')?.message ?? null;

/** Polls until `check` holds (file I/O and workers run in real time even when core's clock is virtual). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('Timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The open archive's audit actions, newest first. */
export function auditActions(bc: BackupCore): Array<{ action: string; subject: string | null; details: Record<string, unknown> }> {
  return bc.archive().audit.page({ limit: 200 });
}
