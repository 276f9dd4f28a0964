/**
 * Group commit: durability costs one fsync per commit, not per event. Events that arrive within a couple
 * of milliseconds of each other (or until `maxBatch` of them wait) are written in ONE transaction, and every
 * waiter is answered after that commit — or all of them fail together, and Meta retries each.
 *
 * The timer is the real one, not the clock port: it batches I/O in real milliseconds, whereas the clock
 * port is business time (virtual in tests, where nothing would ever advance it here).
 */
import type Database from 'better-sqlite3';
import type { Archive } from '../archive';
import type { InboxSource } from '../archive/repositories/webhook-inbox';
import type { WebhookEvent, WebhookSink } from './receiver';

export interface GroupCommitOptions {
  /** The longest an event waits for company before its batch is committed. 0 = only what arrived in the same I/O turn. */
  maxDelayMs?: number;
  /** A batch this large is committed at once. */
  maxBatch?: number;
}

export interface GroupCommitStats {
  /** Commits attempted (successful or not). */
  commits: number;
  /** Items in successful commits. */
  items: number;
  failedCommits: number;
  largestBatch: number;
}

export interface GroupCommitter<T> {
  /** Resolves after the commit that included `item`; rejects if that commit failed. */
  submit(item: T): Promise<void>;
  stats(): GroupCommitStats;
  /** Commits what waits and refuses new items; resolves when the last commit is done. */
  close(): Promise<void>;
}

