import { z } from 'zod';
import {
  chatPageSchema,
  contactsImportSchema,
  contactsListSchema,
  contactUpdateSchema,
  conversationActionSchema,
  conversationIdSchema,
  draftSchema,
  inboxListSchema,
  inboxPreferencesSchema,
  messageIdSchema,
  openByNumberSchema,
  sendMessageSchema,
  staffCreateSchema,
  staffSwitchSchema,
  starSchema,
} from './inbox';
import { automationLogSchema, autoRepliesSaveSchema, dryRunSchema, hoursSaveSchema, profileExtrasSaveSchema, profilePhotoRequestSchema, profileSaveSchema } from './automation';
import type { AutomationLogPage, AutoRepliesView, DryRunResult, HoursView, ProfileView } from './automation';
import { channel, channelNone } from './channel';
import type { ChannelDef } from './channel';
import { labelChannels, labelEvents } from './labels';
import { quickReplyChannels, quickReplyEvents } from './quick-replies';
import { statsChannels } from './stats';
import { privacyChannels } from './privacy';
import { backupChannels, backupEvents } from './backup';
import { desktopChannels, desktopEvents } from './desktop';
import { templateChannels, templateEvents } from './templates';

export { channel } from './channel';
export type { ChannelAccess, ChannelDef } from './channel';
import type {
  ChatPage,
  ContactsImportReport,
  ContactsPage,
  ContactView,
  ConversationDetail,
  InboxPage,
  InboxPreferences,
  InboxSummary,
  StaffState,
} from './inbox';

/**
 * The one IPC contract. Every channel is declared here once — name (`domain:action`), request schema and
 * response type — and so is every event. The preload object, the main-process relay, core's dispatcher and
 * the preview host's bridge are all built from these declarations.
 */

const none = channelNone;

export type Transport = 'electron' | 'preview';

export interface AppInfo {
  name: string;
  version: string;
  platform: 'win32' | 'darwin' | 'linux' | 'other';
  transport: Transport;
}

export interface Pong {
  message: string;
  /** Core's clock, ms since epoch. */
  at: number;
}

export type WorkspaceKind = 'demo' | 'business';

export interface WorkspaceSummary {
  id: string;
  name: string;
  kind: WorkspaceKind;
  /** Unlocks with this computer's keychain, without a passphrase. */
  keychainUnlock: boolean;
}

export interface WorkspaceState {
  /** The workspace open in this window, if any. */
  open: WorkspaceSummary | null;
  /** Open but locked: the window shows the unlock screen and gets no data. */
  locked: boolean;
  autoLockMinutes: number;
}

export interface WorkspaceDraft {
  draftId: string;
  /** 64 digits in 16 groups of 4, shown once. */
  recoveryKey: string;
  /** 1-based group numbers the user must type back to prove they wrote the key down. */
  confirmGroups: [number, number];
}

export interface SecretsStatus {
  accessToken: boolean;
  appSecret: boolean;
}

export type WebhookMode = 'direct' | 'relay';

/** What the connection form shows. Secrets appear only as "is set". */
export interface ConnectionView {
  configured: boolean;
  phoneNumberId: string;
  wabaId: string;
  appId: string;
  graphVersion: string;
  webhookMode: WebhookMode;
  /** Direct mode: the local port Meta's webhooks reach through the business's tunnel or reverse proxy. */
  directPort: number | null;
  relayUrl: string;
  /** Direct mode: the path to append to the tunnel's public https address in Meta's dashboard. */
  callbackPath: string;
  /** Generated once; pasted into Meta's dashboard beside the callback URL. */
  verifyToken: string;
  hasAccessToken: boolean;
  hasAppSecret: boolean;
  /** From the last successful "Test connection". */
  phone: ConnectedPhone | null;
}

export interface ConnectedPhone {
  displayPhoneNumber: string;
  verifiedName: string;
  qualityRating: string;
  /** When the test read it, ms since epoch. */
  checkedAt: number;
}

