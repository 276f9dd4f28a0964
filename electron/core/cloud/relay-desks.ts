/**
 * Joining a relay (issue 10; PRODUCT §1; DESIGN: several desks):
 *
 * - Pairing: the first desk of a workspace enters the relay's URL and the operator's one-time pairing code; it
 *   registers the workspace's public key and receives its own token (the relay keeps only a hash).
 * - Linking: another desk asks the relay for a link (it shows an 8-digit code), an already paired desk enters
 *   that code, sees the new desk's name and approves: it seals the workspace's keys and connection to the new
 *   desk's own key pair, so the relay passes along a box it cannot open. The new desk then chooses its own
 *   passphrase and gets its own recovery key, like any workspace.
 */
import { hostname } from 'node:os';
import { z } from 'zod';
import type { Archive } from '../archive';
import { AppError } from '../errors';
import type { Sodium } from '../vault/sodium';
import { readSecret } from '../vault/secrets';
import type { ConnectionService } from './connection';
import { createRelayClient, relayBase } from './relay-client';
import { clearRelayState, readRelayState, relayToken, writeRelayState } from './relay-state';
import type { RelayState } from './relay-state';

/** What a desk is called on the relay and on the other desks until someone names it. */
export function defaultDeskName(): string {
  return hostname().slice(0, 80) || 'Desk';
}

export async function pairWithRelay(
  archive: Archive,
  input: { url: string; code: string; deskName: string; publicKey: Uint8Array; now: number },
): Promise<RelayState> {
  const paired = await createRelayClient({ baseUrl: input.url }).pair({ code: input.code, publicKey: input.publicKey, deskName: input.deskName });
  const state: RelayState = {
    url: relayBase(input.url),
    workspaceId: paired.workspaceId,
    deskId: paired.deskId,
    deskName: input.deskName,
    primary: paired.primary,
    cursor: 0,
    pairedAt: input.now,
  };
  writeRelayState(archive, state, paired.token);
  archive.audit.append('relay.paired', null, { primary: paired.primary });
  return state;
}

/** The paired relay's client for this archive, or `not_connected`. */
function pairedClient(archive: Archive) {
  const state = readRelayState(archive);
  if (!state) throw new AppError('not_connected', 'This desk is not paired with a relay');
  return { state, client: createRelayClient({ baseUrl: state.url, token: () => relayToken(archive) }) };
}

// ---- The bundle a linked desk receives, sealed to its own key pair ----

const linkBundleSchema = z.object({
  v: z.literal(1),
  master: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  workspaceName: z.string().max(100),
  connection: z.object({ phoneNumberId: z.string(), wabaId: z.string(), appId: z.string(), graphVersion: z.string() }),
  secrets: z.object({ accessToken: z.string().nullable(), appSecret: z.string().nullable() }),
});
export type LinkBundle = z.infer<typeof linkBundleSchema>;

/** An existing desk: who is waiting with this code. */
export async function lookupLink(archive: Archive, code: string): Promise<{ deskName: string }> {
  const { client } = pairedClient(archive);
  const pending = await client.lookupLink(code);
  return { deskName: pending.deskName };
}

/** An existing desk approves: the workspace's keys and connection go to the new desk, sealed to its key. */
export async function approveLink(
  archive: Archive,
  input: { code: string; master: Uint8Array; workspaceName: string; connection: ConnectionService; sodium: Sodium },
): Promise<{ deskName: string }> {
  const { client } = pairedClient(archive);
  const pending = await client.lookupLink(input.code);
  const view = input.connection.view();
  const bundle: LinkBundle = {
    v: 1,
    master: Buffer.from(input.master).toString('base64url'),
    workspaceName: input.workspaceName,
    connection: { phoneNumberId: view.phoneNumberId, wabaId: view.wabaId, appId: view.appId, graphVersion: view.graphVersion },
    secrets: { accessToken: readSecret(archive, 'accessToken'), appSecret: readSecret(archive, 'appSecret') },
  };
  const plain = new TextEncoder().encode(JSON.stringify(bundle));
  const sealed = input.sodium.crypto_box_seal(plain, Buffer.from(pending.publicKey, 'base64url'));
  plain.fill(0);
  await client.approveLink(input.code, sealed);
  archive.audit.append('relay.desk_linked', null, {});
  return { deskName: pending.deskName };
}

