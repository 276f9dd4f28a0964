/**
 * Helpers for the relay's HTTP tests: a relay started in-process on 127.0.0.1 port 0 over a fresh store
 * (SQLite, and PostgreSQL when FRONTDESK_TEST_POSTGRES_URL names a server), workspaces added straight through
 * the store, desk key pairs, Meta's signing, Meta's real webhook payloads read from ../shared/cloud-api/fixtures
 * (never copied), and small HTTP wrappers that send exact bytes.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Agent, OutgoingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { expect, onTestFinished } from 'vitest';
import { signBody } from '../../electron/core/cloud/signature';
import { createLogger } from '../../electron/core/logger';
import type { LogFields } from '../../electron/core/ports';
import { loadSodium } from '../../electron/core/vault/sodium';
import type { Sodium } from '../../electron/core/vault/sodium';
import { relayConfigSchema } from '../../relay/src/config';
import type { RelayConfig } from '../../relay/src/config';
import { newId, newPairingCode, newVerifyToken, sha256 } from '../../relay/src/credentials';
import { startRelayServer } from '../../relay/src/server';
import type { RelayServer } from '../../relay/src/server';
import { openStore } from '../../relay/src/store/open-store';
import type { RelayStore, StoredEvent } from '../../relay/src/store/types';
import { pairResponseSchema, relayErrorSchema, relayMetaPrefix } from '../../shared/relay/protocol';
import type { RelayErrorCode } from '../../shared/relay/protocol';
import { decodeEnvelope } from '../../shared/relay/sealed-envelope';
import type { Envelope } from '../../shared/relay/sealed-envelope';

import { httpRequest } from '../core/cloud/receiver-support';
import type { HttpResult } from '../core/cloud/receiver-support';
export { metaEncode, textWebhook } from '../core/cloud/receiver-support';

export const repoRoot = join(import.meta.dirname, '../..');
export const fixturesDir = process.env.FRONTDESK_FIXTURES_DIR ?? join(repoRoot, '../shared/cloud-api/fixtures');

/** A fresh temp folder removed when the test ends. */
export function tempDir(prefix = 'frontdesk-relay-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// ---- Storage variants ----

export interface OpenedStore {
  store: RelayStore;
  /** For SQLite: the database file (its `-wal` beside it), to look at what reaches the disk. */
  file?: string;
  /** Closes the store and removes what the variant created (the temp folder, the PostgreSQL schema). */
  dispose(): Promise<void>;
}

export interface StorageVariant {
  name: 'sqlite' | 'postgres';
  open(): Promise<OpenedStore>;
}

const sqliteVariant: StorageVariant = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-relay-sqlite-'));
    const file = join(dir, 'relay.db');
    const store = await openStore({ kind: 'sqlite', path: file });
    return {
      store,
      file,
      async dispose() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/**
 * A URL on the test server whose connections (pool and LISTEN) all use a schema of their own, created here and
 * dropped by `drop()`: every relay in these tests starts on empty tables.
 */
export async function freshPostgresSchema(baseUrl: string): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const schema = `relay_http_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE SCHEMA ${schema}`);
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), schema, drop: () => admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}

function postgresVariant(baseUrl: string): StorageVariant {
  return {
    name: 'postgres',
    async open() {
      const fresh = await freshPostgresSchema(baseUrl);
      const store = await openStore({ kind: 'postgres', url: fresh.url, poolSize: 4 });
      return {
        store,
        async dispose() {
          await store.close();
          await fresh.drop();
        },
      };
    },
  };
}

let warnedNoPostgres = false;

/**
 * SQLite always; PostgreSQL when FRONTDESK_TEST_POSTGRES_URL is set (`bash scripts/test-postgres.sh` starts a
 * throwaway server and prints its URL). On CI (`CI` set) a missing URL fails the suite instead of quietly
 * testing one storage only.
 */
export function storageVariants(): StorageVariant[] {
  const url = process.env.FRONTDESK_TEST_POSTGRES_URL;
  if (url) return [sqliteVariant, postgresVariant(url)];
  if (process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0') {
    throw new Error('FRONTDESK_TEST_POSTGRES_URL is not set: on CI the relay suites must run on PostgreSQL as well as SQLite (scripts/test-postgres.sh starts a server and prints its URL).');
  }
  if (!warnedNoPostgres) {
    warnedNoPostgres = true;
    console.warn('Relay tests: FRONTDESK_TEST_POSTGRES_URL is not set, so the PostgreSQL runs were skipped (SQLite only).');
  }
  return [sqliteVariant];
}

// ---- A relay in-process ----

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields?: LogFields;
}

