/**
 * This desk's standing with the relay (issue 10), kept in the encrypted archive: which relay workspace and
 * desk it is, whether it is the primary desk (the one that sends automatic replies), and its cursor — the
 * last event committed to this archive. The token is a secret beside it (vault/secrets).
 */
import { z } from 'zod';
import type { Archive } from '../archive';
import { readSecret, writeSecrets } from '../vault/secrets';

const settingKey = 'relay.desk';

const relayStateSchema = z.object({
  url: z.string(),
  workspaceId: z.string(),
  deskId: z.string(),
  deskName: z.string(),
  primary: z.boolean(),
  /** Every event up to this seq is committed to this archive (and may be acknowledged). */
  cursor: z.number().int().nonnegative(),
  pairedAt: z.number(),
});
export type RelayState = z.infer<typeof relayStateSchema>;

export function readRelayState(archive: Archive): RelayState | null {
  const parsed = relayStateSchema.safeParse(archive.settings.get(settingKey));
  return parsed.success ? parsed.data : null;
}

export function relayToken(archive: Archive): string | null {
  return readSecret(archive, 'relayToken');
}

/** Records a pairing or a link (a new desk starts at cursor 0: everything the relay still holds is new to it). */
export function writeRelayState(archive: Archive, state: RelayState, token: string): void {
  archive.transaction(() => {
    archive.settings.set(settingKey, state);
    writeSecrets(archive, { relayToken: token });
  });
}

/** Moves the cursor; call inside the transaction that committed those events. */
export function advanceRelayCursor(archive: Archive, cursor: number): void {
  const state = readRelayState(archive);
  if (state && cursor > state.cursor) archive.settings.set(settingKey, { ...state, cursor });
}

export function setRelayPrimary(archive: Archive, primary: boolean): void {
  const state = readRelayState(archive);
  if (state && state.primary !== primary) archive.settings.set(settingKey, { ...state, primary });
}

export function clearRelayState(archive: Archive): void {
  archive.transaction(() => {
    archive.settings.delete(settingKey);
    writeSecrets(archive, { relayToken: '' });
  });
}

/**
 * Whether this desk sends automatic replies: a desk that takes webhooks directly (or the demo) always does;
 * behind a relay, only the desk the relay marks primary, so a customer never gets two greetings.
 */
export function isPrimaryDesk(archive: Archive): boolean {
  return readRelayState(archive)?.primary ?? true;
}

const unsharedKey = 'relay.unshared';
/** More than this many copies waiting means the relay has been away for long; the oldest are dropped. */
const maxUnshared = 10_000;

/**
 * Messages this desk sent whose copy the other desks have not received yet (the relay was unreachable, or the
 * app closed first): kept in the archive, so they are shared once the relay answers again, oldest first.
 */
export function readUnshared(archive: Archive): number[] {
  const value = archive.settings.get(unsharedKey);
  return Array.isArray(value) ? value.filter((id): id is number => Number.isInteger(id)) : [];
}

export function addUnshared(archive: Archive, messageId: number): void {
  const ids = readUnshared(archive);
  if (ids.includes(messageId)) return;
  ids.push(messageId);
  archive.settings.set(unsharedKey, ids.slice(-maxUnshared));
}

export function removeUnshared(archive: Archive, messageId: number): void {
  archive.settings.set(
    unsharedKey,
    readUnshared(archive).filter((id) => id !== messageId),
  );
}
