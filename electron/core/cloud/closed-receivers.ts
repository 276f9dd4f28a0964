/**
 * The direct receivers of workspaces whose archive is closed (DESIGN: Lock, "Closed"): the app just started
 * and nobody unlocked yet, or another workspace is open in this window. Meta keeps delivering; each such
 * workspace's receiver keeps its port, checks signatures with the keychain-held app secret when there is
 * one, and appends every body sealed to the workspace's public key into its spool. Opening the workspace
 * stops its closed receiver (in-flight requests are answered and written first) and drains the spool.
 */
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../logger';
import type { ClockPort, KeychainPort, LoggerPort } from '../ports';
import { loadSodium } from '../vault/sodium';
import type { VaultFile } from '../vault/vault-file';
import { webhookCallbackPath } from './connection';
import { startWebhookReceiver } from './receiver';
import type { WebhookReceiver } from './receiver';
import { openSpoolSink } from './spool';
import type { SpoolSink } from './spool';

const keychainSecretsSchema = z.object({ appSecret: z.string().nullable(), verifyToken: z.string().nullable() }).strict();
type KeychainSecrets = z.infer<typeof keychainSecretsSchema>;

/** The spool of a workspace folder. */
export const spoolPathOf = (workspaceDir: string) => join(workspaceDir, 'webhooks.spool');

/**
 * What to record in the vault for the closed state, from the open workspace's connection: nothing unless it
 * takes webhooks directly on a fixed port; the secrets only when a real keychain can wrap them.
 */
export async function closedReceiverSection(
  keychain: KeychainPort,
  connection: { webhookMode: 'direct' | 'relay'; directPort: number | null; appSecret: string | null; verifyToken: string | null },
): Promise<VaultFile['closedReceiver'] | null> {
  if (connection.webhookMode !== 'direct' || !connection.directPort) return null;
  if (!(await keychain.isAvailable())) return { port: connection.directPort };
  const sodium = await loadSodium();
  const plain = new TextEncoder().encode(JSON.stringify({ appSecret: connection.appSecret, verifyToken: connection.verifyToken } satisfies KeychainSecrets));
  return { port: connection.directPort, keychainSecrets: { wrapped: sodium.to_base64(await keychain.wrap(plain)) } };
}

async function unwrapSecrets(keychain: KeychainPort, section: NonNullable<VaultFile['closedReceiver']>): Promise<KeychainSecrets | null> {
  if (!section.keychainSecrets || !(await keychain.isAvailable())) return null;
  try {
    const sodium = await loadSodium();
    const plain = await keychain.unwrap(sodium.from_base64(section.keychainSecrets.wrapped));
    return keychainSecretsSchema.parse(JSON.parse(new TextDecoder().decode(plain)));
  } catch {
    // Another computer's or user's keychain: spool unverified; the signatures are checked at unlock.
    return null;
  }
}

interface Running {
  receiver: WebhookReceiver;
  spool: SpoolSink;
}

export function createClosedReceivers(options: { keychain: KeychainPort; clock: Pick<ClockPort, 'now'>; loggerPort: LoggerPort; logger: Logger; host?: string }) {
  const running = new Map<string, Running>();
  const starting = new Map<string, Promise<void>>();

  async function startOne(vault: VaultFile, workspaceDir: string): Promise<void> {
    const section = vault.closedReceiver;
    if (vault.kind !== 'business' || !section || running.has(vault.id)) return;
    const secrets = await unwrapSecrets(options.keychain, section);
    const sodium = await loadSodium();
    const spool = await openSpoolSink({ path: spoolPathOf(workspaceDir), publicKey: sodium.from_base64(vault.publicKey) });
    try {
      const receiver = await startWebhookReceiver({
        ...(options.host ? { host: options.host } : {}),
        port: section.port,
        path: webhookCallbackPath,
        verifyToken: () => secrets?.verifyToken ?? null,
        appSecret: () => secrets?.appSecret ?? null,
        sink: spool,
        clock: options.clock,
        logger: options.loggerPort,
      });
      running.set(vault.id, { receiver, spool });
      options.logger.info('Closed-state webhook receiver listening', { port: receiver.port, verified: secrets?.appSecret ? true : false });
    } catch (error) {
      await spool.close();
      // Another program holds the port: Meta retries for 7 days, and the open workspace will try again.
      options.logger.warn('The closed-state webhook receiver could not listen', { port: section.port, error: error instanceof Error ? error.message : 'unknown' });
    }
  }

  return {
    /** Starts the closed receiver of a workspace (no-op without a closed-state section, or already running). */
    start(vault: VaultFile, workspaceDir: string): Promise<void> {
      const pending = (starting.get(vault.id) ?? Promise.resolve()).then(() => startOne(vault, workspaceDir));
      const settled = pending.catch((error: unknown) => {
        options.logger.error('Starting a closed-state receiver failed', { error: error instanceof Error ? error.message : 'unknown' });
      });
      starting.set(vault.id, settled);
      return settled;
    },
    /** Stops it: requests in flight are answered, and the spool's last batch written, before this resolves. */
    async stop(workspaceId: string): Promise<void> {
      await starting.get(workspaceId);
      const entry = running.get(workspaceId);
      if (!entry) return;
      running.delete(workspaceId);
      await entry.receiver.close();
      await entry.spool.close();
    },
    async stopAll(): Promise<void> {
      await Promise.all([...new Set([...running.keys(), ...starting.keys()])].map((id) => this.stop(id)));
    },
    /** The listening receiver of a closed workspace, for tests and the settings page. */
    receiverOf: (workspaceId: string): WebhookReceiver | null => running.get(workspaceId)?.receiver ?? null,
  };
}

export type ClosedReceivers = ReturnType<typeof createClosedReceivers>;
