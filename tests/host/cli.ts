/**
 * `npm run preview` (after `vite build --mode preview`): starts the preview host and prints its URL.
 * stdout carries exactly the line(s) a person or a test needs; every log line goes to stderr.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { PreviewHost } from './server';

const help = `Usage: npm run preview -- [options]
       tsx tests/host/cli.ts [options]

Runs Frontdesk's core in Node and serves the built renderer (dist/renderer) to Chromium on 127.0.0.1,
with Meta's Graph API played by the built-in sandbox (no network needed),
with window.frontdesk bridged over a WebSocket. Prints "Frontdesk preview: <url>"; open that URL (it works
once) to start the session.

Options:
  --data DIR         keep the workspace data in DIR (default: a new temp dir, removed on exit)
  --port N           listen on port N (default 0: any free port)
  --demo             open the demo workspace directly (simulated customers write to it)
  --seed N           seed for the demo's simulated customers (deterministic)
  --test-controls    enable POST /__test/<name>, protected by a token printed on a second line
                     ("Test controls token: <token>", sent as the x-test-token header)
  --renderer DIR     serve another built renderer instead of dist/renderer (host tests use a fixture)
  --fast-kdf         cheap Argon2id for quick end-to-end tests (never for real data)
  -h, --help         show this help
`;

function fail(message: string): never {
  process.stderr.write(`preview: ${message}\nRun with --help for the options.\n`);
  process.exit(2);
}

function parseInteger(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) fail(`--${name} takes a whole number, not "${text}"`);
  const value = Number(text);
  if (value < min || value > max) fail(`--${name} must be between ${min} and ${max}`);
  return value;
}

function parse() {
  try {
    return parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: false,
      options: {
        data: { type: 'string' },
        port: { type: 'string' },
        demo: { type: 'boolean' },
        seed: { type: 'string' },
        'test-controls': { type: 'boolean' },
        renderer: { type: 'string' },
        'fast-kdf': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    // parseArgs names the unknown flag or the missing value.
    fail(error instanceof Error ? error.message : String(error));
  }
}

async function main(): Promise<void> {
  const flags = parse();
  if (flags.help) {
    process.stdout.write(help);
    return;
  }
  if (flags.data !== undefined && flags.data.trim() === '') fail('--data needs a folder');

  let host: PreviewHost;
  try {
    // Loaded only now: it brings core and vite, which --help and a bad flag do not need.
    const { startPreviewHost } = await import('./server');
    host = await startPreviewHost({
      dataDir: flags.data === undefined ? undefined : resolve(flags.data),
      port: parseInteger('port', flags.port, 0, 65535),
      demo: flags.demo ?? false,
      seed: parseInteger('seed', flags.seed, 0, Number.MAX_SAFE_INTEGER),
      testControls: flags['test-controls'] ?? false,
      rendererDir: flags.renderer === undefined ? undefined : resolve(flags.renderer),
      fastKdf: flags['fast-kdf'] ?? false,
    });
  } catch (error) {
    process.stderr.write(`preview: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }

  process.stdout.write(`Frontdesk preview: ${host.url}\n`);
  if (host.testControlsToken) process.stdout.write(`Test controls token: ${host.testControlsToken}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // tsx relays a signal to this process and may repeat it: a repeat must not cut the clean close short.
    if (stopping) return;
    stopping = true;
    process.stderr.write(`preview: ${signal}, stopping\n`);
    // Closing should take milliseconds; never hang a terminal or a test run on it.
    setTimeout(() => {
      process.stderr.write('preview: close timed out\n');
      process.exit(1);
    }, 5_000).unref();
    host.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`preview: close failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
