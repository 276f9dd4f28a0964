import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../relay/src/store/open-store';
import { openPostgresStore } from '../../../relay/src/store/postgres-store';
import type { RelayStore } from '../../../relay/src/store/types';
import { addWorkspace, describeStoreContract, event, eventually } from './store-contract';

/**
 * Runs against the database in FRONTDESK_TEST_POSTGRES_URL (scripts/test-postgres.sh starts a throwaway
 * cluster and prints one). Every store gets its own schema (search_path in the connection options), so tests
 * never see each other's rows.
 */
const url = process.env.FRONTDESK_TEST_POSTGRES_URL;
const ci = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
if (!url && ci) {
  throw new Error('FRONTDESK_TEST_POSTGRES_URL is unset: in CI the PostgreSQL relay store tests must run (.ci/run starts scripts/test-postgres.sh and exports it)');
}
if (!url) console.warn('PostgreSQL relay store tests are not run: FRONTDESK_TEST_POSTGRES_URL is unset (scripts/test-postgres.sh prints one).');

describe.skipIf(!url)('PostgreSQL relay store', () => {
  let admin: pg.Pool;
  const schemas: string[] = [];

  beforeAll(() => {
    admin = new pg.Pool({ connectionString: url, max: 2 });
  });
  afterAll(async () => {
    await dropSchemas();
    await admin.end();
  });

  async function freshSchema(): Promise<{ schema: string; url: string }> {
    const schema = `relay_test_${randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE SCHEMA ${schema}`);
    schemas.push(schema);
    const withPath = new URL(url!);
    withPath.searchParams.set('options', `-c search_path=${schema}`);
    return { schema, url: withPath.toString() };
  }

  async function dropSchemas(): Promise<void> {
    for (const schema of schemas.splice(0)) await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  }

  describeStoreContract('contract', async () => openStore({ kind: 'postgres', url: (await freshSchema()).url }), dropSchemas);

  describe('several relay instances on one database', () => {
    const stores: RelayStore[] = [];
    const track = (store: RelayStore) => (stores.push(store), store);
    afterEach(async () => {
      for (const store of stores.splice(0)) await store.close();
      await dropSchemas();
    });

    it('migrate at once without harm, the schema created once', async () => {
      const { schema, url: schemaUrl } = await freshSchema();
      const opened = await Promise.all(Array.from({ length: 4 }, () => openStore({ kind: 'postgres', url: schemaUrl, poolSize: 2 })));
      opened.forEach(track);
      const { rows } = await admin.query<{ version: number }>(`SELECT version FROM ${schema}.relay_schema_version`);
      expect(rows.map((r) => r.version)).toEqual([1]);
      await addWorkspace(opened[0]!, 'w1');
      expect((await opened[3]!.getWorkspace('w1'))?.id).toBe('w1');
    });

    it('hear each other: a second instance is told of the first one’s append', async () => {
      const { url: schemaUrl } = await freshSchema();
      const first = track(await openStore({ kind: 'postgres', url: schemaUrl }));
      const second = track(await openStore({ kind: 'postgres', url: schemaUrl }));
      await addWorkspace(first, 'w1');
      const heard: string[] = [];
      second.subscribe((workspaceId) => heard.push(workspaceId));
      await first.appendEvents([event('w1', 'from the first instance')]);
      await eventually(() => expect(heard).toEqual(['w1']));
      expect((await second.readEvents('w1', 0, 10)).map((e) => e.seq)).toEqual([1]);
    });

    it('number one workspace gap-free when both append at once', async () => {
      const { url: schemaUrl } = await freshSchema();
      const a = track(await openStore({ kind: 'postgres', url: schemaUrl, poolSize: 5 }));
      const b = track(await openStore({ kind: 'postgres', url: schemaUrl, poolSize: 5 }));
      await addWorkspace(a, 'w1');
      const calls = Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).appendEvents(Array.from({ length: 1 + (i % 3) }, () => event('w1', `call ${i}`))));
      const seqs = (await Promise.all(calls)).flat().sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect((await b.readEvents('w1', 0, 1_000)).map((e) => e.seq)).toEqual(seqs);
    });

    it('refuse a schema newer than they know', async () => {
      const { schema, url: schemaUrl } = await freshSchema();
      track(await openStore({ kind: 'postgres', url: schemaUrl }));
      await admin.query(`INSERT INTO ${schema}.relay_schema_version(version, applied_at) VALUES (2, 0)`);
      await expect(openStore({ kind: 'postgres', url: schemaUrl })).rejects.toThrow(/newer than this relay knows/);
    });
  });

  describe('the LISTEN connection', () => {
    it('reconnects when it is cut, reports the error, and wakes every workspace since notifications may be lost', async () => {
      const { url: schemaUrl } = await freshSchema();
      const errors: Error[] = [];
      const store = await openPostgresStore(schemaUrl, { onError: (error) => errors.push(error) });
      try {
        await store.migrate();
        await addWorkspace(store, 'w1');
        await addWorkspace(store, 'w2');
        const heard: string[] = [];
        store.subscribe((workspaceId) => heard.push(workspaceId));

        const cut = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN relay_events' AND pid <> pg_backend_pid()`,
        );
        expect(cut.rowCount).toBe(1);
        await eventually(() => expect([...heard].sort()).toEqual(['w1', 'w2']));
        expect(errors.length).toBeGreaterThan(0);

        heard.length = 0;
        await store.appendEvents([event('w2', 'after the reconnect')]);
        await eventually(() => expect(heard).toEqual(['w2']));
      } finally {
        await store.close();
        await dropSchemas();
      }
    });
  });

  it('fails to open when the server cannot be reached', async () => {
    const unreachable = new URL(url!);
    unreachable.port = '1';
    await expect(openPostgresStore(unreachable.toString())).rejects.toThrow(/ECONNREFUSED/);
  });
});
