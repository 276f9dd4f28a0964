import { randomUUID, randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkspaceDraft, WorkspaceKind, WorkspaceState, WorkspaceSummary } from '../../../shared/ipc';
import { minPassphraseLength, passphraseLongEnough } from '../../../shared/rules/passphrase';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { ClockPort, CorePorts } from '../ports';
import { moderateArgon2 } from '../vault/argon2';
import type { Argon2Params } from '../vault/argon2';
import {
  deriveWorkspaceKeys,
  unwrapWithKeychain,
  unwrapWithPassphrase,
  unwrapWithRecoveryKey,
  wrapWithKeychain,
  wrapWithPassphrase,
  wrapWithRecoveryKey,
} from '../vault/keys';
import type { WorkspaceKeys } from '../vault/keys';
import { formatRecoveryKey, generateRecoveryKey, recoveryKeyGroups } from '../vault/recovery-key';
import { loadSodium } from '../vault/sodium';
import { createUnlockThrottle } from '../vault/unlock-throttle';
import { readVaultFile, writeVaultFile } from '../vault/vault-file';
import type { VaultFile } from '../vault/vault-file';

/** What the manager needs of an archive; the archive module provides it. */
export interface ArchiveHandle {
  close(): void;
  audit: { append(action: string, subject: string | null, details?: Record<string, string | number | boolean | null>): unknown };
}

export interface WorkspacePaths {
  dir: string;
  vault: string;
  database: string;
  media: string;
}

export type ArchiveOpener<A extends ArchiveHandle> = (paths: WorkspacePaths, keys: WorkspaceKeys) => A;

export interface OpenWorkspace<A extends ArchiveHandle> {
  vault: VaultFile;
  keys: WorkspaceKeys;
  archive: A;
  paths: WorkspacePaths;
}

export type UnlockRequest =
  | { workspaceId: string; method: 'passphrase'; passphrase: string }
  | { workspaceId: string; method: 'recovery'; recoveryKey: string }
  | { workspaceId: string; method: 'keychain' };

interface Draft {
  id: string;
  vault: VaultFile;
  master: Uint8Array;
  recoveryDigits: string;
  confirmGroups: [number, number];
  createdAt: number;
}

export interface WorkspaceManagerOptions<A extends ArchiveHandle> {
  ports: CorePorts;
  logger: Logger;
  openArchive: ArchiveOpener<A>;
  /** MODERATE in the app; tests pass cheaper parameters. */
  argon2?: Argon2Params;
  /** Auto-lock counts real idle time (DESIGN): the wall clock, even when core's clock is virtual. */
  idleClock: ClockPort;
  /**
   * Called after a workspace opened or unlocked, before the unlock's own audit entry (core writes the failed
   * attempts counted while locked or closed there: one entry with their count and times). Its failure is
   * logged; the unlock stands.
   */
  onUnlocked?: (workspace: OpenWorkspace<A>, info: { failedAttemptsBefore: number; method: UnlockRequest['method'] | 'created' | 'reopened' }) => void | Promise<void>;
  /** Before a workspace's archive is opened (e.g. a backup replacement a crash interrupted is undone first). */
  beforeOpen?: (paths: WorkspacePaths) => Promise<void>;
  /** A workspace's archive was opened: start what runs for it (receiver, processor, outbox) — locked or not. */
  onOpened?: (workspace: OpenWorkspace<A>) => Promise<void>;
  /** Runs before the archive closes: stop what writes to it. */
  beforeClose?: (workspace: OpenWorkspace<A>) => Promise<void>;
}

const defaultAutoLockMinutes = 10;
const draftLifetimeMs = 30 * 60_000;

/**
 * Owns which workspace is open in this window and whether it is locked. Keys live only here, in memory.
 * Locking hides data from the renderer but keeps the archive open, so core goes on working (DESIGN: Lock).
 */
