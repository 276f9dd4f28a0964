import type { CloudStatus } from '../../../shared/ipc';
import type { Archive, MediaStore } from '../archive';
import type { Logger } from '../logger';
import type { ClockPort, CorePorts } from '../ports';
import { readSecret } from '../vault/secrets';
import type { ConnectionService } from './connection';
import { webhookCallbackPath } from './connection';
import { GraphError } from './graph-errors';
import { createArchiveSink } from './group-commit';
import { createHealthMonitor, currentQualityRating } from './health-monitor';
import { readInboundHealth } from './inbound/health';
import type { HealthMonitor } from './health-monitor';
import type { ArchiveSink } from './group-commit';
import { createInboundProcessor } from './inbound-processor';
import type { InboundProcessor, MediaJob } from './inbound-processor';
import type { InboundEvent } from './inbound/events';
import { createOutboundMediaResolver } from './outbound-media';
import { createOutbox } from './outbox';
import type { OutboundRequest, Outbox, SendFailure } from './outbox';
import { startWebhookReceiver } from './receiver';
import type { ReceiverCounters, WebhookReceiver } from './receiver';
import { createRelayClient } from './relay-client';
import { startRelayInbound } from './relay-inbound';
import type { RelayInbound } from './relay-inbound';
import { readRelayState, relayToken } from './relay-state';
import { verifyDeferred } from './spool';
import { loadSodium } from '../vault/sodium';

export interface CloudRuntimeOptions {
  archive: Archive;
  /** Where media are kept, encrypted; Meta's links expire, so files are fetched as they arrive. Closed by stop(). */
  media: MediaStore;
  ports: Pick<CorePorts, 'events' | 'logger'>;
  clock: ClockPort;
  logger: Logger;
  connection: ConnectionService;
  /** The direct receiver's port: the configured one for a real number, 0 (any free port) for the demo and tests. */
  receiverPort: number;
  /** The workspace's X25519 key pair: relay events are sealed to it (without it, relay mode does not pull). */
  boxKeys?: { publicKey: Uint8Array; secretKey: Uint8Array };
  /** How long each pull from the relay waits for events (tests shorten it). */
  relayWaitMs?: number;
}

export interface CloudRuntime {
  readonly processor: InboundProcessor;
  readonly outbox: Outbox;
  /** The direct receiver, when the workspace takes webhooks directly. */
  readonly receiver: WebhookReceiver | null;
  /** The relay's puller, when the workspace takes webhooks through a relay this desk is paired with. */
  readonly relay: RelayInbound | null;
  readonly health: HealthMonitor;
  /** The workspace's encrypted media store (open while the runtime runs). */
  readonly media: MediaStore;
  counters(): { receiver: ReceiverCounters | null; inbox: ReturnType<Archive['webhookInbox']['counts']> };
  stop(): Promise<void>;
}

const healthKinds = {
  'health:phone-quality': 'phone-quality',
  'health:account-alert': 'account-alert',
  'health:webhook-error': 'webhook-error',
  'health:template-category': 'template-category',
  'health:unhandled-field': 'unhandled-field',
} as const;

/**
 * Whom a queued message goes to, from its conversation: the phone number (wa_id) when Meta gave one, the
 * business-scoped user id otherwise (REFERENCE §2.4), or the group.
 */
function addressed(archive: Archive, clientId: string, request: OutboundRequest): OutboundRequest {
  if (request.to || request.recipient) return request;
  const message = archive.messages.getByClientId(clientId);
  const conversation = message ? archive.conversations.get(message.conversationId) : undefined;
  if (conversation?.groupId) return { ...request, recipient_type: 'group', to: conversation.groupId };
  const contact = conversation?.contactId ? archive.contacts.get(conversation.contactId) : undefined;
  if (contact?.waId) return { ...request, to: contact.waId };
  if (contact?.userId) return { ...request, recipient: contact.userId };
  return request;
}

