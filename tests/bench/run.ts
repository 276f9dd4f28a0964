/**
 * `npm run bench [-- suite-name …]`: runs the benchmark suites, prints a table and the JSON, and writes the
 * JSON to bench-results/latest.json. Each suite measures a baseline in the same run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { formatTable } from './harness';
import type { BenchRow, Suite } from './harness';
import { ipcDispatch } from './suites/ipc-dispatch';
import { unlockToInbox } from './suites/unlock';
import { archiveSearch } from './suites/archive-search';
import { webhookIngest } from './suites/webhook-ingest';
import { inboundProcessing } from './suites/inbound-processing';
import { inboxList } from './suites/inbox-list';
import { stats } from './suites/stats';
import { backup } from './suites/backup';
import { relay } from './suites/relay';

const suites: Suite[] = [ipcDispatch, archiveSearch, unlockToInbox, webhookIngest, inboundProcessing, inboxList, stats, backup, relay];

async function main() {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !suites.some((s) => s.name === w));
  if (unknown.length > 0) {
    console.error(`Unknown suite(s): ${unknown.join(', ')}. Suites: ${suites.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
  const rows: BenchRow[] = [];
  for (const suite of suites) {
    if (wanted.length > 0 && !wanted.includes(suite.name)) continue;
    console.error(`bench: ${suite.name}…`);
    rows.push(...(await suite.run()));
  }
  const report = {
    at: new Date().toISOString(),
    node: process.version,
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30) },
    rows,
  };
  process.stdout.write(`${formatTable(rows)}\n\n${JSON.stringify(report, null, 2)}\n`);
  const dir = join(import.meta.dirname, '../../bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), JSON.stringify(report, null, 2));
}

await main();