export const graphVersionSchema = z.string().regex(/^v\d{2}\.0$/, 'like v25.0');
const metaId = z.string().trim().regex(/^\d{5,30}$/, 'digits only');

/** https, or http on this computer only (a relay under test or in development). */
export const relayUrl = z.url({ protocol: /^https?$/ }).refine((value) => {
  // zod runs refinements after a failed check too: an unparseable value is simply not accepted.
  const url = URL.parse(value);
  return url !== null && (url.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
}, 'must start with https://');
const linkCode = z.string().trim().regex(/^\d{4}[\s-]?\d{4}$/, '8 digits');

/** The workspace's desks on the relay (PRODUCT §1: another desk joins by linking; one desk is primary). */
export interface RelayDesksView {
  thisDeskId: string;
  desks: Array<{ id: string; name: string; primary: boolean; pairedAt: number; lastSeenAt: number | null }>;
}

export const connectionSaveSchema = z
  .object({
    phoneNumberId: metaId,
    wabaId: metaId,
    appId: z.union([metaId, z.literal('')]),
    graphVersion: graphVersionSchema,
    webhookMode: z.enum(['direct', 'relay']),
    directPort: z.number().int().min(1024).max(65535).nullable(),
    relayUrl: z.union([relayUrl, z.literal('')]),
    relayPairingCode: z.string().trim().max(64).optional(),
    /** With a pairing code: what the relay and the other desks call this desk (default: the computer's name). */
    relayDeskName: z.string().trim().min(1).max(80).optional(),
    /** Omitted: keep the stored one. */
    accessToken: z.string().trim().min(20, 'too short').max(4096).optional(),
    appSecret: z.string().trim().regex(/^[0-9a-f]{32}$/i, '32 hexadecimal characters').optional(),
  })
  .strict();

/** The webhook line's counters, for the settings page (PRODUCT §1 health). */
export interface CloudStatus {
  receiver: {
    /** Where the business's tunnel or reverse proxy must forward to. */
    localUrl: string;
    received: number;
    accepted: number;
    /** Wrong or missing signature, bad JSON, too large, and other refusals, added up. */
    rejected: number;
  } | null;
  /** Relay mode, once this desk is paired: the relay's reachability and what it still holds for this desk. */
  relay: {
    url: string;
    reachable: boolean;
    /** Events the relay holds that this desk has not taken in yet. */
    backlog: number;
    /** This desk sends the automatic replies. */
    primary: boolean;
    lastContactAt: number | null;
    /** The error code of the last failed request, while unreachable. */
    lastError: string | null;
    /** Events that did not open (dropped), or whose Meta signature this desk's app secret does not make (held, unprocessed). */
    rejected: number;
    /** Events the relay no longer had (kept past its retention while this desk was off). */
    missed: number;
  } | null;
  inbox: { received: number; processed: number; failed: number; pending: number };
  outbox: { offline: boolean; paused: boolean; throttledUntil: number | null };
}

/** What the health banners and panel show (PRODUCT §1), computed by core. */
export interface HealthState {
  /** The outbox cannot reach Meta: messages wait. */
  offline: boolean;
  /** Meta refused the access token (190): sending is paused until a new one is saved. */
  tokenRejected: boolean;
  /** No webhook for 15 minutes although statuses are expected: the webhook line is probably broken. */
  webhooksSilent: boolean;
  /** Relay mode: the relay has not answered for over a minute (webhooks wait there, sealed, until it does). */
  relayUnreachable: boolean;
  /** From the last "Test connection" or quality webhook: GREEN, YELLOW, RED, … */
  qualityRating: string | null;
  /** Meta's account alerts, newest first. */
  alerts: Array<{ type: string; severity: string; description: string | null; at: number }>;
}

export type MessageDirection = 'in' | 'out';

export interface SearchHit {
  messageId: number;
  conversationId: number;
  /** Saved name, profile name, number or username: whatever the contact list shows. */
  contactName: string;
  /** Meta's timestamp, ms since epoch. */
  timestamp: number;
  direction: MessageDirection;
  type: string;
  status: 'pending' | 'sent' | 'delivered' | 'read' | 'played' | 'failed' | 'unknown' | 'not_confirmed' | null;
  /** The words around the match; `highlights` are [start, end) UTF-16 offsets into `text` (never HTML). */
  snippet: { text: string; highlights: Array<{ start: number; end: number }> };
}

export interface SearchPage {
  hits: SearchHit[];
  /** Pass back to get the next (older) page; null at the end. */
  nextCursor: string | null;
}

export const searchRequestSchema = z
  .object({
    query: z.string().trim().min(1, 'required').max(200),
    filters: z
      .object({
        contactId: z.number().int().positive().optional(),
        /** Messages carrying the label, or in a conversation carrying it. */
        labelId: z.number().int().positive().optional(),
        /** Inclusive, ms since epoch. */
        from: z.number().int().optional(),
        /** Exclusive, ms since epoch. */
        to: z.number().int().optional(),
        direction: z.enum(['in', 'out']).optional(),
        type: z.string().max(40).optional(),
        status: z.enum(['pending', 'sent', 'delivered', 'read', 'played', 'failed', 'unknown', 'not_confirmed']).optional(),
        staffId: z.string().max(100).optional(),
      })
      .strict()
      .optional(),
    cursor: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(100).optional(),
  })
  .strict();

const workspaceId = z.string().regex(/^[a-z0-9-]{8,64}$/, 'not a workspace id');
const passphrase = z.string().min(1, 'required').max(1024);
const workspaceName = z.string().trim().min(1, 'required').max(100);

export const channels = {
  'app:info': channel<AppInfo>()(none, 'always'),
  'app:ping': channel<Pong>()(z.object({ message: z.string().max(1000) }).strict(), 'always'),
  /** The renderer saw the user act (throttled); resets the auto-lock countdown. */
  'app:activity': channel<void>()(none, 'always'),

  'workspace:list': channel<WorkspaceSummary[]>()(none, 'always'),
  'workspace:state': channel<WorkspaceState>()(none, 'always'),
  /** Opens the demo workspace, creating it on first use. */
  'workspace:open-demo': channel<WorkspaceState>()(none, 'always'),
  /** First half of setting up a business: keys made in memory, recovery key returned to show. Nothing written yet. */
  'workspace:prepare': channel<WorkspaceDraft>()(
    z.object({ name: workspaceName, passphrase, keychainUnlock: z.boolean(), fromLink: z.boolean().optional() }).strict(),
    'always',
  ),
  /** Second half: the two recovery-key groups typed back; writes the workspace and opens it. */
  'workspace:create': channel<WorkspaceState>()(
    z.object({ draftId: z.string().min(1).max(100), confirmations: z.tuple([z.string().max(20), z.string().max(20)]) }).strict(),
    'always',
  ),
  'workspace:discard-draft': channel<void>()(z.object({ draftId: z.string().min(1).max(100) }).strict(), 'always'),
  /** Closes the open workspace (to switch to another); core stops its work for it. */
  'workspace:close': channel<WorkspaceState>()(none, 'always'),

  'vault:unlock': channel<WorkspaceState>()(
    z.discriminatedUnion('method', [
      z.object({ workspaceId, method: z.literal('passphrase'), passphrase }).strict(),
      z.object({ workspaceId, method: z.literal('recovery'), recoveryKey: z.string().min(1).max(200) }).strict(),
      z.object({ workspaceId, method: z.literal('keychain') }).strict(),
    ]),
    'always',
  ),
  'vault:lock': channel<WorkspaceState>()(none, 'always'),
  'vault:change-passphrase': channel<void>()(z.object({ current: passphrase, next: passphrase }).strict()),
  /** Forgot the passphrase: the recovery key unlocks and sets a new one. */
  'vault:reset-passphrase': channel<WorkspaceState>()(
    z.object({ workspaceId, recoveryKey: z.string().min(1).max(200), next: passphrase }).strict(),
    'always',
  ),
  'vault:set-keychain-unlock': channel<WorkspaceState>()(z.object({ enabled: z.boolean() }).strict()),
  /** 0 turns auto-lock off. */
  'vault:set-auto-lock': channel<WorkspaceState>()(z.object({ minutes: z.number().int().min(0).max(240) }).strict()),

  /** Which Cloud API secrets are stored (never their values: secrets never reach the renderer). */
  'secrets:status': channel<SecretsStatus>()(none),
  /** Stores secrets encrypted in the archive; an empty string removes one. */
  'secrets:set': channel<SecretsStatus>()(
    z.object({ accessToken: z.string().max(4096).optional(), appSecret: z.string().max(256).optional() }).strict(),
  ),

  'connection:get': channel<ConnectionView>()(none),
  /** Relay mode with a pairing code: the desk pairs with the relay first; a refusal is a `relay_*` error and nothing is saved. */
  'connection:save': channel<ConnectionView>()(connectionSaveSchema),
  /** Reads the phone number (display number, verified name, quality) and subscribes the app to the Business Account. */
  'connection:test': channel<ConnectionView>()(none),

  'health:get': channel<HealthState>()(none),
  /** Receiver, inbox and outbox counters of the open workspace. */
  'cloud:status': channel<CloudStatus>()(none),

  /** Several desks (DESIGN): the workspace's desks on the relay, as the relay knows them. */
  'relay:desks': channel<RelayDesksView>()(none),
  /** An existing desk: who is waiting with this link code. */
  'relay:link-lookup': channel<{ deskName: string }>()(z.object({ code: linkCode }).strict()),
  /** An existing desk approves the link: the workspace's keys and connection go to that desk, sealed to it. */
  'relay:link-approve': channel<{ deskName: string }>()(z.object({ code: linkCode }).strict()),
  /** This desk sends the automatic replies from now on (the others stop). */
  'relay:become-primary': channel<RelayDesksView>()(none),
  /** Unpairs a desk (this one too: then it stops taking in events until paired or linked again). */
  'relay:unpair': channel<void>()(z.object({ deskId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) }).strict()),
  /** A new desk asks to be linked to a workspace another desk has: returns the code to enter there. */
  'link:start': channel<{ code: string; expiresAt: number }>()(z.object({ relayUrl, deskName: z.string().trim().min(1, 'required').max(80) }).strict(), 'always'),
  /** Waits (up to ~25 s) for the other desk's approval; then `workspace:prepare` with `fromLink` sets the passphrase. */
  'link:wait': channel<{ status: 'pending' } | { status: 'approved'; workspaceName: string }>()(none, 'always'),
  'link:cancel': channel<void>()(none, 'always'),

  /** Every message ever, Chinese and English, newest first. */
  'search:messages': channel<SearchPage>()(searchRequestSchema),

  // The inbox (PRODUCT §2): the list, a conversation, its messages, the composer.
  'inbox:list': channel<InboxPage>()(inboxListSchema),
  'inbox:summary': channel<InboxSummary>()(none),
  'inbox:preferences': channel<InboxPreferences>()(none),
  'inbox:set-preferences': channel<InboxPreferences>()(inboxPreferencesSchema),
  'conversations:get': channel<ConversationDetail>()(conversationIdSchema),
  'conversations:act': channel<void>()(conversationActionSchema),
  /** A new chat by number: returns the conversation (existing or new) for that number. */
  'conversations:open-number': channel<ConversationDetail>()(openByNumberSchema),
  'conversations:set-draft': channel<void>()(draftSchema),
  /** Opening a chat: its inbound messages are marked read, and Meta is told unless read receipts are off. */
  'conversations:mark-read': channel<void>()(conversationIdSchema),
  'messages:page': channel<ChatPage>()(chatPageSchema),
  /** Queues a message in the outbox (stored first); returns its id. States follow as `outbox:state` events. */
  'messages:send': channel<{ messageId: number }>()(sendMessageSchema),
  /** Sends a failed or not-confirmed message again, as a new message (staff decide; never automatic). */
  'messages:resend': channel<{ messageId: number }>()(messageIdSchema),
  /** Cancels a message still queued. */
  'messages:cancel': channel<void>()(messageIdSchema),
  'messages:star': channel<void>()(starSchema),
  /** "Save as…": asks where through the dialogs port and writes the decrypted file there. */
  'messages:save-media': channel<{ saved: boolean }>()(messageIdSchema),

  // Contacts (PRODUCT §3).
  'contacts:list': channel<ContactsPage>()(contactsListSchema),
  'contacts:get': channel<ContactView>()(z.object({ contactId: z.number().int().positive() }).strict()),
  'contacts:update': channel<ContactView>()(contactUpdateSchema),
  'contacts:import': channel<ContactsImportReport>()(contactsImportSchema),
  /** CSV of every contact, written where the user chooses (dialogs port). */
  'contacts:export': channel<{ saved: boolean; count: number }>()(none),

  // Staff at the desk (PRODUCT §2).
  'staff:state': channel<StaffState>()(none),
  'staff:create': channel<StaffState>()(staffCreateSchema),
  'staff:switch': channel<StaffState>()(staffSwitchSchema),

  // Business profile (PRODUCT §4): read from Meta (the last copy when Meta cannot be reached), saved to Meta.
  'profile:get': channel<ProfileView>()(none),
  /** Validated first (the field is named); a Meta refusal changes nothing and says why. */
  'profile:save': channel<ProfileView>()(profileSaveSchema),
  /** JPEG or PNG through Meta's resumable upload; the handle becomes the profile photo. */
  'profile:set-photo': channel<ProfileView>()(profilePhotoRequestSchema),
  /** Local extras Meta does not hold: labelled contact methods. */
  'profile:save-extras': channel<ProfileView>()(profileExtrasSaveSchema),

  // Business hours (PRODUCT §5): each save is a new version, in force from then on.
  'hours:get': channel<HoursView>()(none),
  'hours:save': channel<HoursView>()(hoursSaveSchema),

  // Greeting and away messages (PRODUCT §6).
  'automation:get': channel<AutoRepliesView>()(none),
  'automation:save': channel<AutoRepliesView>()(autoRepliesSaveSchema),
  /** What these settings (and hours) would have sent in the last 7 days, from the archive; nothing is sent. */
  'automation:dry-run': channel<DryRunResult>()(dryRunSchema),
  /** Every automatic message, newest first, with the customer message that triggered it. */
  'automation:log': channel<AutomationLogPage>()(automationLogSchema),

  // Quick replies, labels, message templates and statistics (PRODUCT §7, §8, §9, §10): declared in their own files.
  ...quickReplyChannels,
  ...labelChannels,
  ...templateChannels,
  ...statsChannels,
  // Transcripts, data rights and the audit log (PRODUCT §11, §13).
  ...privacyChannels,
  // Encrypted backups (PRODUCT §12).
  ...backupChannels,
  // Launch at login, updates, the tray's privacy tick, diagnostics (packaging issue).
  ...desktopChannels,
} as const;