interface Waiter<T> {
  item: T;
  arrivedAt: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export const defaultGroupCommit = { maxDelayMs: 4, maxBatch: 512 } as const;

/**
 * Serialises `commit` calls: while one (possibly asynchronous) commit runs, newcomers form the next batch.
 *
 * How long a batch waits adapts to the load: the committer expects as many items as the largest of the last
 * 8 batches held (at least 2). Once that many wait (or `maxBatch`), the batch is committed right after the current I/O turn;
 * otherwise it waits for company at most `maxDelayMs` after its oldest item arrived. A lone webhook waits
 * those few milliseconds; a steady stream from N connections settles on batches of about N without paying
 * the full delay on every commit (with a fixed delay, throughput would be capped at N per delay).
 */
export function createGroupCommitter<T>(commit: (items: T[]) => void | Promise<void>, options: GroupCommitOptions = {}): GroupCommitter<T> {
  const maxDelayMs = options.maxDelayMs ?? defaultGroupCommit.maxDelayMs;
  const maxBatch = Math.max(1, options.maxBatch ?? defaultGroupCommit.maxBatch);
  const stats: GroupCommitStats = { commits: 0, items: 0, failedCommits: 0, largestBatch: 0 };
  let waiting: Array<Waiter<T>> = [];
  // Sizes of the last few batches: the largest is how many items are expected per cycle.
  const recent: number[] = [];
  let expected = 2;
  let timeout: ReturnType<typeof setTimeout> | undefined;
  let immediate: ReturnType<typeof setImmediate> | undefined;
  let running: Promise<void> | undefined;
  let closed = false;

  const cancelTimers = () => {
    if (timeout !== undefined) clearTimeout(timeout);
    if (immediate !== undefined) clearImmediate(immediate);
    timeout = immediate = undefined;
  };

  const schedule = () => {
    if (running || waiting.length === 0) return;
    if (waiting.length >= maxBatch || closed) {
      void flush();
      return;
    }
    if (waiting.length >= expected || maxDelayMs <= 0) {
      // Enough company: commit after the sockets already readable in this turn have been read.
      if (timeout !== undefined) clearTimeout(timeout);
      timeout = undefined;
      immediate ??= setImmediate(() => void flush());
      return;
    }
    if (timeout === undefined && immediate === undefined) {
      const left = waiting[0]!.arrivedAt + maxDelayMs - performance.now();
      timeout = setTimeout(() => void flush(), Math.max(0, left));
    }
  };

  async function flush(): Promise<void> {
    cancelTimers();
    if (running || waiting.length === 0) return;
    const batch = waiting.length > maxBatch ? waiting.splice(0, maxBatch) : waiting;
    if (batch === waiting) waiting = [];
    stats.commits++;
    stats.largestBatch = Math.max(stats.largestBatch, batch.length);
    let resolveRunning!: () => void;
    running = new Promise<void>((resolve) => (resolveRunning = resolve));
    try {
      await commit(batch.map((w) => w.item));
      stats.items += batch.length;
      for (const w of batch) w.resolve();
    } catch (error) {
      stats.failedCommits++;
      for (const w of batch) w.reject(error);
    } finally {
      recent.push(batch.length);
      if (recent.length > 8) recent.shift();
      expected = Math.max(2, ...recent);
      running = undefined;
      resolveRunning();
      schedule();
    }
  }

  return {
    submit(item) {
      if (closed) return Promise.reject(new Error('The group commit is closed'));
      return new Promise<void>((resolve, reject) => {
        waiting.push({ item, arrivedAt: performance.now(), resolve, reject });
        schedule();
      });
    },
    stats: () => ({ ...stats }),
    async close() {
      closed = true;
      while (running || waiting.length > 0) {
        if (running) await running;
        else await flush();
      }
      cancelTimers();
    },
  };
}

/**
 * Runs `fn` with `PRAGMA synchronous = FULL` on this connection, then restores the previous level.
 *
 * Why switch on the archive's own connection rather than open a dedicated one: better-sqlite3 is synchronous
 * and core is single-threaded, so nothing else can commit on this connection between the two PRAGMAs — the
 * switch is exact. A second connection would be a second writer on the same WAL (SQLITE_BUSY waits that
 * block the thread), a second copy of the key and of the page cache, and would not see the archive's
 * open/close life. In WAL mode, FULL makes SQLite fsync the WAL at this commit, so the batch is on stable
 * storage before any waiter is answered; everything else keeps NORMAL (fsync at checkpoints only).
 * SQLite refuses to change the level inside a transaction; should that ever happen the commit fails
 * (→ 500, Meta retries) instead of being acknowledged without FULL.
 */
export function withFullSync<R>(db: Database.Database, fn: () => R): R {
  let pragmas = syncPragmas.get(db);
  if (!pragmas) {
    // Prepared once per connection: this runs around every group commit.
    pragmas = {
      read: db.prepare<[], number>('PRAGMA synchronous').pluck(),
      full: db.prepare('PRAGMA synchronous = FULL'),
      levels: new Map(),
    };
    syncPragmas.set(db, pragmas);
  }
  const previous = pragmas.read.get()!;
  pragmas.full.run();
  try {
    return fn();
  } finally {
    let restore = pragmas.levels.get(previous);
    if (!restore) pragmas.levels.set(previous, (restore = db.prepare(`PRAGMA synchronous = ${Number(previous)}`)));
    restore.run();
  }
}

const syncPragmas = new WeakMap<
  Database.Database,
  { read: Database.Statement<[], number>; full: Database.Statement; levels: Map<number, Database.Statement> }
>();

export interface ArchiveSink extends WebhookSink {
  stats(): GroupCommitStats;
  /** Commits what waits, then refuses (→ 500). Switch the receiver to another sink before closing the archive. */
  close(): Promise<void>;
}

/** The sink of an open archive: events committed to the webhook inbox by group commit with `synchronous = FULL`. */
export function createArchiveSink(archive: Archive, options: GroupCommitOptions & { source?: InboxSource } = {}): ArchiveSink {
  const source = options.source ?? 'direct';
  const committer = createGroupCommitter<WebhookEvent>((events) => {
    withFullSync(archive.db, () =>
      archive.transaction(() =>
        archive.webhookInbox.appendMany(
          events.map((e) => ({
            body: e.body,
            receivedAt: e.receivedAt,
            source,
            verified: e.verified,
            signature: e.verified ? null : e.signature,
          })),
        ),
      ),
    );
  }, options);
  return {
    acceptsUnverified: false,
    store: (event) => committer.submit(event),
    stats: () => committer.stats(),
    close: () => committer.close(),
  };
}
