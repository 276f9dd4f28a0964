import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ConnectionView } from '../../../shared/ipc';
import type { Archive } from '../archive';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { ClockPort } from '../ports';
import { readSecret, writeSecrets } from '../vault/secrets';
import { createGraphClient } from './graph-client';
import type { GraphClient } from './graph-client';
import { GraphError } from './graph-errors';

/** Where Meta posts webhooks on the direct receiver; shown to paste after the tunnel's public address. */
export const webhookCallbackPath = '/webhooks/whatsapp';
export const defaultGraphVersion = 'v25.0';

const settingKey = 'connection';

const storedSchema = z.object({
  phoneNumberId: z.string(),
  wabaId: z.string(),
  appId: z.string(),
  graphVersion: z.string(),
  webhookMode: z.enum(['direct', 'relay']),
  directPort: z.number().int().nullable(),
  relayUrl: z.string(),
  relayPairingCode: z.string().optional(),
  verifyToken: z.string(),
  phone: z.object({ displayPhoneNumber: z.string(), verifiedName: z.string(), qualityRating: z.string(), checkedAt: z.number() }).nullable(),
});
type StoredConnection = z.infer<typeof storedSchema>;

export interface ConnectionInput {
  phoneNumberId: string;
  wabaId: string;
  appId: string;
  graphVersion: string;
  webhookMode: 'direct' | 'relay';
  directPort: number | null;
  relayUrl: string;
  relayPairingCode?: string;
  accessToken?: string;
  appSecret?: string;
}

/** A Graph failure in the words and codes the renderer shows (PRODUCT §14: Meta's reason with its code). */
export function appErrorFromGraph(error: unknown): AppError {
  if (!(error instanceof GraphError)) return new AppError('meta_unreachable', error instanceof Error ? error.message : 'Meta could not be reached');
  const notFound = error.httpStatus === 404 || (error.metaCode === 100 && error.subcode === 33);
  const code =
    error.kind === 'auth'
      ? 'meta_auth_failed'
      : error.kind === 'permission'
        ? 'meta_permission_denied'
        : notFound
          ? 'meta_not_found'
          : error.kind === 'throttle'
            ? 'meta_throttled'
            : error.kind === 'network' || error.kind === 'timeout'
              ? 'meta_unreachable'
              : 'meta_rejected';
  return new AppError(code, error.sentence, error.fields, undefined, error.metaCode);
}

export interface ConnectionServiceOptions {
  archive: () => Archive;
  clock: ClockPort;
  logger: Logger;
  /** Meta's Graph API, or the sandbox standing in for it (the demo's changes at every start). */
  graphBaseUrl: string | (() => string);
  timeoutMs?: number;
}

/** The business number a workspace is connected to: its settings, its secrets, and a Graph client for it. */
export function createConnectionService(options: ConnectionServiceOptions) {
  const read = (): StoredConnection | null => {
    const parsed = storedSchema.safeParse(options.archive().settings.get(settingKey));
    return parsed.success ? parsed.data : null;
  };

  function view(): ConnectionView {
    const archive = options.archive();
    const stored = read();
    return {
      configured: stored !== null,
      phoneNumberId: stored?.phoneNumberId ?? '',
      wabaId: stored?.wabaId ?? '',
      appId: stored?.appId ?? '',
      graphVersion: stored?.graphVersion ?? defaultGraphVersion,
      webhookMode: stored?.webhookMode ?? 'relay',
      directPort: stored?.directPort ?? null,
      relayUrl: stored?.relayUrl ?? '',
      callbackPath: webhookCallbackPath,
      verifyToken: stored?.verifyToken ?? '',
      hasAccessToken: readSecret(archive, 'accessToken') !== null,
      hasAppSecret: readSecret(archive, 'appSecret') !== null,
      phone: stored?.phone ?? null,
    };
  }

  function client(): GraphClient {
    const stored = read();
    if (!stored) throw new AppError('not_connected', 'Connect a WhatsApp number first');
    return createGraphClient({
      baseUrl: typeof options.graphBaseUrl === 'function' ? options.graphBaseUrl() : options.graphBaseUrl,
      version: stored.graphVersion,
      accessToken: () => readSecret(options.archive(), 'accessToken'),
      phoneNumberId: stored.phoneNumberId,
      wabaId: stored.wabaId,
      appId: stored.appId || undefined,
      timeoutMs: options.timeoutMs ?? 15_000,
    });
  }

  return {
    view,
    client,
    save(input: ConnectionInput): ConnectionView {
      const archive = options.archive();
      const previous = read();
      const changedNumber = previous !== null && (previous.phoneNumberId !== input.phoneNumberId || previous.wabaId !== input.wabaId);
      const next: StoredConnection = {
        phoneNumberId: input.phoneNumberId,
        wabaId: input.wabaId,
        appId: input.appId,
        graphVersion: input.graphVersion,
        webhookMode: input.webhookMode,
        directPort: input.directPort,
        relayUrl: input.relayUrl,
        ...(input.relayPairingCode ? { relayPairingCode: input.relayPairingCode } : previous?.relayPairingCode ? { relayPairingCode: previous.relayPairingCode } : {}),
        // Generated once: Meta's dashboard keeps the copy the owner pasted.
        verifyToken: previous?.verifyToken ?? randomBytes(24).toString('base64url'),
        // Another number means the last test no longer says anything.
        phone: changedNumber ? null : (previous?.phone ?? null),
      };
      archive.transaction(() => {
        archive.settings.set(settingKey, next);
        writeSecrets(archive, { accessToken: input.accessToken, appSecret: input.appSecret });
        archive.audit.append('connection.saved', null, {
          webhookMode: input.webhookMode,
          accessTokenChanged: input.accessToken !== undefined,
          appSecretChanged: input.appSecret !== undefined,
        });
      });
      return view();
    },
    async test(): Promise<ConnectionView> {
      const graph = client();
      if (readSecret(options.archive(), 'accessToken') === null) {
        throw new AppError('invalid_request', 'Enter the access token first', [{ path: 'accessToken', message: 'required' }]);
      }
      try {
        const phone = await graph.getPhoneNumber();
        await graph.subscribeApp();
        const stored = read()!;
        const connected = {
          displayPhoneNumber: phone.display_phone_number ?? '',
          verifiedName: phone.verified_name ?? '',
          qualityRating: phone.quality_rating ?? 'UNKNOWN',
          checkedAt: options.clock.now(),
        };
        options.archive().settings.set(settingKey, { ...stored, phone: connected });
        options.logger.info('Connection tested', { quality: connected.qualityRating });
        return view();
      } catch (error) {
        throw appErrorFromGraph(error);
      }
    },
  };
}

export type ConnectionService = ReturnType<typeof createConnectionService>;