export const messageStatusSchema = z.enum(['pending', 'sent', 'delivered', 'read', 'played', 'failed', 'unknown', 'not_confirmed']);

export const workspaceStateSchema = z.object({
  open: z.object({ id: z.string(), name: z.string(), kind: z.enum(['demo', 'business']), keychainUnlock: z.boolean() }).nullable(),
  locked: z.boolean(),
  autoLockMinutes: z.number(),
});

export const events = {
  /** Core's heartbeat: proves events cross the transport, and carries core's clock. */
  'app:tick': z.object({ at: z.number(), seq: z.number().int().nonnegative() }),
  /** Progress of a long task core runs (index rebuild now; backups, restores, template sync later). */
  'task:progress': z.object({ task: z.enum(['search-index', 'template-sync']), done: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
  /** A new inbound message was stored (a repeated webhook is not announced twice). */
  'messages:received': z.object({
    conversationId: z.number(),
    messageId: z.number(),
    contactId: z.number().nullable(),
    groupId: z.string().nullable(),
    type: z.string(),
    timestamp: z.number(),
  }),
  /** An outbound message's delivery status moved forward (sent, delivered, read, failed). */
  'messages:status': z.object({
    conversationId: z.number(),
    messageId: z.number(),
    clientId: z.string().nullable(),
    status: messageStatusSchema,
    statusAt: z.number().nullable(),
    errorCode: z.number().nullable(),
    errorTitle: z.string().nullable(),
  }),
  /** The customer edited or deleted a message. */
  'messages:changed': z.object({ conversationId: z.number(), messageId: z.number(), change: z.enum(['edit', 'revoke']) }),
  'messages:reaction': z.object({
    messageWamid: z.string(),
    messageId: z.number().nullable(),
    conversationId: z.number().nullable(),
    reactorContactId: z.number().nullable(),
    emoji: z.string().nullable(),
  }),
  /** The 24-hour window opened, moved or closed — computed by core on its clock, never by the renderer. */
  'conversations:window': z.object({ conversationId: z.number(), open: z.boolean(), closesAt: z.number().nullable() }),
  'contacts:changed': z.object({ contactId: z.number(), mergedIds: z.array(z.number()), reason: z.enum(['merged', 'number_change', 'marketing_preference', 'erased']) }),
  'templates:changed': z.object({
    templateId: z.number(),
    metaId: z.string().nullable(),
    name: z.string(),
    language: z.string(),
    status: z.string(),
    quality: z.string().nullable(),
    category: z.string(),
  }),
  /** The outbox's state for a message: queued, sending, sent, unknown (timeout), not confirmed, failed, cancelled. */
  'outbox:state': z.object({
    messageId: z.number(),
    conversationId: z.number(),
    state: z.enum(['queued', 'sending', 'sent', 'unknown', 'not_confirmed', 'failed', 'cancelled']),
    error: z.object({ code: z.number().nullable(), message: z.string() }).optional(),
  }),
  /** Something Meta told us about the account (quality rating, alerts, webhook errors, template category changes). */
  'health:notice': z.object({ kind: z.enum(['phone-quality', 'account-alert', 'webhook-error', 'template-category', 'unhandled-field']), at: z.number(), detail: z.record(z.string(), z.unknown()) }),
  /** The health banners' state changed. */
  'health:state': z.object({
    offline: z.boolean(),
    tokenRejected: z.boolean(),
    webhooksSilent: z.boolean(),
    relayUnreachable: z.boolean(),
    qualityRating: z.string().nullable(),
    alerts: z.array(z.object({ type: z.string(), severity: z.string(), description: z.string().nullable(), at: z.number() })),
  }),
  /** Conversations changed in the list's eyes (pin, archive, mute, read, labels, draft, new): refetch those rows. */
  'conversations:changed': z.object({ ids: z.array(z.number()) }),
  /** The unread total for the badge and tray (unmuted conversations). */
  'inbox:unread': z.object({ unreadMessages: z.number().int().nonnegative(), unreadConversations: z.number().int().nonnegative() }),
  /** The business opened or closed (by its hours, on core's clock), or the hours changed. */
  'hours:state': z.object({
    open: z.boolean(),
    appointment: z.boolean(),
    nextChange: z.number().nullable(),
    nextOpen: z.number().nullable(),
    timezone: z.string(),
  }),
  /** An automatic message was queued (greeting or away). */
  'automation:sent': z.object({ kind: z.enum(['greeting', 'away']), conversationId: z.number(), messageId: z.number(), at: z.number() }),
  ...quickReplyEvents,
  ...labelEvents,
  ...templateEvents,
  ...backupEvents,
  ...desktopEvents,
  /** The open workspace or its lock changed (unlock, lock, auto-lock, OS lock, switch). */
  'workspace:state': workspaceStateSchema,
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
export type ParsedRequestOf<C extends ChannelName> = z.output<Channels[C]['request']>;
export type ResponseOf<C extends ChannelName> = Channels[C] extends ChannelDef<z.ZodType, infer R> ? R : never;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const channelNames = Object.keys(channels) as ChannelName[];
export const eventNames = Object.keys(events) as EventName[];

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && Object.hasOwn(channels, value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(events, value);
}
