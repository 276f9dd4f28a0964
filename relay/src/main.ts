/**
 * The relay's command line:
 *   npm run relay -- --config relay.json                       serve
 *   npm run relay -- add-workspace --config relay.json --name "Clinic"
 *        (the app secret is read from RELAY_APP_SECRET or the first line of standard input, never an argument)
 *   npm run relay -- pairing-code --config relay.json --workspace <id>      a new one-time code for a first desk
 *   npm run relay -- list --config relay.json                               workspaces and their desks
 *   npm run relay -- unpair --config relay.json --desk <id>
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createLogger } from '../../electron/core/logger';
import type { LogFields } from '../../electron/core/ports';
import { relayMetaPrefix } from '../../shared/relay/protocol';
import { ConfigError, loadConfig } from './config';
import { newId, newPairingCode, newVerifyToken, sha256 } from './credentials';
import { startRelayServer } from './server';
import { openStore } from './store/open-store';

/** One JSON object per line on standard output: what log collectors read. Fields are redacted by createLogger. */
const logger = createLogger({
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: LogFields) {
    if (level === 'debug' && !process.env.RELAY_DEBUG) return;
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
  },
});

async function readAppSecret(): Promise<string> {
  const fromEnv = process.env.RELAY_APP_SECRET?.trim();
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) process.stderr.write('Meta app secret (App Dashboard › App settings › Basic): ');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line.trim();
  }
  return '';
}

function callbackUrl(publicUrl: string, workspaceId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${relayMetaPrefix}${workspaceId}`;
}

async function main(argv: string[]): Promise<number> {
  const command = argv[0] && !argv[0].startsWith('-') ? argv[0] : 'serve';
  const { values } = parseArgs({
    args: command === 'serve' && argv[0] !== 'serve' ? argv : argv.slice(1),
    options: { config: { type: 'string' }, name: { type: 'string' }, workspace: { type: 'string' }, desk: { type: 'string' } },
  });
  if (!values.config) {
    process.stderr.write('Usage: npm run relay -- [serve|add-workspace|pairing-code|list|unpair] --config FILE\n');
    return 2;
  }
  const { config, storage } = loadConfig(values.config);
  const store = await openStore(storage);
  try {
    switch (command) {
      case 'serve': {
        const server = await startRelayServer({ config, store, logger });
        await new Promise<void>((resolve) => {
          const stop = (signal: string) => {
            logger.info('Stopping', { signal });
            void server.close().then(resolve);
          };
          process.once('SIGINT', () => stop('SIGINT'));
          process.once('SIGTERM', () => stop('SIGTERM'));
        });
        return 0;
      }
      case 'add-workspace': {
        const appSecret = await readAppSecret();
        if (appSecret.length < 16) {
          process.stderr.write('The app secret is missing or too short (set RELAY_APP_SECRET or type it).\n');
          return 2;
        }
        const id = newId();
        const pairing = newPairingCode();
        const verifyToken = newVerifyToken();
        await store.addWorkspace({ id, name: values.name?.trim() || 'Workspace', verifyToken, appSecret, pairingCodeHash: sha256(pairing.code), createdAt: Date.now() });
        process.stdout.write(
          [
            `Workspace:     ${id}`,
            `Callback URL:  ${callbackUrl(config.publicUrl, id)}`,
            `Verify token:  ${verifyToken}`,
            `Pairing code:  ${pairing.display}   (one-time: enter it with the relay URL in Frontdesk › Settings › Connection)`,
            '',
          ].join('\n'),
        );
        return 0;
      }
      case 'pairing-code': {
        const workspace = values.workspace ? await store.getWorkspace(values.workspace) : null;
        if (!workspace) {
          process.stderr.write('No such workspace (see: list).\n');
          return 2;
        }
        const pairing = newPairingCode();
        await store.setPairingCode(workspace.id, sha256(pairing.code));
        process.stdout.write(`Pairing code:  ${pairing.display}\nCallback URL:  ${callbackUrl(config.publicUrl, workspace.id)}\n`);
        return 0;
      }
      case 'list': {
        for (const workspace of await store.listWorkspaces()) {
          process.stdout.write(`${workspace.id}  ${workspace.name}  events up to #${workspace.lastSeq}  ${workspace.publicKey ? 'paired' : 'waiting for a first desk'}\n`);
          for (const desk of await store.listDesks(workspace.id)) {
            process.stdout.write(`  desk ${desk.id}  ${desk.name}${desk.primary ? '  (primary)' : ''}  acknowledged #${desk.ackedSeq}\n`);
          }
        }
        return 0;
      }
      case 'unpair': {
        const removed = values.desk ? await store.removeDesk(values.desk) : false;
        process.stdout.write(removed ? 'Unpaired.\n' : 'No such desk.\n');
        return removed ? 0 : 2;
      }
      default:
        process.stderr.write(`Unknown command: ${command}\n`);
        return 2;
    }
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