export function createWorkspaceManager<A extends ArchiveHandle>(options: WorkspaceManagerOptions<A>) {
  const { ports, logger } = options;
  const argon2 = options.argon2 ?? moderateArgon2;
  const root = join(ports.paths.dataDir, 'workspaces');
  const throttle = createUnlockThrottle(ports.settings, ports.clock);
  const drafts = new Map<string, Draft>();
  let current: OpenWorkspace<A> | null = null;
  let locked = false;
  let autoLockMinutes = defaultAutoLockMinutes;
  let cancelIdleTimer: (() => void) | null = null;
  let lastActivityAt = options.idleClock.now();

  const pathsOf = (id: string): WorkspacePaths => {
    const dir = join(root, id);
    return { dir, vault: join(dir, 'vault.json'), database: join(dir, 'archive.db'), media: join(dir, 'media') };
  };
  const summaryOf = (vault: VaultFile): WorkspaceSummary => ({ id: vault.id, name: vault.name, kind: vault.kind, keychainUnlock: Boolean(vault.wraps.keychain) });

  function state(): WorkspaceState {
    return { open: current ? summaryOf(current.vault) : null, locked: current ? locked : false, autoLockMinutes };
  }
  function publish(): WorkspaceState {
    const next = state();
    ports.events.emit('workspace:state', next);
    return next;
  }

  // --- auto-lock -----------------------------------------------------------------------------------------
  function scheduleIdleCheck() {
    cancelIdleTimer?.();
    cancelIdleTimer = null;
    if (!current || locked || autoLockMinutes === 0) return;
    const due = lastActivityAt + autoLockMinutes * 60_000 - options.idleClock.now();
    cancelIdleTimer = options.idleClock.setTimer(Math.max(0, due), () => {
      if (options.idleClock.now() - lastActivityAt >= autoLockMinutes * 60_000) lock('idle');
      else scheduleIdleCheck();
    });
  }
  const stopScreenLock = ports.system.onScreenLocked(() => {
    if (current && !locked) lock('screen locked');
  });

  function lock(reason: string): WorkspaceState {
    if (!current || locked) return state();
    locked = true;
    cancelIdleTimer?.();
    logger.info('Workspace locked', { reason });
    return publish();
  }

  // --- opening -------------------------------------------------------------------------------------------
  function listVaults(): VaultFile[] {
    if (!existsSync(root)) return [];
    return readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((entry) => {
        try {
          return [readVaultFile(pathsOf(entry.name).vault)];
        } catch {
          // A half-created or damaged folder is not a workspace; it is left on disk for the user to inspect.
          logger.warn('Skipped a workspace folder without a readable vault');
          return [];
        }
      })
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  function findVault(workspaceId: string): VaultFile {
    const vault = listVaults().find((v) => v.id === workspaceId);
    if (!vault) throw new AppError('workspace_not_found', 'There is no such workspace on this computer');
    return vault;
  }

  async function open(vault: VaultFile, master: Uint8Array, method: UnlockRequest['method'] | 'created' | 'reopened', failedAttemptsBefore: number) {
    const sodium = await loadSodium();
    const keys = deriveWorkspaceKeys(sodium, master);
    if (current && current.vault.id === vault.id) {
      // Unlocking the open workspace: the archive is already open; only the lock lifts.
      current = { ...current, vault };
    } else {
      const paths = pathsOf(vault.id);
      await options.beforeOpen?.(paths);
      mkdirSync(paths.media, { recursive: true });
      const archive = options.openArchive(paths, keys);
      await closeCurrent();
      current = { vault, keys, archive, paths };
      try {
        await options.onOpened?.(current);
      } catch (error) {
        // The archive stays usable offline; the health panel says what did not start.
        logger.error('Starting the workspace services failed', { error: error instanceof Error ? error.message : 'unknown' });
      }
    }
    locked = false;
    lastActivityAt = options.idleClock.now();
    scheduleIdleCheck();
    // Failed attempts are written when the archive can next be written: at this successful unlock, by
    // onUnlocked, as one `vault.unlock-failed` entry (count, first and last) — not repeated in this one.
    const unlocked = current;
    try {
      await options.onUnlocked?.(unlocked, { failedAttemptsBefore, method });
    } catch (error) {
      logger.error('Work after an unlock failed', { error: error instanceof Error ? error.message : 'unknown' });
    }
    unlocked.archive.audit.append('vault.unlocked', null, { method });
    logger.info('Workspace unlocked', { method, kind: vault.kind });
    return publish();
  }

  async function closeCurrent() {
    if (!current) return;
    const closing = current;
    current = null;
    locked = false;
    cancelIdleTimer?.();
    try {
      await options.beforeClose?.(closing);
    } catch (error) {
      logger.error('Stopping the workspace services failed', { error: error instanceof Error ? error.message : 'unknown' });
    }
    closing.archive.close();
    closing.keys.master.fill(0);
  }

  /** `linkedMaster`: the master key another desk of the workspace sealed to this one (DESIGN: several desks). */
  async function newVault(kind: WorkspaceKind, name: string, linkedMaster?: Uint8Array) {
    const sodium = await loadSodium();
    const master = linkedMaster ? Uint8Array.from(linkedMaster) : sodium.randombytes_buf(32);
    const keys = deriveWorkspaceKeys(sodium, master);
    const vault: VaultFile = {
      format: 1,
      id: randomUUID(),
      kind,
      name,
      createdAt: ports.clock.now(),
      publicKey: sodium.to_base64(keys.boxPublicKey),
      wraps: {},
    };
    return { vault, master };
  }

  function persistNew(vault: VaultFile) {
    const paths = pathsOf(vault.id);
    mkdirSync(paths.dir, { recursive: true });
    writeVaultFile(paths.vault, vault);
  }

  function pickConfirmGroups(): [number, number] {
    const first = randomInt(1, 17);
    let second = randomInt(1, 17);
    while (second === first) second = randomInt(1, 17);
    return first < second ? [first, second] : [second, first];
  }

  function requireOpenUnlocked(): OpenWorkspace<A> {
    if (!current) throw new AppError('no_workspace_open', 'Open a workspace first');
    if (locked) throw new AppError('locked', 'The workspace is locked');
    return current;
  }

  return {
    state,
    list: (): WorkspaceSummary[] => listVaults().map(summaryOf),
    /** The open, unlocked workspace, or a `locked` / `no_workspace_open` error. */
    requireOpenUnlocked,
    /** The open workspace whether locked or not: background work goes on while locked. */
    current: () => current,
    isUnlocked: () => Boolean(current) && !locked,

    async openDemo(): Promise<WorkspaceState> {
      const existing = listVaults().find((v) => v.kind === 'demo');
      if (existing) return open(existing, await unwrapWithKeychain(existing, ports.keychain), 'keychain', 0);
      const { vault, master } = await newVault('demo', 'Demo');
      vault.wraps.keychain = await wrapWithKeychain(ports.keychain, master);
      persistNew(vault);
      return open(vault, master, 'created', 0);
    },

    async prepare(input: { name: string; passphrase: string; keychainUnlock: boolean; linkedMaster?: Uint8Array }): Promise<WorkspaceDraft> {
      if (!passphraseLongEnough(input.passphrase)) {
        throw new AppError('passphrase_too_weak', `A passphrase needs at least ${minPassphraseLength} characters`, [{ path: 'passphrase', message: 'too short' }]);
      }
      for (const [id, draft] of drafts) if (ports.clock.now() - draft.createdAt > draftLifetimeMs) drafts.delete(id);
      const { vault, master } = await newVault('business', input.name, input.linkedMaster);
      const recoveryDigits = generateRecoveryKey();
      vault.wraps.passphrase = await wrapWithPassphrase(vault, master, input.passphrase, argon2);
      vault.wraps.recovery = await wrapWithRecoveryKey(vault, master, recoveryDigits);
      if (input.keychainUnlock) vault.wraps.keychain = await wrapWithKeychain(ports.keychain, master);
      const draft: Draft = { id: randomUUID(), vault, master, recoveryDigits, confirmGroups: pickConfirmGroups(), createdAt: ports.clock.now() };
      drafts.set(draft.id, draft);
      return { draftId: draft.id, recoveryKey: formatRecoveryKey(recoveryDigits), confirmGroups: draft.confirmGroups };
    },

    async create(input: { draftId: string; confirmations: [string, string] }): Promise<WorkspaceState> {
      const draft = drafts.get(input.draftId);
      if (!draft) throw new AppError('invalid_request', 'This set-up has expired; start again', [{ path: 'draftId', message: 'expired' }]);
      const groups = recoveryKeyGroups(draft.recoveryDigits);
      const wrong = draft.confirmGroups.flatMap((group, i) =>
        groups[group - 1] === input.confirmations[i]!.replace(/\s/g, '').normalize('NFKC') ? [] : [{ path: `confirmations.${i}`, message: `group ${group} does not match` }],
      );
      if (wrong.length > 0) throw new AppError('wrong_recovery_key', 'The groups typed back do not match the recovery key', wrong);
      drafts.delete(draft.id);
      persistNew(draft.vault);
      return open(draft.vault, draft.master, 'created', 0);
    },

    discardDraft(draftId: string): void {
      drafts.get(draftId)?.master.fill(0);
      drafts.delete(draftId);
    },

    async unlock(request: UnlockRequest): Promise<WorkspaceState> {
      const vault = findVault(request.workspaceId);
      if (request.method === 'keychain') return open(vault, await unwrapWithKeychain(vault, ports.keychain), 'keychain', 0);
      await throttle.check(vault.id);
      let master: Uint8Array;
      try {
        master = request.method === 'passphrase' ? await unwrapWithPassphrase(vault, request.passphrase) : await unwrapWithRecoveryKey(vault, request.recoveryKey);
      } catch (error) {
        if (error instanceof AppError && (error.code === 'wrong_passphrase' || error.code === 'wrong_recovery_key')) {
          const wait = await throttle.recordFailure(vault.id);
          throw new AppError(error.code, `${error.message}. Try again in ${Math.ceil(wait / 1000)} s`, error.fields, wait);
        }
        throw error;
      }
      const before = await throttle.recordSuccess(vault.id);
      return open(vault, master, request.method, before.failures);
    },

    lock: () => lock('requested'),

    /**
     * Closes the open, unlocked workspace's archive (its services stop first), runs `work` while it is closed
     * (a backup replacement swaps its files), then opens it again with the same keys, unlocked — whether
     * `work` succeeded or not.
     */
    async reopenAfter<T>(work: (closed: { paths: WorkspacePaths; keys: WorkspaceKeys; vault: VaultFile }) => Promise<T>): Promise<T> {
      const workspace = requireOpenUnlocked();
      const sodium = await loadSodium();
      // closeCurrent wipes the open keys: the archive is opened again from a copy of the master key.
      const master = Uint8Array.from(workspace.keys.master);
      const keys = deriveWorkspaceKeys(sodium, master);
      const { vault, paths } = workspace;
      await closeCurrent();
      try {
        return await work({ paths, keys, vault });
      } finally {
        for (const key of [keys.database, keys.media, keys.backup, keys.boxSecretKey]) key.fill(0);
        await open(vault, master, 'reopened', 0);
      }
    },

    async close(): Promise<WorkspaceState> {
      await closeCurrent();
      return publish();
    },

    async changePassphrase(input: { current: string; next: string }): Promise<void> {
      const workspace = requireOpenUnlocked();
      await throttle.check(workspace.vault.id);
      try {
        await unwrapWithPassphrase(workspace.vault, input.current);
      } catch (error) {
        if (error instanceof AppError && error.code === 'wrong_passphrase') {
          await throttle.recordFailure(workspace.vault.id);
          throw new AppError('wrong_passphrase', 'The current passphrase is not right', [{ path: 'current', message: 'not right' }]);
        }
        throw error;
      }
      await throttle.recordSuccess(workspace.vault.id);
      // Only the passphrase wrap changes: the master key, and so every byte of the archive, stays as it is.
      const vault = { ...workspace.vault, wraps: { ...workspace.vault.wraps, passphrase: await wrapWithPassphrase(workspace.vault, workspace.keys.master, input.next, argon2) } };
      writeVaultFile(workspace.paths.vault, vault);
      current = { ...workspace, vault };
      workspace.archive.audit.append('vault.passphrase-changed', null);
      logger.info('Passphrase changed');
    },

    async resetPassphrase(input: { workspaceId: string; recoveryKey: string; next: string }): Promise<WorkspaceState> {
      const vault = findVault(input.workspaceId);
      if (!passphraseLongEnough(input.next)) {
        throw new AppError('passphrase_too_weak', `A passphrase needs at least ${minPassphraseLength} characters`, [{ path: 'next', message: 'too short' }]);
      }
      await throttle.check(vault.id);
      let master: Uint8Array;
      try {
        master = await unwrapWithRecoveryKey(vault, input.recoveryKey);
      } catch (error) {
        if (error instanceof AppError && error.code === 'wrong_recovery_key') await throttle.recordFailure(vault.id);
        throw error;
      }
      const before = await throttle.recordSuccess(vault.id);
      const next = { ...vault, wraps: { ...vault.wraps, passphrase: await wrapWithPassphrase(vault, master, input.next, argon2) } };
      writeVaultFile(pathsOf(vault.id).vault, next);
      logger.info('Passphrase reset with the recovery key');
      const state = await open(next, master, 'recovery', before.failures);
      current!.archive.audit.append('vault.passphrase-reset', null);
      return state;
    },

    async setKeychainUnlock(enabled: boolean): Promise<WorkspaceState> {
      const workspace = requireOpenUnlocked();
      if (workspace.vault.kind === 'demo' && !enabled) {
        throw new AppError('invalid_request', 'The demo workspace has no passphrase: its key stays in the keychain', [{ path: 'enabled', message: 'required for the demo' }]);
      }
      const wraps = { ...workspace.vault.wraps };
      if (enabled) wraps.keychain = await wrapWithKeychain(ports.keychain, workspace.keys.master);
      else delete wraps.keychain;
      const vault = { ...workspace.vault, wraps };
      writeVaultFile(workspace.paths.vault, vault);
      current = { ...workspace, vault };
      workspace.archive.audit.append('vault.keychain-unlock', null, { enabled });
      return publish();
    },

    /** Records (or, with null, removes) what the closed-state receiver of the open workspace needs. */
    setClosedReceiver(section: VaultFile['closedReceiver'] | null): void {
      const workspace = current;
      if (!workspace) return;
      const vault: VaultFile = { ...workspace.vault };
      if (section) vault.closedReceiver = section;
      else delete vault.closedReceiver;
      writeVaultFile(workspace.paths.vault, vault);
      current = { ...workspace, vault };
    },

    /** Every workspace on this computer with its folders: the closed-state receivers start from these. */
    vaults: () => listVaults().map((vault) => ({ vault, paths: pathsOf(vault.id) })),

    setAutoLock(minutes: number): WorkspaceState {
      autoLockMinutes = minutes;
      void ports.settings.set('autoLockMinutes', minutes);
      scheduleIdleCheck();
      return publish();
    },

    async loadSettings(): Promise<void> {
      const saved = await ports.settings.get('autoLockMinutes');
      if (typeof saved === 'number' && Number.isInteger(saved) && saved >= 0 && saved <= 240) autoLockMinutes = saved;
    },

    activity(): void {
      lastActivityAt = options.idleClock.now();
    },

    async shutdown(): Promise<void> {
      stopScreenLock();
      await closeCurrent();
      for (const draft of drafts.values()) draft.master.fill(0);
      drafts.clear();
    },
  };
}

export type WorkspaceManager<A extends ArchiveHandle> = ReturnType<typeof createWorkspaceManager<A>>;