export type RelayConfigInput = Partial<Omit<RelayConfig, 'limits' | 'listen' | 'storage'>> & { limits?: Partial<RelayConfig['limits']> };

export interface TestWorkspace {
  id: string;
  name: string;
  verifyToken: string;
  appSecret: string;
  /** The pairing code as the operator reads it out: `ABCD-EFGH-JKMN-PQRS`. */
  pairingCode: string;
  /** `/meta/<id>`: Meta's callback path. */
  metaPath: string;
}

export interface TestDesk {
  workspaceId: string;
  deskId: string;
  token: string;
  primary: boolean;
  keys: DeskKeys;
}

export interface DeskKeys {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

export interface TestRelay {
  server: RelayServer;
  store: RelayStore;
  /** The SQLite file, when the variant is SQLite. */
  file?: string;
  url: string;
  config: RelayConfig;
  sodium: Sodium;
  logs: LogEntry[];
  /** Everything logged, as one string to search. */
  logText(): string;
  /** Resolves with the result of the next `readEvents` the relay makes for the workspace (a pull is then waiting). */
  nextRead(workspaceId: string): Promise<StoredEvent[]>;
  addWorkspace(name?: string): Promise<TestWorkspace>;
  /** A new one-time pairing code for the workspace (what `pairing-code` on the command line does). */
  newPairingCode(workspaceId: string): Promise<string>;
  /** Pairs a desk over HTTP with the code; `keys` is the workspace key pair (a fresh one by default). */
  pairDesk(code: string, options?: { keys?: DeskKeys; deskName?: string }): Promise<TestDesk>;
  /** One request to the relay; a JSON value as `json` is sent as JSON, `body` as exact bytes. */
  request(method: string, path: string, options?: { token?: string; json?: unknown; body?: Buffer | string; headers?: OutgoingHttpHeaders }): Promise<JsonResult>;
  /** Posts exact bytes to a workspace's callback URL, signed with `secret` (unless `headers` say otherwise). */
  postMeta(workspaceId: string, body: Buffer, options?: { secret?: string; headers?: OutgoingHttpHeaders }): Promise<HttpResult>;
}

export interface JsonResult extends HttpResult {
  /** The parsed JSON body (undefined when it is not JSON). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read fields of whatever came back
  json: any;
}

/** Limits high enough that no ordinary test trips a rate limit (the rate-limit tests set their own). */
const relaxedLimits = { failuresPerMinute: 100_000, pairingPerMinute: 100_000, deskRequestsPerSecond: 100_000 };

/** The relay's config as a test uses it: 127.0.0.1, port 0, and the given fields (validated by the real schema). */
export function testConfig(input: RelayConfigInput = {}): RelayConfig {
  const { limits, ...rest } = input;
  return relayConfigSchema.parse({
    listen: { host: '127.0.0.1', port: 0 },
    publicUrl: 'https://relay.example.test',
    storage: { kind: 'sqlite', path: 'unused-by-startRelayServer.db' },
    ...rest,
    limits: { ...relaxedLimits, ...limits },
  });
}

/** Starts a relay on a fresh store of `variant`; it and its store are closed (in that order) when the test ends. */
export async function startRelay(variant: StorageVariant, input: RelayConfigInput = {}): Promise<TestRelay> {
  const opened = await variant.open();
  const readWaiters: Array<{ workspaceId: string; resolve: (events: StoredEvent[]) => void }> = [];
  // The relay sees the real store, with its reads reported to `nextRead`.
  const store = new Proxy(opened.store, {
    get(target, property) {
      if (property === 'readEvents') {
        return async (workspaceId: string, afterSeq: number, limit: number) => {
          const events = await target.readEvents(workspaceId, afterSeq, limit);
          for (let i = readWaiters.length - 1; i >= 0; i--) {
            if (readWaiters[i]!.workspaceId === workspaceId) readWaiters.splice(i, 1)[0]!.resolve(events);
          }
          return events;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  const logs: LogEntry[] = [];
  const logger = createLogger({ log: (level, message, fields) => void logs.push({ level, message, fields }) });
  const config = testConfig(input);
  let server: RelayServer;
  try {
    server = await startRelayServer({ config, store, logger });
  } catch (error) {
    await opened.dispose();
    throw error;
  }
  onTestFinished(async () => {
    await server.close();
    await opened.dispose();
  });
  const sodium = await loadSodium();
  const url = server.url;

  const relay: TestRelay = {
    server,
    store: opened.store,
    file: opened.file,
    url,
    config,
    sodium,
    logs,
    logText: () => JSON.stringify(logs),
    nextRead: (workspaceId) => new Promise((resolve) => readWaiters.push({ workspaceId, resolve })),

    async addWorkspace(name = 'Clinic') {
      const id = newId();
      const pairing = newPairingCode();
      const workspace = { id, name, verifyToken: newVerifyToken(), appSecret: `app-secret-${randomBytes(16).toString('hex')}` };
      await opened.store.addWorkspace({ ...workspace, pairingCodeHash: sha256(pairing.code), createdAt: Date.now() });
      return { ...workspace, pairingCode: pairing.display, metaPath: `${relayMetaPrefix}${id}` };
    },

    async newPairingCode(workspaceId) {
      const pairing = newPairingCode();
      expect(await opened.store.setPairingCode(workspaceId, sha256(pairing.code))).toBe(true);
      return pairing.display;
    },

    async pairDesk(code, options = {}) {
      const keys = options.keys ?? deskKeyPair(sodium);
      const result = await relay.request('POST', '/v1/pair', { json: { code, publicKey: b64url(keys.publicKey), deskName: options.deskName ?? 'Reception' } });
      expect(result.status, result.text).toBe(200);
      return { ...pairResponseSchema.parse(result.json), keys };
    },

    async request(method, path, options = {}) {
      const headers: OutgoingHttpHeaders = { ...options.headers };
      if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
      let body: Buffer | undefined;
      if (options.json !== undefined) {
        body = Buffer.from(JSON.stringify(options.json));
        headers['Content-Type'] ??= 'application/json';
      } else if (options.body !== undefined) {
        body = Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body);
        headers['Content-Type'] ??= 'application/json';
      }
      const result = await send(`${url}${path}`, { method, headers, body });
      let json: unknown;
      try {
        json = JSON.parse(result.text);
      } catch {
        json = undefined;
      }
      return { ...result, json };
    },

    postMeta(workspaceId, body, options = {}) {
      const headers = options.headers ?? { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signBody(body, options.secret ?? 'no secret given') };
      return send(`${url}${relayMetaPrefix}${encodeURIComponent(workspaceId)}`, { method: 'POST', headers, body });
    },
  };
  return relay;
}

export type { HttpResult } from '../core/cloud/receiver-support';

/**
 * One HTTP request with exactly these body bytes; resolves with the response (an early answer to a request
 * still being sent counts). Without an agent it has a connection of its own, so closing the relay never waits
 * for an idle keep-alive socket.
 */
export function send(url: string, options: { method?: string; headers?: OutgoingHttpHeaders; body?: Buffer; agent?: Agent | false } = {}): Promise<HttpResult> {
  return httpRequest(url, { ...options, agent: options.agent ?? false });
}

// ---- Keys, sealing, signing ----

/** A desk's X25519 key pair (the workspace key pair, for the first desk). */
export function deskKeyPair(sodium: Sodium): DeskKeys {
  const { publicKey, privateKey } = sodium.crypto_box_keypair();
  return { publicKey, privateKey };
}

export const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
export const fromB64url = (text: string): Buffer => Buffer.from(text, 'base64url');

/** Opens a sealed event with the workspace keys and decodes its envelope (fails the test if either fails). */
export function openSealed(sodium: Sodium, keys: DeskKeys, sealed: Uint8Array | string): Envelope {
  const bytes = typeof sealed === 'string' ? fromB64url(sealed) : sealed;
  const opened = sodium.crypto_box_seal_open(bytes, keys.publicKey, keys.privateKey);
  const envelope = decodeEnvelope(opened);
  expect(envelope).not.toBeNull();
  return envelope!;
}

/** What Meta sends with a body: its signature over exactly those bytes. */
export function metaHeaders(body: Uint8Array, appSecret: string): OutgoingHttpHeaders {
  return { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signBody(body, appSecret) };
}

/** Asserts the relay's stable error shape `{ error: { code, message } }` with this status and code. */
export function expectError(result: JsonResult, status: number, code: RelayErrorCode): void {
  expect(result.status, result.text).toBe(status);
  expect(relayErrorSchema.parse(result.json).error.code).toBe(code);
  expect(result.json.error.message.length).toBeGreaterThan(0);
  expect(result.headers['content-type']).toMatch(/^application\/json/);
}

// ---- Meta's fixtures ----

/**
 * The webhook payloads among Meta's fixtures, found as fixtures-replay finds them (`webhook-*.json` and
 * `status-*.json`), sorted; empty when the folder is absent.
 */
export function webhookFixtureNames(): string[] {
  if (!existsSync(fixturesDir)) return [];
  return readdirSync(fixturesDir)
    .filter((n) => /^(webhook|status)-.*\.json$/.test(n))
    .sort();
}

export function fixtureBytes(name: string): Buffer {
  return readFileSync(join(fixturesDir, name));
}
