/**
 * The relay as its operator runs it: `tsx relay/src/main.ts --config FILE` in a child process (on SQLite, and on
 * PostgreSQL when its URL is given), a
 * workspace added with the command line, a desk paired over HTTP, webhooks posted at once, the relay SIGKILLed
 * right after the last 200 and started again on the same config: nothing it acknowledged is lost or doubled.
 * Also the operator's commands `list`, `pairing-code` and `unpair`.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadSodium } from '../../electron/core/vault/sodium';
import { pairResponseSchema, pullResponseSchema } from '../../shared/relay/protocol';
import type { DeskKeys, HttpResult } from './relay-support';
import { b64url, deskKeyPair, freshPostgresSchema, metaHeaders, openSealed, repoRoot, send, storageVariants, tempDir, textWebhook } from './relay-support';

const tsx = join(repoRoot, 'node_modules/.bin/tsx');
const mainTs = join(repoRoot, 'relay/src/main.ts');
const publicUrl = 'https://relay.example.test';

/** A port nobody listens on right now (a throwaway server picks it, then lets it go). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once nothing accepts connections on the port (the killed relay's socket is gone). */
async function portClosed(port: number): Promise<void> {
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (!open) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A relative SQLite path is relative to the config file; PostgreSQL's URL comes from RELAY_DATABASE_URL. */
function writeConfig(dir: string, port: number, storage: 'sqlite' | 'postgres' = 'sqlite'): string {
  const file = join(dir, 'relay.json');
  writeFileSync(file, JSON.stringify({ listen: { host: '127.0.0.1', port }, publicUrl, storage: storage === 'sqlite' ? { kind: 'sqlite', path: 'relay.db' } : { kind: 'postgres' } }, null, 2));
  return file;
}

/** The environment a relay process gets: for PostgreSQL, a schema of its own on the test server. */
async function storageEnv(storage: 'sqlite' | 'postgres'): Promise<Record<string, string>> {
  if (storage === 'sqlite') return {};
  const fresh = await freshPostgresSchema(process.env.FRONTDESK_TEST_POSTGRES_URL!);
  onTestFinished(() => fresh.drop());
  return { RELAY_DATABASE_URL: fresh.url };
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** One operator command, as `npm run relay -- <command> --config FILE …` runs it. */
function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(tsx, [mainTs, ...args], { cwd: repoRoot, env: { ...process.env, RELAY_APP_SECRET: '', ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
    child.stdin?.end();
  });
}

interface AddedWorkspace {
  id: string;
  callbackUrl: string;
  verifyToken: string;
  pairingCode: string;
}

async function addWorkspace(config: string, appSecret: string, env: Record<string, string> = {}): Promise<AddedWorkspace> {
  const result = await cli(['add-workspace', '--config', config, '--name', 'Harbour Dental'], { ...env, RELAY_APP_SECRET: appSecret });
  expect(result, result.stderr).toMatchObject({ code: 0 });
  const field = (label: string) => new RegExp(`^${label}:\\s+(\\S+)`, 'm').exec(result.stdout)?.[1];
  const added = { id: field('Workspace')!, callbackUrl: field('Callback URL')!, verifyToken: field('Verify token')!, pairingCode: field('Pairing code')! };
  expect(added.id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  expect(added.callbackUrl).toBe(`${publicUrl}/meta/${added.id}`);
  expect(added.pairingCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  // The app secret is kept in the store, never printed.
  expect(result.stdout).not.toContain(appSecret);
  return added;
}

interface RunningRelay {
  url: string;
  stdout: () => string;
  /** SIGKILLs tsx and the node process it started (one process group); resolves once the port is free. */
  kill(): Promise<void>;
}

/** `tsx relay/src/main.ts --config FILE`, resolved once it logs that it listens. */
function serve(config: string, port: number, env: Record<string, string> = {}): Promise<RunningRelay> {
  return new Promise((resolve, reject) => {
    // Its own process group: tsx runs the relay in a child node process, and both must die at once.
    const child: ChildProcess = spawn(tsx, [mainTs, '--config', config], { cwd: repoRoot, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    onTestFinished(killGroup);
    const exited = new Promise<NodeJS.Signals | null>((done) => child.once('exit', (_code, signal) => done(signal)));
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (/"message":"Relay listening"/.test(stdout)) {
        resolve({
          url: `http://127.0.0.1:${port}`,
          stdout: () => stdout,
          async kill() {
            killGroup();
            expect(await exited).toBe('SIGKILL');
            await portClosed(port);
          },
        });
      }
    });
    child.once('error', reject);
    void exited.then((signal) => reject(new Error(`the relay exited before listening (${signal}): ${stderr}`)));
  });
}

async function pairDesk(url: string, code: string, keys: DeskKeys, deskName: string) {
  const result = await send(`${url}/v1/pair`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: Buffer.from(JSON.stringify({ code, publicKey: b64url(keys.publicKey), deskName })) });
  expect(result.status, result.text).toBe(200);
  return pairResponseSchema.parse(JSON.parse(result.text));
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('the relay process', () => {
  it.each(storageVariants().map((v) => v.name))('loses and doubles nothing it answered 200 to when SIGKILLed right after the last one, and serves it after a restart (%s)', { timeout: 90_000 }, async (storage) => {
    const sodium = await loadSodium();
    const dir = tempDir();
    const port = await freePort();
    const config = writeConfig(dir, port, storage);
    const env = await storageEnv(storage);
    const appSecret = `meta-app-secret-${b64url(sodium.randombytes_buf(16))}`;
    const workspace = await addWorkspace(config, appSecret, env);

    const first = await serve(config, port, env);
    // Meta's dashboard verifies the callback URL with the printed verify token.
    const verify = await send(`${first.url}/meta/${workspace.id}?hub.mode=subscribe&hub.challenge=4242&hub.verify_token=${encodeURIComponent(workspace.verifyToken)}`);
    expect(verify).toMatchObject({ status: 200, text: '4242' });
    const keys = deskKeyPair(sodium);
    const desk = await pairDesk(first.url, workspace.pairingCode, keys, 'Front desk');

    const total = 200;
    const bodies = Array.from({ length: total }, (_, i) => textWebhook(i, `kill test message ${i}`));
    let answered = 0;
    let killing: Promise<void> | undefined;
    const results: HttpResult[] = await Promise.all(
      bodies.map(async (body) => {
        const result = await send(`${first.url}/meta/${workspace.id}`, { method: 'POST', headers: metaHeaders(body, appSecret), body });
        // The moment the last 200 arrives, before anything else can happen.
        if (result.status === 200 && ++answered === total) killing = first.kill();
        return result;
      }),
    );
    expect(results.map((r) => r.status)).toEqual(bodies.map(() => 200));
    await killing;

    const second = await serve(config, port, env);
    const events = [];
    let after = 0;
    for (;;) {
      const result = await send(`${second.url}/v1/events?after=${after}&limit=50`, { headers: bearer(desk.token) });
      expect(result.status, result.text).toBe(200);
      const page = pullResponseSchema.parse(JSON.parse(result.text));
      if (page.events.length === 0) break;
      events.push(...page.events);
      after = page.events.at(-1)!.seq;
    }
    // Every acknowledged webhook, once each, numbered 1..N in the order they were committed.
    expect(events.map((e) => e.seq)).toEqual(bodies.map((_, i) => i + 1));
    const received = events.map((e) => Buffer.from(openSealed(sodium, keys, e.sealed).payload).toString('hex'));
    expect(new Set(received).size).toBe(total);
    expect([...received].sort()).toEqual(bodies.map((b) => b.toString('hex')).sort());
    // The restarted relay keeps numbering after them.
    const next = textWebhook(total, 'after the restart');
    expect((await send(`${second.url}/meta/${workspace.id}`, { method: 'POST', headers: metaHeaders(next, appSecret), body: next })).status).toBe(200);
    const tail = pullResponseSchema.parse(JSON.parse((await send(`${second.url}/v1/events?after=${total}`, { headers: bearer(desk.token) })).text));
    expect(tail.events.map((e) => e.seq)).toEqual([total + 1]);
    // Its logs are JSON lines without the secret or what customers wrote.
    for (const line of second.stdout().trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    expect(first.stdout() + second.stdout()).not.toMatch(/kill test message|after the restart/);
    expect(first.stdout() + second.stdout()).not.toContain(appSecret);
  });

  it('gives the operator list, pairing-code and unpair', { timeout: 90_000 }, async () => {
    const sodium = await loadSodium();
    const dir = tempDir();
    const port = await freePort();
    const config = writeConfig(dir, port);
    const workspace = await addWorkspace(config, 'another-meta-app-secret-0123456789');

    // Before any desk: the workspace waits for its first one.
    const empty = await cli(['list', '--config', config]);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe(`${workspace.id}  Harbour Dental  events up to #0  waiting for a first desk\n`);

    const relay = await serve(config, port);
    const keys = deskKeyPair(sodium);
    const front = await pairDesk(relay.url, workspace.pairingCode, keys, 'Front desk');

    // A new one-time code for another desk (the first one was used).
    const issued = await cli(['pairing-code', '--config', config, '--workspace', workspace.id]);
    expect(issued.code).toBe(0);
    const code = /^Pairing code:\s+(\S+)$/m.exec(issued.stdout)?.[1];
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    expect(issued.stdout).toContain(`Callback URL:  ${publicUrl}/meta/${workspace.id}`);
    const back = await pairDesk(relay.url, code!, keys, 'Back office');
    expect(back.primary).toBe(false);

    const listed = await cli(['list', '--config', config]);
    expect(listed.stdout.split('\n')).toEqual([
      `${workspace.id}  Harbour Dental  events up to #0  paired`,
      `  desk ${front.deskId}  Front desk  (primary)  acknowledged #0`,
      `  desk ${back.deskId}  Back office  acknowledged #0`,
      '',
    ]);

    // Unpairing: the running relay refuses that desk's token from then on.
    expect((await send(`${relay.url}/v1/status`, { headers: bearer(back.token) })).status).toBe(200);
    expect(await cli(['unpair', '--config', config, '--desk', back.deskId])).toMatchObject({ code: 0, stdout: 'Unpaired.\n' });
    const refused = await send(`${relay.url}/v1/status`, { headers: bearer(back.token) });
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.text)).toMatchObject({ error: { code: 'unauthorized' } });
    expect((await cli(['list', '--config', config])).stdout).not.toContain(back.deskId);

    // Mistakes are said plainly, with a non-zero exit.
    const badConfig = join(dir, 'bad.json');
    writeFileSync(badConfig, JSON.stringify({ publicUrl: 'not a url', storage: { kind: 'sqlite', path: 'x.db' } }));
    const [unknownDesk, unknownWorkspace, noSecret, noConfig, invalid] = await Promise.all([
      cli(['unpair', '--config', config, '--desk', back.deskId]),
      cli(['pairing-code', '--config', config, '--workspace', 'noSuchWorkspace']),
      cli(['add-workspace', '--config', config]),
      cli(['list']),
      cli(['list', '--config', badConfig]),
    ]);
    expect(unknownDesk).toMatchObject({ code: 2, stdout: 'No such desk.\n' });
    expect(unknownWorkspace).toMatchObject({ code: 2, stderr: 'No such workspace (see: list).\n' });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/app secret is missing/);
    expect(noConfig.code).toBe(2);
    expect(noConfig.stderr).toMatch(/^Usage: npm run relay/);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/is not valid: publicUrl/);
  });
});
