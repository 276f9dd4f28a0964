import { join } from 'node:path';
import type { Result } from '../../shared/ipc';
import { createAppHandlers, startTicker } from './app/app-handlers';
import { createMediaStore, openArchive } from './archive';
import type { Archive } from './archive';
import { createWallClock } from './clock';
import { cloudStatus, startCloudRuntime } from './cloud/cloud-runtime';
import { allClearHealth } from './cloud/health-monitor';
import type { CloudRuntime } from './cloud/cloud-runtime';
import type { ClosedReceivers } from './cloud/closed-receivers';
import { closedReceiverSection, createClosedReceivers, spoolPathOf } from './cloud/closed-receivers';
import { createConnectionService, defaultGraphVersion } from './cloud/connection';
import { drainSpool } from './cloud/spool';
import { isPrimaryDesk } from './cloud/relay-state';
import { defaultDeskName, pairWithRelay } from './cloud/relay-desks';
import { createRelayHandlers } from './cloud/relay-handlers';
import { readSecret } from './vault/secrets';
import { demoIds, startDemoSandbox } from './sandbox/demo';
import type { DemoSandbox } from './sandbox/demo';
import type { ConnectionService } from './cloud/connection';
import { createDispatcher } from './dispatcher';
import type { ChannelHandlers } from './dispatcher';
import { createLogger } from './logger';
import type { CorePorts, ClockPort } from './ports';
import { createAutomationHandlers } from './automation/automation-handlers';
import { startAutomation } from './automation/automation-service';
import type { AutomationService } from './automation/automation-service';
import { createContactsHandlers } from './contacts/contacts-handlers';
import { createInboxHandlers } from './inbox/inbox-handlers';
import { createInboxNotifier } from './inbox/inbox-notifier';
import { readStoredMedia } from './inbox/media-access';
import type { MediaFile } from './inbox/media-access';
import { ensureDeskStaff } from './inbox/staff';
import { createStaffHandlers } from './inbox/staff-handlers';
import { createProfileHandlers } from './profile/profile-handlers';
import type { FeatureDeps } from './feature-deps';
import { createLabelHandlers } from './labels/label-handlers';
import { createQuickReplyHandlers } from './quick-replies/quick-reply-handlers';
import { createTemplateHandlers } from './templates/template-handlers';
import { createStatsHandlers } from './stats-ipc/stats-handlers';
import { auditSettingsChanges, createPrivacyHandlers } from './privacy/privacy-handlers';
import { createPrivacyRuntime } from './privacy/privacy-runtime';
import { createBackupHandlers } from './backup/backup-handlers';
import { createBackupRuntime } from './backup/backup-runtime';
import type { BackupRuntime } from './backup/backup-runtime';
import type { CloudFolder } from './backup/destinations';
import { createSearchHandlers } from './search/search-handlers';
import { createDesktopHandlers } from './diagnostics/desktop-handlers';
import { ensureSearchIndexMatchesSegmenter } from './search/segmenter-upgrade';
import type { Argon2Params } from './vault/argon2';
import { createSecretsHandlers } from './vault/secrets';
import { createWorkspaceHandlers } from './workspace/workspace-handlers';
import { createWorkspaceManager } from './workspace/workspace-manager';
import type { OpenWorkspace, WorkspaceManager } from './workspace/workspace-manager';

/** The whole application behind the IPC contract, built from ports; the same in the app, the preview host and tests. */
export interface Core {
  invoke(channel: unknown, payload: unknown): Promise<Result<unknown>>;
  /** Core's own services, for the preview host's test controls and tests; never exposed to the renderer. */
  readonly services: CoreServices;
  close(): Promise<void>;
}

export interface CoreServices {
  workspaces: WorkspaceManager<Archive>;
  connection: ConnectionService;
  /** What runs for the open workspace (receiver, processor, outbox); null when none is open. */
  cloud(): CloudRuntime | null;
  /** The demo workspace's sandbox and simulated customers; null unless the demo is open. */
  demo(): DemoSandbox | null;
  /** Receivers of workspaces whose archive is closed, spooling sealed webhooks until they open. */
  closedReceivers: ClosedReceivers;
  /** A stored media file of the open, unlocked workspace, decrypted, for app-media:// and the preview host's /media/. */
  readMedia(mediaId: number): Promise<MediaFile>;
  /** Backups of the open workspace: its schedule, the operation running (PRODUCT §12). */
  backup: BackupRuntime;
  /** A message is on its way to Meta right now (main's updater waits for it before restarting). */
  sending(): boolean;
}