/** The counters the settings page shows; zeros when nothing runs (no workspace open). */
export function cloudStatus(runtime: CloudRuntime | null): CloudStatus {
  if (!runtime) return { receiver: null, relay: null, inbox: { received: 0, processed: 0, failed: 0, pending: 0 }, outbox: { offline: false, paused: false, throttledUntil: null } };
  const { receiver, inbox } = runtime.counters();
  const outbox = runtime.outbox.status();
  return {
    receiver:
      receiver && runtime.receiver
        ? {
            localUrl: runtime.receiver.url,
            received: receiver.received,
            accepted: receiver.accepted,
            rejected: Object.values(receiver.rejected).reduce((sum, n) => sum + n, 0),
          }
        : null,
    relay: runtime.relay?.health() ?? null,
    inbox: { received: inbox.received, processed: inbox.processed, failed: inbox.failed, pending: inbox.pending },
    outbox: { offline: outbox.offline, paused: outbox.paused !== null, throttledUntil: outbox.throttledUntil },
  };
}

/** Meta's largest media file (documents: 100 MB). */
const maxMediaBytes = 100 * 1024 * 1024;

/** A Graph failure in the fields the outbox reads. */
function toSendFailure(error: unknown): SendFailure {
  if (error instanceof GraphError) {
    return { retryable: error.retryable, kind: error.kind, code: error.metaCode, maybeDelivered: error.maybeDelivered, message: error.metaMessage ?? error.sentence, staffMessage: error.sentence };
  }
  return { retryable: true, kind: 'network', message: error instanceof Error ? error.message : 'unknown failure' };
}

/** An upload that failed before the message was sent: it never reached a customer, so it is never "maybe delivered". */
function toUploadFailure(error: unknown): SendFailure {
  if (error instanceof GraphError) return { ...toSendFailure(error), maybeDelivered: false };
  // The file is gone from the store: sending again cannot help.
  return { retryable: false, kind: 'invalid', message: error instanceof Error ? error.message : 'the attached file could not be read' };
}

/**
 * What runs for an open workspace (locked or not: DESIGN "Lock"): the direct webhook receiver committing to
 * the durable inbox, the processor turning inbox rows into the archive and pushing events, and the outbox.
 */
