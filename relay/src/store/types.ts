/**
 * The relay's storage, behind one interface (issue 10): SQLite for one small server, PostgreSQL for several
 * relay instances sharing one database. Both pass the same contract suite (tests/relay/store).
 *
 * What is stored is what the relay may know: workspaces (their verify token, the app secret, the public key
 * desks registered), desks (a hash of their token, never the token), and events sealed to the workspace's
 * public key (the relay cannot open them). Times are milliseconds since the epoch.
 */

export type EventKind = 'meta' | 'desk';

export interface WorkspaceRecord {
  id: string;
  name: string;
  /** The verify token Meta's dashboard sends back in the GET handshake. */
  verifyToken: string;
  /** Meta's app secret: the one secret the relay holds, to check X-Hub-Signature-256. */
  appSecret: string;
  /** The workspace's X25519 public key, registered by the first desk; null until a desk paired. */
  publicKey: Uint8Array | null;
  /** The last event sequence number given out in this workspace (0 before the first event). */
  lastSeq: number;
  createdAt: number;
}

export interface DeskRecord {
  id: string;
  workspaceId: string;
  name: string;
  /** SHA-256 of the desk's bearer token. */
  tokenHash: Uint8Array;
  /** The desk that sends automatic replies; exactly one per workspace once a desk paired. */
  primary: boolean;
  /** Every event with seq ≤ this was acknowledged by this desk. */
  ackedSeq: number;
  pairedAt: number;
  lastSeenAt: number | null;
}

export interface NewEvent {
  workspaceId: string;
  kind: EventKind;
  /** For `desk` events: the desk that posted it (it does not need its own copy back). */
  fromDeskId: string | null;
  receivedAt: number;
  /** crypto_box_seal output: opaque to the relay. */
  sealed: Uint8Array;
}

export interface StoredEvent extends NewEvent {
  /** Per workspace, from 1, without gaps, in commit order. */
  seq: number;
}

export interface NewDesk {
  id: string;
  name: string;
  tokenHash: Uint8Array;
  pairedAt: number;
}

export interface LinkRecord {
  id: string;
  /** SHA-256 of the short code the new desk shows. */
  codeHash: Uint8Array;
  /** SHA-256 of the secret only the new desk knows (it collects the result with it). */
  secretHash: Uint8Array;
  /** The new desk's own X25519 public key: the workspace keys are sealed to it. */
  publicKey: Uint8Array;
  deskName: string;
  createdAt: number;
  expiresAt: number;
  /** Set when an existing desk approved. */
  workspaceId: string | null;
  approvedBy: string | null;
  /** The workspace keys sealed to `publicKey` by the approving desk. */
  sealedKeys: Uint8Array | null;
  /** The desk created when the new desk collected the approved link (collect is once only). */
  deskId: string | null;
}

export type PairResult =
  | { kind: 'paired'; workspace: WorkspaceRecord; desk: DeskRecord }
  /** No workspace has this pairing code (never issued, already used, or replaced). */
  | { kind: 'invalid_code' }
  /** The workspace already has a different public key: a second desk must be linked, not paired. */
  | { kind: 'key_mismatch' };

export type CollectResult =
  | { kind: 'collected'; link: LinkRecord; desk: DeskRecord }
  | { kind: 'pending' }
  /** Unknown, expired, or already collected. */
  | { kind: 'gone' };

export interface RelayStore {
  /** Creates or upgrades the schema; idempotent. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  addWorkspace(workspace: { id: string; name: string; verifyToken: string; appSecret: string; pairingCodeHash: Uint8Array; createdAt: number }): Promise<void>;
  getWorkspace(id: string): Promise<WorkspaceRecord | null>;
  listWorkspaces(): Promise<WorkspaceRecord[]>;
  /** Issues a new one-time pairing code for the workspace (replacing any unused one), or clears it (null). */
  setPairingCode(workspaceId: string, codeHash: Uint8Array | null): Promise<boolean>;
  /**
   * In one transaction: finds the workspace holding this pairing code and clears the code (it is one-time),
   * registers `publicKey` if the workspace has none (or checks it is the same), and adds the desk — primary
   * when it is the workspace's first.
   */
  pairDesk(input: { codeHash: Uint8Array; publicKey: Uint8Array; desk: NewDesk }): Promise<PairResult>;

  getDesk(id: string): Promise<DeskRecord | null>;
  listDesks(workspaceId: string): Promise<DeskRecord[]>;
  /** Removes a desk; if it was primary, the longest-paired remaining desk becomes primary. False if unknown. */
  removeDesk(id: string): Promise<boolean>;
  /** Makes this desk the workspace's only primary desk. False if unknown. */
  setPrimary(deskId: string): Promise<boolean>;
  touchDesk(id: string, at: number): Promise<void>;

  /**
   * Appends events in ONE transaction and resolves only once it is durable (SQLite: synchronous=FULL;
   * PostgreSQL: synchronous_commit on). Returns their seq numbers, in order. Within a workspace, seq order is
   * commit order, even with several relay instances writing (the workspace row is locked while numbering),
   * so a desk reading after its cursor can never skip an event committed later with a smaller seq.
   */
  appendEvents(events: readonly NewEvent[]): Promise<number[]>;
  /** Events of the workspace with seq > afterSeq, oldest first, at most `limit`. */
  readEvents(workspaceId: string, afterSeq: number, limit: number): Promise<StoredEvent[]>;
  /** Moves the desk's acknowledgement forward (never back). */
  ack(deskId: string, seq: number): Promise<void>;
  /**
   * Deletes events every desk of their workspace acknowledged, and any received before `olderThan`
   * (the retention limit, 7 days by default). Returns how many were deleted.
   */
  prune(olderThan: number): Promise<number>;
  /** How many stored events (all workspaces) and their sealed bytes: for /healthz and the bench. */
  eventStats(): Promise<{ events: number; bytes: number }>;
  /**
   * Calls `listener(workspaceId)` after events of that workspace were committed — by this process or, for
   * PostgreSQL, by any relay instance (LISTEN/NOTIFY). Returns an unsubscribe function.
   */
  subscribe(listener: (workspaceId: string) => void): () => void;

  createLink(link: Omit<LinkRecord, 'workspaceId' | 'approvedBy' | 'sealedKeys' | 'deskId'>): Promise<void>;
  /** A pending, unexpired link by its code. */
  findLinkByCode(codeHash: Uint8Array, now: number): Promise<LinkRecord | null>;
  getLink(id: string): Promise<LinkRecord | null>;
  /** Records the approval of a pending, unexpired link. False if it is not pending any more. */
  approveLink(linkId: string, approval: { workspaceId: string; approvedBy: string; sealedKeys: Uint8Array }, now: number): Promise<boolean>;
  /** Once only: for an approved link whose secret matches, adds the new (non-primary) desk and marks the link collected. */
  collectLink(linkId: string, secretHash: Uint8Array, desk: NewDesk, now: number): Promise<CollectResult>;
  /** Deletes expired and collected links. */
  pruneLinks(now: number): Promise<number>;
}