/** Tuning for tests and the preview host; the app uses the defaults. */
export interface CoreOptions {
  /** Argon2id cost; MODERATE unless a test asks for less. */
  argon2?: Argon2Params;
  /** Auto-lock measures real idle time: the wall clock unless a test drives it. */
  idleClock?: ClockPort;
  /** Meta's Graph API; the preview host points it at the sandbox. */
  graphBaseUrl?: string;
  /** Time limit of each Graph call (15 s in the app; tests of timeouts use less). */
  graphTimeoutMs?: number;
  /** The demo workspace's simulated customers: their seed, and how often they write on their own (0: only when told). */
  demoSeed?: number;
  demoCustomerIntervalMs?: number;
  /** Backups: the cloud-drive folders offered (default: detected in the home folder), the schedule's timezone and start delay. */
  backup?: { cloudFolders?: () => CloudFolder[]; timeZone?: string; startDelayMs?: number };
}

/** PRODUCT §8: the set a new workspace starts with, as in the WhatsApp Business app. */
const defaultLabels = ['New customer', 'New order', 'Pending payment', 'Paid', 'Order complete', 'High-value customer'];

function addDefaultLabels(archive: Archive): void {
  archive.transaction(() => defaultLabels.forEach((name, i) => archive.labels.create({ name, colour: i * 3 })));
}

