import { createHash, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewDesk, NewEvent, RelayStore } from '../../../relay/src/store/types';

/**
 * The behaviour every RelayStore must show, run against each implementation. `open` gives a migrated store on
 * fresh, empty storage (each call its own); after each test the contract closes what it opened, then calls
 * `cleanup`.
 */

export const t0 = 1_700_000_000_000;
const day = 86_400_000;

export const sha = (text: string): Buffer => createHash('sha256').update(text).digest();
export const publicKey = (fill: number): Uint8Array => new Uint8Array(32).fill(fill);

export function sameBytes(actual: Uint8Array | null | undefined, expected: Uint8Array): boolean {
  return actual instanceof Uint8Array && Buffer.from(actual).equals(Buffer.from(expected));
}

export async function addWorkspace(store: RelayStore, id: string, code = `code-${id}`): Promise<void> {
  await store.addWorkspace({ id, name: `Workspace ${id}`, verifyToken: `verify-${id}`, appSecret: `app-secret-${id}`, pairingCodeHash: sha(code), createdAt: t0 });
}

export function newDesk(id: string, pairedAt = t0): NewDesk {
  return { id, name: `Desk ${id}`, tokenHash: sha(`token-${id}`), pairedAt };
}

export function event(workspaceId: string, text: string, receivedAt = t0, fromDeskId: string | null = null): NewEvent {
  return { workspaceId, kind: fromDeskId ? 'desk' : 'meta', fromDeskId, receivedAt, sealed: Buffer.from(text) };
}

/** A workspace with these desks paired in order (the first is primary), each a minute after the previous one. */
export async function pairedWorkspace(store: RelayStore, id: string, deskIds: readonly string[]): Promise<void> {
  await addWorkspace(store, id, `first-${id}`);
  for (const [index, deskId] of deskIds.entries()) {
    const code = `${id}-code-${index}`;
    expect(await store.setPairingCode(id, sha(code))).toBe(true);
    const result = await store.pairDesk({ codeHash: sha(code), publicKey: publicKey(7), desk: newDesk(deskId, t0 + index * 60_000) });
    expect(result.kind).toBe('paired');
  }
}