export async function startCloudRuntime(options: CloudRuntimeOptions): Promise<CloudRuntime> {
  const { archive, clock, logger, ports } = options;
  let stopped = false;
  const emit = (event: InboundEvent) => {
    if (event.name in healthKinds) {
      const kind = healthKinds[event.name as keyof typeof healthKinds];
      ports.events.emit('health:notice', { kind, at: clock.now(), detail: { ...event.payload } as Record<string, unknown> });
    } else {
      ports.events.emit(event.name as 'messages:received', event.payload as never);
    }
  };

  let health: HealthMonitor | null = null;
  // Started last (relay mode only); the outbox and the health monitor read it from the start.
  let relay: RelayInbound | null = null;
  const outboundMedia = createOutboundMediaResolver({ archive, media: options.media, client: () => options.connection.client(), now: () => clock.now() });
  const outbox = createOutbox({
    archive,
    clock,
    logger: ports.logger,
    events: {
      emit: (name, payload) => {
        ports.events.emit(name, payload);
        if (payload.state === 'sent') {
          health?.noteAccepted();
          // The workspace's other desks show what this one sent (DESIGN: several desks).
          relay?.shareSent(payload.messageId);
        }
        health?.refresh();
      },
    },
    sender: {
      async send(request, clientId) {
        let resolved: OutboundRequest;
        try {
          resolved = await outboundMedia.resolve(request);
        } catch (error) {
          throw toUploadFailure(error);
        }
        try {
          return await options.connection.client().sendRequest(addressed(archive, clientId, resolved), clientId);
        } catch (error) {
          throw toSendFailure(error);
        }
      },
    },
  });

  health = createHealthMonitor({
    archive,
    clock,
    outboxStatus: () => outbox.status(),
    qualityRating: () => currentQualityRating(options.connection.view().phone, readInboundHealth(archive.settings).phoneQuality),
    relayUnreachable: () => relay?.unreachable() ?? false,
    emit: (state) => ports.events.emit('health:state', state),
  });
  const monitor = health;

  const processor = createInboundProcessor({
    archive,
    clock,
    logger,
    events: (event) => {
      // A status carrying our client id settles an unknown send first (the outbox never resends those).
      if (event.name === 'messages:status' && event.payload.clientId) {
        const message = archive.messages.get(event.payload.messageId);
        if (message?.wamid) outbox.reconcile(event.payload.clientId, message.wamid, event.payload.status);
      }
      emit(event);
      if (event.name.startsWith('health:')) monitor.refresh();
    },
    phoneNumberId: () => options.connection.view().phoneNumberId || null,
    onMedia: (job) => void fetchMedia(job),
  });

  /** Downloads one media file into the encrypted store; a failure is recorded on the row (retry comes later). */
  async function fetchMedia(job: MediaJob): Promise<void> {
    try {
      archive.media.setState(job.mediaId, 'downloading');
      const file = await options.connection.client().downloadMedia(job.metaMediaId, { maxBytes: maxMediaBytes });
      const stored = await options.media.put(file.bytes);
      archive.media.markStored(job.mediaId, { contentHash: stored.hash, size: stored.size, mime: file.mimeType || job.mime });
    } catch (error) {
      if (stopped) return;
      logger.warn('A media download failed', { error: error instanceof GraphError ? error.sentence : error instanceof Error ? error.message : 'unknown' });
      archive.media.setState(job.mediaId, 'failed', error instanceof GraphError ? error.sentence : 'download failed');
    }
  }

  // Drain right after each commit, and now for anything left from before (a crash, the spool).
  let draining = false;
  const drain = () => {
    if (draining) return;
    draining = true;
    queueMicrotask(() => {
      draining = false;
      try {
        processor.drainAll();
      } catch (error) {
        logger.error('Processing the webhook inbox failed', { error: error instanceof Error ? error.message : 'unknown' });
      }
    });
  };

  let sink: ArchiveSink | null = null;
  let receiver: WebhookReceiver | null = null;
  const view = options.connection.view();
  // Bodies kept unverified (no app secret when they came) are checked now that one may be saved.
  const appSecret = readSecret(archive, 'appSecret');
  if (appSecret) verifyDeferred(archive, appSecret);
  if (!view.configured || view.webhookMode === 'direct') {
    const archiveSink = createArchiveSink(archive, { source: 'direct' });
    sink = archiveSink;
    receiver = await startWebhookReceiver({
      port: options.receiverPort,
      path: webhookCallbackPath,
      verifyToken: () => options.connection.view().verifyToken || null,
      appSecret: () => readSecret(archive, 'appSecret'),
      sink: {
        store: async (event) => {
          await archiveSink.store(event);
          monitor.noteWebhook();
          drain();
        },
      },
      clock,
      logger: ports.logger,
    });
  }
  const relayState = view.configured && view.webhookMode === 'relay' ? readRelayState(archive) : null;
  if (relayState && options.boxKeys) {
    relay = startRelayInbound({
      archive,
      client: createRelayClient({ baseUrl: relayState.url, token: () => relayToken(archive) }),
      sodium: await loadSodium(),
      keys: options.boxKeys,
      clock,
      logger,
      appSecret: () => readSecret(archive, 'appSecret'),
      ...(options.relayWaitMs !== undefined ? { waitMs: options.relayWaitMs } : {}),
      onReachabilityChange: () => monitor.refresh(),
      onCommitted: ({ webhooks, copies }) => {
        if (webhooks > 0) monitor.noteWebhook();
        for (const copy of copies) {
          processor.applyPendingFor(copy.messageId);
          ports.events.emit('outbox:state', { messageId: copy.messageId, conversationId: copy.conversationId, state: 'sent' });
        }
        drain();
      },
    });
  }
  outbox.start();
  drain();

  return {
    processor,
    outbox,
    receiver,
    relay,
    health: monitor,
    media: options.media,
    counters: () => ({ receiver: receiver?.counters() ?? null, inbox: archive.webhookInbox.counts() }),
    async stop() {
      stopped = true;
      await relay?.stop();
      await receiver?.close();
      await sink?.close();
      await outbox.stop();
      processor.dispose();
      monitor.stop();
      await options.media.close();
    },
  };
}