export function createCore(ports: CorePorts, options: CoreOptions = {}): Core {
  const logger = createLogger(ports.logger);
  const workspaces = createWorkspaceManager<Archive>({
    ports,
    logger,
    argon2: options.argon2,
    idleClock: options.idleClock ?? createWallClock(),
    openArchive: (paths, keys) => {
      const archive = openArchive({ path: paths.database, key: keys.database, clock: ports.clock });
      ensureSearchIndexMatchesSegmenter(archive, ports.events, logger);
      return archive;
    },
    // A backup replacement a crash interrupted is undone before the archive opens.
    beforeOpen: (paths) => backup.beforeOpen(paths),
    onUnlocked: async (workspace, { method }) => {
      if (method === 'created') {
        addDefaultLabels(workspace.archive);
        // A desk linked from another one starts with the connection and relay standing that desk sent.
        if (relay.created(workspace.archive, workspace.keys.master)) await restartRuntime();
      }
      // Wrong passphrases counted while locked or closed: one audit entry, before the unlock's own.
      await privacy.unlocked(workspace.vault.id, workspace.archive);
    },
    onOpened: async (workspace) => {
      // Every message records who sent it: there is always someone at the desk.
      ensureDeskStaff(workspace.archive);
      if (workspace.vault.kind === 'demo') {
        demo = await startDemoSandbox({
          clock: ports.clock,
          seed: options.demoSeed ?? 1,
          receiverUrl: () => cloud?.receiver?.url ?? null,
          ...(options.demoCustomerIntervalMs !== undefined ? { meanIntervalMs: options.demoCustomerIntervalMs } : {}),
        });
        connectionFor(workspace.archive).save({ ...demoIds, graphVersion: defaultGraphVersion, webhookMode: 'direct', directPort: null, relayUrl: '', ...demo.credentials });
      }
      // The closed receiver hands its port over: it answers what is in flight and writes its spool first.
      await closedReceivers.stop(workspace.vault.id);
      await startRuntime(workspace);
      await drainClosedSpool(workspace);
      // Retention and the inbox scrub, daily, while the archive is open (locked or not).
      privacy.opened(workspace.archive);
      // Scheduled backups, and one missed while the app was closed (locked or not).
      backup.opened(workspace);
    },
    beforeClose: async (workspace) => {
      // A backup running is cancelled (its partial file removed) before the archive closes.
      await backup.closing();
      privacy.closing();
      const simulated = demo;
      demo = null;
      await simulated?.stop();
      await stopRuntime();
      // Closed again (another workspace opens, or the window closes it): Meta's webhooks go on being spooled.
      if (!shuttingDown) await closedReceivers.start(workspace.vault, workspace.paths.dir);
    },
  });
  let cloud: CloudRuntime | null = null;
  let demo: DemoSandbox | null = null;
  // Transcripts, data rights, retention and the audit log (PRODUCT §11, §13), per open archive.
  const privacy = createPrivacyRuntime({ settings: ports.settings, clock: ports.clock, logger, media: () => cloud?.media ?? null });
  const backup = createBackupRuntime({
    workspaces,
    clock: ports.clock,
    logger,
    events: ports.events,
    dialogs: ports.dialogs,
    keychain: ports.keychain,
    appVersion: ports.host.appVersion,
    workspacesDir: join(ports.paths.dataDir, 'workspaces'),
    ...(options.argon2 ? { argon2: options.argon2 } : {}),
    ...options.backup,
  });
  // The conversation list's announcements (rows changed, unread total), also fed by the cloud runtime's events.
  const inboxNotifier = createInboxNotifier({ archive: () => workspaces.current()?.archive ?? null, clock: ports.clock, events: ports.events, logger });
  const inboxEvents = inboxNotifier.observe(ports.events);
  let automation: AutomationService | null = null;
  // The cloud runtime's events, also telling the automation when inbound messages were stored.
  const runtimeEvents: typeof inboxEvents = {
    emit(event, payload) {
      inboxEvents.emit(event, payload);
      if (event === 'messages:received') automation?.inboundStored();
    },
  };
  /** `{{business}}` and the business card: the number's verified name, else the workspace's name. */
  const businessName = (archive: Archive): string => connectionFor(archive).view().phone?.verifiedName || workspaces.current()?.vault.name || '';

  async function startRuntime(workspace: OpenWorkspace<Archive>): Promise<void> {
    const stored = connectionFor(workspace.archive).view();
    // A real number listens where the owner's tunnel points; the demo and tests take any free port.
    const receiverPort = workspace.vault.kind === 'business' && stored.directPort ? stored.directPort : 0;
    const media = await createMediaStore({ dir: workspace.paths.dir, key: workspace.keys.media });
    cloud = await startCloudRuntime({ archive: workspace.archive, media, ports: { ...ports, events: runtimeEvents }, clock: ports.clock, logger, connection: connectionFor(workspace.archive), receiverPort, boxKeys: { publicKey: workspace.keys.boxPublicKey, secretKey: workspace.keys.boxSecretKey } });
    automation = startAutomation({
      archive: workspace.archive,
      outbox: () => cloud?.outbox ?? null,
      clock: ports.clock,
      events: inboxEvents,
      logger,
      businessName: () => businessName(workspace.archive),
      sendsReplies: () => isPrimaryDesk(workspace.archive),
    });
    // The badge starts from this workspace's unread total.
    inboxNotifier.changed([]);
    if (workspace.vault.kind === 'business') await recordClosedReceiver(workspace);
  }

  /** Keeps the vault's closed-state section in step with the connection (port, mode, app secret, verify token). */
  async function recordClosedReceiver(workspace: OpenWorkspace<Archive>): Promise<void> {
    const view = connectionFor(workspace.archive).view();
    const section = await closedReceiverSection(ports.keychain, {
      webhookMode: view.webhookMode,
      directPort: view.directPort,
      appSecret: readSecret(workspace.archive, 'appSecret'),
      verifyToken: view.verifyToken || null,
    });
    workspaces.setClosedReceiver(section);
  }

  /** Webhooks spooled while the archive was closed go into the inbox, then through the processor. */
  async function drainClosedSpool(workspace: OpenWorkspace<Archive>): Promise<void> {
    try {
      const result = await drainSpool(spoolPathOf(workspace.paths.dir), { publicKey: workspace.keys.boxPublicKey, secretKey: workspace.keys.boxSecretKey }, workspace.archive, { logger: ports.logger });
      if (result.records > 0) logger.info('Webhooks received while closed were taken in', { stored: result.stored, forged: result.forged, unreadable: result.unreadable });
      cloud?.processor.drainAll();
    } catch (error) {
      // The spool stays on disk and is drained at the next opening.
      logger.error('Taking in the closed-state spool failed', { error: error instanceof Error ? error.message : 'unknown' });
    }
  }
  const closedReceivers = createClosedReceivers({ keychain: ports.keychain, clock: ports.clock, loggerPort: ports.logger, logger });
  let shuttingDown = false;
  const closedStarted = (async () => {
    for (const { vault, paths } of workspaces.vaults()) await closedReceivers.start(vault, paths.dir);
  })();

  async function stopRuntime(): Promise<void> {
    automation?.stop();
    automation = null;
    const running = cloud;
    cloud = null;
    await running?.stop();
  }
  const ready = workspaces.loadSettings();
  const unlockedArchive = () => workspaces.requireOpenUnlocked().archive;
  const connectionFor = (archive: Archive | (() => Archive)) =>
    createConnectionService({
      archive: typeof archive === 'function' ? archive : () => archive,
      clock: ports.clock,
      logger,
      graphBaseUrl: () => demo?.graph.baseUrl ?? options.graphBaseUrl ?? 'https://graph.facebook.com',
      ...(options.graphTimeoutMs !== undefined ? { timeoutMs: options.graphTimeoutMs } : {}),
    });
  // For the renderer: only while unlocked.
  const connection = connectionFor(unlockedArchive);
  const relay = createRelayHandlers({
    archive: unlockedArchive,
    master: () => workspaces.requireOpenUnlocked().keys.master,
    workspaceName: () => workspaces.requireOpenUnlocked().vault.name,
    connectionFor,
    clock: ports.clock,
    restartRuntime,
  });
  async function restartRuntime(): Promise<void> {
    const workspace = workspaces.current();
    if (!workspace) return;
    await stopRuntime();
    await startRuntime(workspace);
  }
  const featureDeps: FeatureDeps = {
    archive: unlockedArchive,
    clock: ports.clock,
    events: inboxEvents,
    logger,
    outbox: () => cloud?.outbox ?? null,
    media: () => cloud?.media ?? null,
    runtime: () => cloud,
    connection,
    dialogs: ports.dialogs,
    businessName: () => businessName(unlockedArchive()),
  };
  const sending = () => (cloud?.outbox.status().inFlight ?? 0) > 0;
  const handlers: ChannelHandlers = {
    ...createAppHandlers(ports),
    ...createDesktopHandlers({
      ports,
      sending,
      workspace: () => workspaces.state(),
      health: () => (workspaces.isUnlocked() ? { health: cloud?.health.state() ?? allClearHealth, cloud: cloudStatus(cloud) } : null),
    }),
    ...createWorkspaceHandlers(workspaces),
    ...createSearchHandlers(unlockedArchive),
    ...createContactsHandlers({ archive: unlockedArchive, events: ports.events, dialogs: ports.dialogs }),
    ...createSecretsHandlers(unlockedArchive),
    ...createInboxHandlers({
      archive: unlockedArchive,
      clock: ports.clock,
      logger,
      outbox: () => cloud?.outbox ?? null,
      media: () => cloud?.media ?? null,
      connected: () => connection.view().configured,
      graph: () => connection.client(),
      dialogs: ports.dialogs,
      events: inboxEvents,
      notifier: inboxNotifier,
    }),
    ...createStaffHandlers({ archive: unlockedArchive }),
    ...createProfileHandlers({
      archive: unlockedArchive,
      clock: ports.clock,
      connection,
      media: () => cloud?.media ?? null,
      businessName: () => businessName(unlockedArchive()),
      logger,
    }),
    ...createAutomationHandlers({
      archive: unlockedArchive,
      clock: ports.clock,
      events: inboxEvents,
      service: () => automation,
      businessName: () => businessName(unlockedArchive()),
    }),
    ...createQuickReplyHandlers(featureDeps),
    ...createLabelHandlers(featureDeps),
    ...createTemplateHandlers(featureDeps),
    ...createStatsHandlers(featureDeps),
    ...createPrivacyHandlers({ ...featureDeps, privacy, print: ports.print, inboxChanged: (ids) => inboxNotifier.changed(ids) }),
    ...createBackupHandlers(backup),
    'connection:get': () => connection.view(),
    ...relay.handlers,
    'workspace:prepare': (request) => workspaces.prepare({ ...request, ...(request.fromLink ? { linkedMaster: relay.linkedMaster() } : {}) }),
    'connection:save': async ({ relayPairingCode, relayDeskName, ...request }) => {
      const workspace = workspaces.requireOpenUnlocked();
      // The pairing code is used once, here: a refusal leaves everything as it was.
      if (request.webhookMode === 'relay' && relayPairingCode && request.relayUrl) {
        await pairWithRelay(workspace.archive, { url: request.relayUrl, code: relayPairingCode, deskName: relayDeskName ?? defaultDeskName(), publicKey: workspace.keys.boxPublicKey, now: ports.clock.now() });
      }
      const saved = connection.save(request);
      // A new port, mode or app secret takes effect now: the receiver, relay puller and outbox restart on the saved settings.
      await restartRuntime();
      return saved;
    },
    'connection:test': () => connection.test(),
    'health:get': () => {
      workspaces.requireOpenUnlocked();
      return cloud?.health.state() ?? allClearHealth;
    },
    'cloud:status': () => {
      workspaces.requireOpenUnlocked();
      return cloudStatus(cloud);
    },
  };
  // Settings saves are recorded in the audit log (area and key names, never values).
  Object.assign(handlers, auditSettingsChanges(handlers, { archive: unlockedArchive, privacy, logger }));
  const dispatch = createDispatcher(handlers, logger, () => void workspaces.requireOpenUnlocked());
  const stopTicker = startTicker(ports);
  let closed = false;
  logger.info('Core started', { transport: ports.host.transport });

  return {
    async invoke(channel, payload) {
      await ready;
      return dispatch(channel, payload);
    },
    services: {
      workspaces,
      connection,
      cloud: () => cloud,
      demo: () => demo,
      closedReceivers,
      readMedia: async (mediaId) => readStoredMedia(workspaces.requireOpenUnlocked().archive, cloud?.media ?? null, mediaId),
      backup,
      sending,
    },
    async close() {
      if (closed) return;
      closed = true;
      shuttingDown = true;
      stopTicker();
      await closedStarted;
      await workspaces.shutdown();
      await closedReceivers.stopAll();
      logger.info('Core stopped');
    },
  };
}