/** Resolves once `check` passes (for notifications that arrive asynchronously), or fails after `timeoutMs`. */
export async function eventually(check: () => void, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

const text = (sealed: Uint8Array) => Buffer.from(sealed).toString();

export function describeStoreContract(name: string, open: () => Promise<RelayStore>, cleanup: () => Promise<void>): void {
  describe(name, () => {
    let opened: RelayStore[] = [];
    const fresh = async () => {
      const store = await open();
      opened.push(store);
      return store;
    };

    afterEach(async () => {
      const stores = opened;
      opened = [];
      for (const store of stores) await store.close();
      await cleanup();
    });

    it('migrates again without harm and keeps the data', async () => {
      const store = await fresh();
      await store.migrate();
      await pairedWorkspace(store, 'w1', ['d1']);
      await store.appendEvents([event('w1', 'one')]);
      await store.migrate();
      expect((await store.getWorkspace('w1'))?.lastSeq).toBe(1);
      expect(await store.listDesks('w1')).toHaveLength(1);
      expect((await store.readEvents('w1', 0, 10)).map((e) => text(e.sealed))).toEqual(['one']);
    });

    it('adds and lists workspaces', async () => {
      const store = await fresh();
      await addWorkspace(store, 'w1');
      await addWorkspace(store, 'w2');
      const w1 = await store.getWorkspace('w1');
      expect(w1).toEqual({ id: 'w1', name: 'Workspace w1', verifyToken: 'verify-w1', appSecret: 'app-secret-w1', publicKey: null, lastSeq: 0, createdAt: t0 });
      expect((await store.listWorkspaces()).map((w) => w.id)).toEqual(['w1', 'w2']);
      expect(await store.getWorkspace('nope')).toBeNull();
      await expect(addWorkspace(store, 'w1', 'another-code')).rejects.toThrow();
    });

    it('pairs the first desk as primary, registers its key and consumes the code', async () => {
      const store = await fresh();
      await addWorkspace(store, 'w1', 'code-1');
      const result = await store.pairDesk({ codeHash: sha('code-1'), publicKey: publicKey(1), desk: newDesk('d1') });
      if (result.kind !== 'paired') throw new Error(`expected paired, got ${result.kind}`);
      expect(sameBytes(result.workspace.publicKey, publicKey(1))).toBe(true);
      expect(result.desk).toMatchObject({ id: 'd1', workspaceId: 'w1', name: 'Desk d1', primary: true, ackedSeq: 0, pairedAt: t0, lastSeenAt: null });
      expect(sameBytes(result.desk.tokenHash, sha('token-d1'))).toBe(true);

      expect(sameBytes((await store.getWorkspace('w1'))?.publicKey, publicKey(1))).toBe(true);
      expect(await store.getDesk('d1')).toEqual(result.desk);
      // One-time: the same code pairs nothing more.
      expect(await store.pairDesk({ codeHash: sha('code-1'), publicKey: publicKey(1), desk: newDesk('d2') })).toEqual({ kind: 'invalid_code' });
      expect(await store.pairDesk({ codeHash: sha('never-issued'), publicKey: publicKey(1), desk: newDesk('d3') })).toEqual({ kind: 'invalid_code' });
      expect((await store.listDesks('w1')).map((d) => d.id)).toEqual(['d1']);
      expect(await store.getDesk('d2')).toBeNull();
    });

    it('refuses a second desk with another key, and pairs one with the same key as non-primary', async () => {
      const store = await fresh();
      await pairedWorkspace(store, 'w1', ['d1']);
      expect(await store.setPairingCode('w1', sha('code-2'))).toBe(true);

      expect(await store.pairDesk({ codeHash: sha('code-2'), publicKey: publicKey(9), desk: newDesk('d2') })).toEqual({ kind: 'key_mismatch' });
      // A refused pairing changes nothing: no desk, same key, and the code is still there for the right key.
      expect(await store.getDesk('d2')).toBeNull();
      expect(sameBytes((await store.getWorkspace('w1'))?.publicKey, publicKey(7))).toBe(true);

      const result = await store.pairDesk({ codeHash: sha('code-2'), publicKey: publicKey(7), desk: newDesk('d2', t0 + day) });
      expect(result.kind).toBe('paired');
      expect(result.kind === 'paired' && result.desk.primary).toBe(false);
      expect((await store.listDesks('w1')).map((d) => [d.id, d.primary])).toEqual([
        ['d1', true],
        ['d2', false],
      ]);
      expect(await store.pairDesk({ codeHash: sha('code-2'), publicKey: publicKey(7), desk: newDesk('d3') })).toEqual({ kind: 'invalid_code' });
    });

    it('replaces and clears pairing codes', async () => {
      const store = await fresh();
      await addWorkspace(store, 'w1', 'old');
      expect(await store.setPairingCode('w1', sha('new'))).toBe(true);
      expect(await store.pairDesk({ codeHash: sha('old'), publicKey: publicKey(1), desk: newDesk('d1') })).toEqual({ kind: 'invalid_code' });
      expect(await store.setPairingCode('w1', null)).toBe(true);
      expect(await store.pairDesk({ codeHash: sha('new'), publicKey: publicKey(1), desk: newDesk('d1') })).toEqual({ kind: 'invalid_code' });
      expect(await store.setPairingCode('nope', sha('x'))).toBe(false);
    });

    it('numbers events per workspace from 1 without gaps, independently between workspaces', async () => {
      const store = await fresh();
      await addWorkspace(store, 'w1');
      await addWorkspace(store, 'w2');
      expect(await store.appendEvents([])).toEqual([]);
      expect(await store.appendEvents([event('w1', 'a'), event('w1', 'b')])).toEqual([1, 2]);
      expect(await store.appendEvents([event('w2', 'x'), event('w1', 'c'), event('w2', 'y'), event('w1', 'd')])).toEqual([1, 3, 2, 4]);
      expect(await store.appendEvents([event('w2', 'z')])).toEqual([3]);
      expect((await store.getWorkspace('w1'))?.lastSeq).toBe(4);
      expect((await store.getWorkspace('w2'))?.lastSeq).toBe(3);
      expect((await store.readEvents('w1', 0, 100)).map((e) => [e.seq, text(e.sealed)])).toEqual([
        [1, 'a'],
        [2, 'b'],
        [3, 'c'],
        [4, 'd'],
      ]);
      expect((await store.readEvents('w2', 0, 100)).map((e) => [e.seq, text(e.sealed)])).toEqual([
        [1, 'x'],
        [2, 'y'],
        [3, 'z'],
      ]);
    });

    it('appends a batch all or nothing: an unknown workspace fails it whole', async () => {
      const store = await fresh();
      await addWorkspace(store, 'w1');
      await expect(store.appendEvents([event('w1', 'a'), event('nope', 'b')])).rejects.toThrow(/unknown workspace nope/);
      expect(await store.readEvents('w1', 0, 10)).toEqual([]);
      expect((await store.getWorkspace('w1'))?.lastSeq).toBe(0);
      expect(await store.appendEvents([event('w1', 'a')])).toEqual([1]);
    });

    it('reads events after a cursor, oldest first, at most limit, with every field as stored', async () => {
      const store = await fresh();
      await pairedWorkspace(store, 'w1', ['d1']);
      await store.appendEvents(Array.from({ length: 10 }, (_, i) => event('w1', `e${i + 1}`, t0 + i, i % 2 ? 'd1' : null)));
      const page = await store.readEvents('w1', 3, 4);
      expect(page.map((e) => e.seq)).toEqual([4, 5, 6, 7]);
      expect(page[0]).toMatchObject({ workspaceId: 'w1', seq: 4, kind: 'desk', fromDeskId: 'd1', receivedAt: t0 + 3 });
      expect(page[1]).toMatchObject({ workspaceId: 'w1', seq: 5, kind: 'meta', fromDeskId: null, receivedAt: t0 + 4 });
      expect(page.map((e) => text(e.sealed))).toEqual(['e4', 'e5', 'e6', 'e7']);
      expect((await store.readEvents('w1', 8, 100)).map((e) => e.seq)).toEqual([9, 10]);
      expect(await store.readEvents('w1', 10, 100)).toEqual([]);
      expect(await store.readEvents('other', 0, 100)).toEqual([]);
      expect(await store.readEvents('w1', 0, 0)).toEqual([]);
      await expect(store.readEvents('w1', 0, -1)).rejects.toThrow(RangeError);
    });

    it('returns sealed bytes exactly as given', async () => {
      const store = await fresh();
      await addWorkspace(store, 'w1');
      const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i);
      const big = new Uint8Array(1 << 20).map((_, i) => (i * 7919) % 251);
      // A view into a larger buffer: only its own bytes are stored.
      const view = new Uint8Array([9, 9, 1, 2, 3, 9, 9]).subarray(2, 5);
      const samples = [allBytes, big, view, new Uint8Array([0]), Buffer.from('sealed box')];
      await store.appendEvents(samples.map((sealed) => ({ workspaceId: 'w1', kind: 'meta' as const, fromDeskId: null, receivedAt: t0, sealed })));
      const stored = await store.readEvents('w1', 0, 10);
      expect(stored).toHaveLength(samples.length);
      stored.forEach((e, i) => {
        expect(e.sealed).toBeInstanceOf(Uint8Array);
        expect(sameBytes(e.sealed, samples[i]!)).toBe(true);
      });
      expect(await store.eventStats()).toEqual({ events: 5, bytes: 256 + (1 << 20) + 3 + 1 + 10 });
    });

    it('moves acknowledgements forward only, and never past the last event', async () => {
      const store = await fresh();
      await pairedWorkspace(store, 'w1', ['d1']);
      await store.appendEvents(Array.from({ length: 5 }, (_, i) => event('w1', `e${i}`)));
      await store.ack('d1', 3);
      expect((await store.getDesk('d1'))?.ackedSeq).toBe(3);
      await store.ack('d1', 1);
      expect((await store.getDesk('d1'))?.ackedSeq).toBe(3);
      await store.ack('d1', 99);
      expect((await store.getDesk('d1'))?.ackedSeq).toBe(5);
      await store.ack('unknown-desk', 2);
    });

    it('prunes events every desk acknowledged and events past the age limit, and no other', async () => {
      const store = await fresh();
      await pairedWorkspace(store, 'w1', ['d1', 'd2']);
      await pairedWorkspace(store, 'w2', ['d3']);
      await addWorkspace(store, 'lonely');
      const old = t0 - 8 * day;
      const limit = t0 - 7 * day;
      // w1: 1-5 recent, 6 old (seq order is not time order: a late webhook), 7-8 recent.
      await store.appendEvents([1, 2, 3, 4, 5].map((i) => event('w1', `w1-${i}`)));
      await store.appendEvents([event('w1', 'w1-6', old), event('w1', 'w1-7'), event('w1', 'w1-8')]);
      await store.appendEvents([event('w2', 'w2-1'), event('w2', 'w2-2')]);
      await store.appendEvents([event('lonely', 'l-1', old), event('lonely', 'l-2'), event('lonely', 'l-3')]);
      await store.ack('d1', 4);
      await store.ack('d2', 2);
      await store.ack('d3', 2);

      // w1: 1-2 (acked by both) and 6 (old); w2: both; lonely (no desks): only the old one.
      expect(await store.prune(limit)).toBe(2 + 1 + 2 + 1);
      expect((await store.readEvents('w1', 0, 100)).map((e) => e.seq)).toEqual([3, 4, 5, 7, 8]);
      expect(await store.readEvents('w2', 0, 100)).toEqual([]);
      expect((await store.readEvents('lonely', 0, 100)).map((e) => e.seq)).toEqual([2, 3]);
      expect((await store.eventStats()).events).toBe(7);
      expect(await store.prune(limit)).toBe(0);

      await store.ack('d2', 5);
      expect(await store.prune(limit)).toBe(2);
      expect((await store.readEvents('w1', 0, 100)).map((e) => e.seq)).toEqual([5, 7, 8]);
      // The numbering goes on after pruning.
      expect(await store.appendEvents([event('w2', 'w2-3')])).toEqual([3]);
      // A later limit takes the rest.
      expect(await store.prune(t0 + 1)).toBe(3 + 1 + 2);
      expect(await store.eventStats()).toEqual({ events: 0, bytes: 0 });
    });

    it('keeps the oldest remaining desk as primary when the primary is removed', async () => {
      const store = await fresh();
      await pairedWorkspace(store, 'w1', ['d1', 'd2', 'd3']);
      expect(await store.removeDesk('d2')).toBe(true);
      expect((await store.listDesks('w1')).map((d) => [d.id, d.primary])).toEqual([
        ['d1', true],
        ['d3', false],
      ]);
      await store.setPairingCode('w1', sha('code-4'));
      await store.pairDesk({ codeHash: sha('code-4'), publicKey: publicKey(7), desk: newDesk('d4', t0 + day) });
      expect(await store.removeDesk('d1')).toBe(true);
      expect((await store.listDesks('w1')).map((d) => [d.id, d.primary])).toEqual([
        ['d3', true],
        ['d4', false],
      ]);
      expect(await store.removeDesk('d1')).toBe(false);
      expect(await store.removeDesk('nope')).toBe(false);
      expect(await store.getDesk('d1')).toBeNull();
    });

    it('removes the last desk, and the next desk paired becomes primary', async () => {
      const store = await fresh();
      await pairedWorkspace(store, 'w1', ['d1']);
      expect(await store.removeDesk('d1')).toBe(true);
      expect(await store.listDesks('w1')).toEqual([]);
      await store.setPairingCode('w1', sha('again'));
      const result = await store.pairDesk({ codeHash: sha('again'), publicKey: publicKey(7), desk: newDesk('d2') });
      expect(result.kind === 'paired' && result.desk.primary).toBe(true);
    });

    it('sets exactly one primary desk per workspace', async () => {
      const store = await fresh();
      await pairedWorkspace(store, 'w1', ['d1', 'd2', 'd3']);
      await pairedWorkspace(store, 'w2', ['e1', 'e2']);
      expect(await store.setPrimary('d3')).toBe(true);
      expect((await store.listDesks('w1')).filter((d) => d.primary).map((d) => d.id)).toEqual(['d3']);
      expect(await store.setPrimary('d3')).toBe(true);
      expect(await store.setPrimary('d2')).toBe(true);
      expect((await store.listDesks('w1')).filter((d) => d.primary).map((d) => d.id)).toEqual(['d2']);
      // Other workspaces keep theirs.
      expect((await store.listDesks('w2')).filter((d) => d.primary).map((d) => d.id)).toEqual(['e1']);
      expect(await store.setPrimary('nope')).toBe(false);
      expect((await store.listDesks('w1')).filter((d) => d.primary).map((d) => d.id)).toEqual(['d2']);
    });

    it('records when a desk was last seen, never moving back', async () => {
      const store = await fresh();
      await pairedWorkspace(store, 'w1', ['d1']);
      await store.touchDesk('d1', t0 + 500);
      expect((await store.getDesk('d1'))?.lastSeenAt).toBe(t0 + 500);
      await store.touchDesk('d1', t0 + 100);
      expect((await store.getDesk('d1'))?.lastSeenAt).toBe(t0 + 500);
      await store.touchDesk('d1', t0 + 900);
      expect((await store.getDesk('d1'))?.lastSeenAt).toBe(t0 + 900);
      await store.touchDesk('nope', t0);
    });

    it('numbers concurrent appends gap-free per workspace, and a reader following its cursor skips nothing', async () => {
      const store = await fresh();
      const workspaces = ['w1', 'w2', 'w3'];
      for (const id of workspaces) await addWorkspace(store, id);
      const batches = Array.from({ length: 50 }, (_, call) =>
        Array.from({ length: 1 + (call % 5) }, (_, i) => event(workspaces[(call + i) % 3]!, `call ${call} event ${i}`)),
      );

      // Reads w1 after its cursor while the appends run: it must see seqs one after another, never a gap.
      let appending = true;
      const followed: number[] = [];
      const reader = (async () => {
        let cursor = 0;
        for (;;) {
          const done = !appending;
          for (const e of await store.readEvents('w1', cursor, 1_000)) {
            expect(e.seq).toBe(cursor + 1);
            cursor = e.seq;
            followed.push(e.seq);
          }
          if (done) return;
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      const appends = Promise.all(batches.map((batch) => store.appendEvents(batch))).finally(() => {
        appending = false;
      });
      const [results] = await Promise.all([appends, reader]);

      const expectedText = new Map<string, string>();
      batches.forEach((batch, call) => {
        expect(results[call]).toHaveLength(batch.length);
        batch.forEach((e, i) => expectedText.set(`${e.workspaceId}#${results[call]![i]}`, text(e.sealed)));
      });
      for (const id of workspaces) {
        const count = batches.flat().filter((e) => e.workspaceId === id).length;
        const stored = await store.readEvents(id, 0, 10_000);
        expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
        // Each call got the seqs its own events were stored under.
        for (const e of stored) expect(text(e.sealed)).toBe(expectedText.get(`${id}#${e.seq}`));
        expect((await store.getWorkspace(id))?.lastSeq).toBe(count);
      }
      expect(followed).toEqual(Array.from({ length: followed.length }, (_, i) => i + 1));
      expect(followed.length).toBe(batches.flat().filter((e) => e.workspaceId === 'w1').length);
    });

    it('tells subscribers which workspace got events, after they are committed', async () => {
      const store = await fresh();
      const w1 = `w-${randomUUID()}`;
      const w2 = `w-${randomUUID()}`;
      await addWorkspace(store, w1);
      await addWorkspace(store, w2);
      const heard: string[] = [];
      const visible: number[] = [];
      const unsubscribe = store.subscribe((workspaceId) => {
        heard.push(workspaceId);
        // Committed by the time the listener runs: a read from here sees the events.
        if (workspaceId === w1) void store.readEvents(w1, 0, 10).then((events) => visible.push(events.length));
      });
      const other: string[] = [];
      const unsubscribeOther = store.subscribe((workspaceId) => other.push(workspaceId));

      await store.appendEvents([event(w1, 'a'), event(w1, 'b'), event(w2, 'c')]);
      await eventually(() => expect([...heard].sort()).toEqual([w1, w2].sort()));
      await eventually(() => expect(visible).toEqual([2]));
      await eventually(() => expect(other).toHaveLength(2));

      unsubscribe();
      await store.appendEvents([event(w2, 'd')]);
      await eventually(() => expect(other).toHaveLength(3));
      expect(heard).toHaveLength(2);
      unsubscribeOther();
    });

    it('does not notify for a failed append', async () => {
      const store = await fresh();
      const w1 = `w-${randomUUID()}`;
      await addWorkspace(store, w1);
      const heard: string[] = [];
      store.subscribe((workspaceId) => heard.push(workspaceId));
      await expect(store.appendEvents([event(w1, 'a'), event('nope', 'b')])).rejects.toThrow();
      await store.appendEvents([event(w1, 'c')]);
      await eventually(() => expect(heard).toEqual([w1]));
      // Give a stray notification of the failed append time to show up.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(heard).toEqual([w1]);
    });

    it('links a new desk: find by code, approve, collect once with the right secret', async () => {
      const store = await fresh();
      await pairedWorkspace(store, 'w1', ['d1']);
      const link = { id: 'l1', codeHash: sha('123456'), secretHash: sha('secret'), publicKey: publicKey(3), deskName: 'New desk', createdAt: t0, expiresAt: t0 + 600_000 };
      await store.createLink(link);

      const found = await store.findLinkByCode(sha('123456'), t0 + 1_000);
      expect(found).toMatchObject({ id: 'l1', deskName: 'New desk', createdAt: t0, expiresAt: t0 + 600_000, workspaceId: null, approvedBy: null, sealedKeys: null, deskId: null });
      expect(sameBytes(found?.codeHash, sha('123456'))).toBe(true);
      expect(sameBytes(found?.secretHash, sha('secret'))).toBe(true);
      expect(sameBytes(found?.publicKey, publicKey(3))).toBe(true);
      expect(await store.findLinkByCode(sha('123456'), t0 + 600_000)).toBeNull();
      expect(await store.findLinkByCode(sha('654321'), t0 + 1_000)).toBeNull();

      // Before approval: the new desk polls and is told to wait; a wrong secret learns nothing.
      expect(await store.collectLink('l1', sha('secret'), newDesk('n1'), t0 + 2_000)).toEqual({ kind: 'pending' });
      expect(await store.collectLink('l1', sha('wrong'), newDesk('n1'), t0 + 2_000)).toEqual({ kind: 'gone' });

      const sealedKeys = Buffer.from('workspace keys sealed to the new desk');
      expect(await store.approveLink('l1', { workspaceId: 'w1', approvedBy: 'd1', sealedKeys }, t0 + 3_000)).toBe(true);
      expect(await store.approveLink('l1', { workspaceId: 'w1', approvedBy: 'd1', sealedKeys }, t0 + 3_000)).toBe(false);
      // Approved is no longer pending.
      expect(await store.findLinkByCode(sha('123456'), t0 + 3_000)).toBeNull();

      expect(await store.collectLink('l1', sha('wrong'), newDesk('n1'), t0 + 4_000)).toEqual({ kind: 'gone' });
      expect((await store.getLink('l1'))?.deskId).toBeNull();
      expect(await store.getDesk('n1')).toBeNull();

      const collected = await store.collectLink('l1', sha('secret'), newDesk('n1', t0 + 5_000), t0 + 5_000);
      if (collected.kind !== 'collected') throw new Error(`expected collected, got ${collected.kind}`);
      expect(collected.link).toMatchObject({ id: 'l1', workspaceId: 'w1', approvedBy: 'd1', deskId: 'n1' });
      expect(sameBytes(collected.link.sealedKeys, sealedKeys)).toBe(true);
      expect(collected.desk).toMatchObject({ id: 'n1', workspaceId: 'w1', name: 'Desk n1', primary: false, ackedSeq: 0, pairedAt: t0 + 5_000 });
      expect((await store.listDesks('w1')).map((d) => [d.id, d.primary])).toEqual([
        ['d1', true],
        ['n1', false],
      ]);

      expect(await store.collectLink('l1', sha('secret'), newDesk('n2'), t0 + 6_000)).toEqual({ kind: 'gone' });
      expect(await store.getDesk('n2')).toBeNull();
      expect(await store.collectLink('unknown', sha('secret'), newDesk('n3'), t0)).toEqual({ kind: 'gone' });
    });

    it('refuses to approve or collect an expired link', async () => {
      const store = await fresh();
      await pairedWorkspace(store, 'w1', ['d1']);
      const base = { codeHash: sha('1'), secretHash: sha('s'), publicKey: publicKey(3), deskName: 'New', createdAt: t0, expiresAt: t0 + 1_000 };
      await store.createLink({ ...base, id: 'late' });
      await store.createLink({ ...base, id: 'slow', codeHash: sha('2') });
      const approval = { workspaceId: 'w1', approvedBy: 'd1', sealedKeys: Buffer.from('keys') };
      expect(await store.approveLink('late', approval, t0 + 1_000)).toBe(false);
      expect(await store.approveLink('slow', approval, t0 + 999)).toBe(true);
      expect(await store.collectLink('slow', sha('s'), newDesk('n1'), t0 + 1_000)).toEqual({ kind: 'gone' });
      expect(await store.approveLink('unknown', approval, t0)).toBe(false);
      // Foreign keys hold: a link cannot be approved into a workspace that does not exist.
      await store.createLink({ ...base, id: 'stray', codeHash: sha('3') });
      await expect(store.approveLink('stray', { ...approval, workspaceId: 'nope' }, t0)).rejects.toThrow();
      expect((await store.listDesks('w1')).map((d) => d.id)).toEqual(['d1']);
    });

    it('prunes expired and collected links, and keeps the others', async () => {
      const store = await fresh();
      await pairedWorkspace(store, 'w1', ['d1']);
      const link = (id: string, expiresAt: number) => ({ id, codeHash: sha(id), secretHash: sha(`s-${id}`), publicKey: publicKey(3), deskName: id, createdAt: t0, expiresAt });
      await store.createLink(link('expired', t0 + 10));
      await store.createLink(link('pending', t0 + 1_000));
      await store.createLink(link('approved', t0 + 1_000));
      await store.createLink(link('collected', t0 + 1_000));
      const approval = { workspaceId: 'w1', approvedBy: 'd1', sealedKeys: Buffer.from('keys') };
      await store.approveLink('approved', approval, t0);
      await store.approveLink('collected', approval, t0);
      expect((await store.collectLink('collected', sha('s-collected'), newDesk('n1'), t0)).kind).toBe('collected');

      expect(await store.pruneLinks(t0 + 10)).toBe(2);
      expect(await store.getLink('expired')).toBeNull();
      expect(await store.getLink('collected')).toBeNull();
      expect((await store.getLink('pending'))?.id).toBe('pending');
      expect((await store.getLink('approved'))?.workspaceId).toBe('w1');
      expect(await store.pruneLinks(t0 + 10)).toBe(0);
      // The desk the collected link made stays.
      expect(await store.getDesk('n1')).not.toBeNull();
    });
  });
}