export async function relayDesks(archive: Archive) {
  const { client } = pairedClient(archive);
  return client.status();
}

export async function becomePrimary(archive: Archive) {
  const { client } = pairedClient(archive);
  const status = await client.becomePrimary();
  archive.audit.append('relay.primary', null, {});
  return status;
}

/** Unpairs a desk of this workspace; unpairing this desk itself forgets the relay here too. */
export async function unpairDesk(archive: Archive, deskId: string): Promise<{ self: boolean }> {
  const { state, client } = pairedClient(archive);
  await client.unpair(deskId);
  const self = deskId === state.deskId;
  if (self) clearRelayState(archive);
  archive.audit.append('relay.unpaired', null, { self });
  return { self };
}

// ---- The new desk's side of linking (no workspace open yet) ----

export interface ApprovedLink {
  bundle: LinkBundle;
  master: Uint8Array;
  relay: Omit<RelayState, 'cursor' | 'pairedAt' | 'primary'> & { token: string };
}

export interface LinkSession {
  readonly code: string;
  readonly expiresAt: number;
  /** Waits up to `waitMs` for the approval; null while still pending. */
  wait(waitMs: number): Promise<ApprovedLink | null>;
  cancel(): void;
}

export async function requestLink(input: { url: string; deskName: string; sodium: Sodium }): Promise<LinkSession> {
  const { sodium } = input;
  const keys = sodium.crypto_box_keypair();
  const client = createRelayClient({ baseUrl: input.url });
  const created = await client.createLink({ publicKey: keys.publicKey, deskName: input.deskName });
  const abort = new AbortController();
  let approved: ApprovedLink | null = null;
  return {
    code: created.code,
    expiresAt: created.expiresAt,
    async wait(waitMs) {
      if (approved) return approved;
      const answer = await client.collectLink(created.linkId, created.secret, waitMs, abort.signal);
      if (answer.status === 'pending') return null;
      let plain: Uint8Array;
      try {
        plain = sodium.crypto_box_seal_open(Buffer.from(answer.sealedKeys, 'base64url'), keys.publicKey, keys.privateKey);
      } catch {
        throw new AppError('relay_rejected', 'The approving desk’s keys could not be opened here');
      }
      const parsed = linkBundleSchema.safeParse(JSON.parse(new TextDecoder().decode(plain)));
      plain.fill(0);
      keys.privateKey.fill(0);
      if (!parsed.success) throw new AppError('relay_rejected', 'The approving desk sent keys this version does not understand');
      approved = {
        bundle: parsed.data,
        master: Buffer.from(parsed.data.master, 'base64url'),
        relay: { url: relayBase(input.url), workspaceId: answer.workspaceId, deskId: answer.deskId, deskName: input.deskName, token: answer.token },
      };
      return approved;
    },
    cancel() {
      abort.abort();
      keys.privateKey.fill(0);
    },
  };
}

/** Writes what a linked desk received into its new archive: the connection, its secrets, and its relay standing. */
export function applyApprovedLink(archive: Archive, link: ApprovedLink, connection: ConnectionService, now: number): void {
  const { bundle } = link;
  connection.save({
    ...bundle.connection,
    webhookMode: 'relay',
    directPort: null,
    relayUrl: link.relay.url,
    ...(bundle.secrets.accessToken ? { accessToken: bundle.secrets.accessToken } : {}),
    ...(bundle.secrets.appSecret ? { appSecret: bundle.secrets.appSecret } : {}),
  });
  const { token, ...relay } = link.relay;
  writeRelayState(archive, { ...relay, primary: false, cursor: 0, pairedAt: now }, token);
  archive.audit.append('relay.linked', null, {});
}
